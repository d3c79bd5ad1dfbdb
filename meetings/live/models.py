"""The durable event log: every live event is stored with its per-meeting sequence number before
anyone is told of it."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base, created_at, enum_column, intpk


class Audience(enum.StrEnum):
    """Who an event is for: everyone in the meeting, one group, or one user."""

    MEETING = "meeting"
    GROUP = "group"
    USER = "user"


class EventCounter(Base):
    """The last sequence number given out per meeting; writers of one meeting serialise on its row."""

    __tablename__ = "event_counters"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: strictly increasing per meeting, assigned in the transaction that stores the change
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(60))
    at: Mapped[created_at]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "audience"))
    #: the group's or the user's id, for those audiences
    audience_id: Mapped[int | None]
    #: the document the event is about: a restricted one narrows the audience to its readers
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    data: Mapped[dict[str, Any]]

    def envelope(self) -> dict[str, Any]:
        """The event as every client receives it (DESIGN.md's live protocol)."""
        at: dt.datetime = self.at
        return {"seq": self.seq, "type": self.type, "meeting": self.meeting_id, "at": at.isoformat(),
                "data": self.data}
