"""The office-server tests use the session's PostgreSQL server of tests/conftest.py."""

from tests.conftest import address_of

__all__ = ["address_of"]
