"""The rule language and its records: pure data, no I/O."""
