"""Persistence: typed models, the SQLite engine, migrations, unit of work and backups."""
