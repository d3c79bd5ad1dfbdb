"""The searchable text of each page of each document version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base, intpk

#: name (and name prefix) of the full-text structures migration 0003 makes for each database: the
#: FTS5 table and its shadow tables on SQLite, the GIN index on PostgreSQL. They are not models,
#: since they differ per database; schema comparisons skip them with include_name() below.
FULLTEXT = "page_texts_fts"


class PageText(Base):
    """One page's text, as extracted from the PDF, and folded for accent-insensitive search.

    The integer id is what SQLite's FTS5 table points at: a table with a composite primary key only
    has SQLite's implicit rowid, which VACUUM may renumber under the index."""

    __tablename__ = "page_texts"
    __table_args__ = (UniqueConstraint("version_id", "page"),)

    id: Mapped[intpk]
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    #: page number, from 1
    page: Mapped[int]
    #: the page's words joined by spaces, in NFC
    text: Mapped[str] = mapped_column(Text)
    #: fold(text): the same length, so offsets in one are offsets in the other
    folded: Mapped[str] = mapped_column(Text)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic hook: leave the per-database full-text structures out of schema comparisons."""
    return not (name or "").startswith(FULLTEXT)
