"""Reading files with positions, validation, the policy library and the cache."""
