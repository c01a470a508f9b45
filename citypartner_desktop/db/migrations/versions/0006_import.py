"""A city's "to check" note: why a person should look at it (an import could not find it in
the world gazetteer, or found several places of its name)

Revision ID: 0006_import
Revises: 0005_monitoring
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_import"
down_revision = "0005_monitoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: batch mode would copy the table and drop its search triggers.
    op.add_column("cities", sa.Column("review", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column that no index, trigger or view uses, in place.
    op.execute("ALTER TABLE cities DROP COLUMN review")
