"""City networks and funding programmes (URBACT, Eurocities, …) a partnership may belong to."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Programme(RecordMixin, Base):
    """A city network or funding programme (URBACT, Eurocities, …)."""

    __tablename__ = "programmes"

    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(Text, default="")
