"""The migration scripts, one per schema revision, in order (0001_initial, 0002_…); each
revision is also listed in db/schema.py KNOWN_REVISIONS."""
