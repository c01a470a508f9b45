"""Contacts as people keep them: given and family name, department, tags, the vCard UID, and
every e-mail address, phone number, postal address and web page with its type

Revision ID: 0013_contact_details
Revises: 0012_privacy
Create Date: 2026-12-07

``details`` holds the canonical JSON of ``domain.contact_details`` (several of each kind);
``email`` and ``phone`` stay the preferred ones, for the table, search and mail merge.
``card_uid`` is the UID of the card a contact was imported from (or exported as), so the same
card imported again updates the contact instead of adding a copy. ``partnerships.since_year``
keeps the year a list gives without a day ("since 1979"), which is not the 1st of January;
``cities.other_names`` the spellings imported lists used, each with its language.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_contact_details"
down_revision = "0012_privacy"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("given_name", sa.String(length=100)),
    ("family_name", sa.String(length=100)),
    ("department", sa.String(length=200)),
    ("tags", sa.String(length=500)),
    ("card_uid", sa.String(length=200)),
    ("details", sa.Text()),
)


def upgrade() -> None:
    for name, type_ in _COLUMNS:
        op.add_column("contacts", sa.Column(name, type_, nullable=True))
    op.create_index("ix_contacts_card_uid", "contacts", ["card_uid"])
    # A published list often knows only the year a twinning began ("since 1979").
    op.add_column("partnerships", sa.Column("since_year", sa.Integer(), nullable=True))
    # The spellings sources used for a city, with their language (domain.city_names).
    op.add_column("cities", sa.Column("other_names", sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE cities DROP COLUMN other_names")
    op.execute("ALTER TABLE partnerships DROP COLUMN since_year")
    op.drop_index("ix_contacts_card_uid", table_name="contacts")
    for name, _type in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE contacts DROP COLUMN {name}")  # keeps the triggers
