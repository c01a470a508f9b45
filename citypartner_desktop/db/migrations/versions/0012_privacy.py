"""Personal data: the date consent was withdrawn, and the erasure register

Revision ID: 0012_privacy
Revises: 0011_visit_packs
Create Date: 2026-12-07

``erasures`` holds no personal data: a contact's id, when, by whom, why. On an office server
the roles get it as they get every table: everyone reads it, only administrators write it
(erasing is theirs alone; an editor cannot change the history either).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_privacy"
down_revision = "0011_visit_packs"
branch_labels = None
depends_on = None

_ROLES = ("citypartner_viewer", "citypartner_editor", "citypartner_admin")


def upgrade() -> None:
    op.add_column("contacts", sa.Column("consent_withdrawn_on", sa.Date(), nullable=True))
    op.create_table(
        "erasures",
        sa.Column("contact_id", sa.String(length=36), primary_key=True),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("erased_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        existing = {row[0] for row in bind.execute(
            sa.text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(_ROLES)})}
        if set(_ROLES) <= existing:  # roles set up (server roles): grant the new table too
            viewer, editor, admin = _ROLES
            op.execute(f"GRANT SELECT ON erasures TO {viewer}, {editor}, {admin}")
            op.execute(f"GRANT INSERT, UPDATE, DELETE ON erasures TO {admin}")


def downgrade() -> None:
    op.drop_table("erasures")
    op.execute("ALTER TABLE contacts DROP COLUMN consent_withdrawn_on")  # keeps the triggers
