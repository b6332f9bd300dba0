"""One use-case per command: resolve policies, run analyses once, return data."""
