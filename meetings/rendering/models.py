"""Progress of pre-rendering a document version's pages, for the secretary's progress bars."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base, enum_column, utcnow


class RenderState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    #: finished, but some pages became placeholders (see the server log)
    PARTIAL = "partial"


class RenderProgress(Base):
    __tablename__ = "render_progress"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_versions.id", ondelete="CASCADE"), primary_key=True
    )
    #: images to make: pages × pre-rendered sizes
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    state: Mapped[RenderState] = mapped_column(enum_column(RenderState, "render_state"), default=RenderState.QUEUED)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
