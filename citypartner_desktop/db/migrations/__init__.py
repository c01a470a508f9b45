"""Alembic migrations of the database schema, shipped in the package (env.py, the script
template and versions/); db/schema.py runs them, there is no alembic.ini."""
