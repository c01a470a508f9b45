"""One page per kind of record."""
