"""Annotations as stored: one row each, a revision counter, soft deletion, and the anchor.

The tables live on their own MetaData so this package imports no web framework; the host app
lists that MetaData beside its own for migrations. Ids of meetings, documents, versions, users and
groups are the host's: the host keeps them consistent (it removes a document's annotations with
the document)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

from annotations.columns import NAMING_CONVENTION, UTCDateTime, enum_column, utcnow
from annotations.visibility import Visibility

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Kind(enum.StrEnum):
    HIGHLIGHT = "highlight"
    UNDERLINE = "underline"
    STRIKEOUT = "strikeout"
    INK = "ink"
    NOTE = "note"
    RECT = "rect"


#: kinds anchored to text: they carry a quote and are re-anchored by it onto new versions
TEXT_KINDS = frozenset({Kind.HIGHLIGHT, Kind.UNDERLINE, Kind.STRIKEOUT})


class Base(DeclarativeBase):
    registry = registry(metadata=metadata)


class Annotation(Base):
    __tablename__ = "annotations"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(Integer, index=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    #: the document version the geometry refers to; moves forward when re-anchored
    version_id: Mapped[int] = mapped_column(Integer)
    #: page from 1
    page: Mapped[int] = mapped_column(Integer)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, "annotation_kind"))
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility, "annotation_visibility"))
    #: the group a group-visible annotation is shared with
    group_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(Integer, index=True)
    #: made by the client: a retried action carries the same one and is applied once
    client_id: Mapped[str] = mapped_column(String(64))
    color: Mapped[str] = mapped_column(String(9), default="#ffd400")
    note: Mapped[str] = mapped_column(Text, default="")
    #: kind-specific shape in PDF points from the page's top-left: {"rects": [[x0,y0,x1,y1],...]},
    #: {"strokes": [[[x,y],...],...], "width": w}, {"point": [x,y]} or {"rect": [x0,y0,x1,y1]}
    geometry: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: for text kinds: {"exact": ..., "prefix": ..., "suffix": ...} from the text layer
    quote: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: could not be placed on the current version; kept and shown apart, never dropped
    orphaned: Mapped[bool] = mapped_column(default=False)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    #: client_id of the last edit or deletion applied: a retry of it is answered, not refused as stale
    last_action_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None
