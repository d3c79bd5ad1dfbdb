"""Comments on documents (with their edit history) and breakout-group discussions: the rounds the
secretary or chair opens, each group's messages, and each group's summary."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.db import Base, created_at, enum_column, intpk, str500, utcnow


class CommentVisibility(enum.StrEnum):
    """Who reads a comment: everyone who may see the document, or one group of the meeting."""

    MEETING = "meeting"
    GROUP = "group"


class Comment(Base):
    """A comment (góp ý) on a document, optionally anchored to a page and a passage or an area;
    a reply names its thread's first comment as parent (one level of threading)."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", "client_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    #: the thread's first comment; None for a thread's first comment itself
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    visibility: Mapped[CommentVisibility] = mapped_column(enum_column(CommentVisibility, "comment_visibility"))
    #: the group a group-visible comment is shared with
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    #: page from 1 the comment is about, or None for the whole document
    page: Mapped[int | None]
    #: {"quote": {"exact", "prefix", "suffix"}, "rects": [[x0,y0,x1,y1], ...]} for a passage,
    #: {"rect": [x0,y0,x1,y1]} for an area, in PDF points of the version commented on
    anchor: Mapped[dict[str, Any] | None]
    version_id: Mapped[int | None] = mapped_column(ForeignKey("document_versions.id", ondelete="SET NULL"))
    #: plain text, never markup
    body: Mapped[str] = mapped_column(Text)
    #: ids of the participants named with @username in body
    mentions: Mapped[list[Any]] = mapped_column(default=list)
    #: made by the client: a retried action carries the same one and is applied once
    client_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(default=1)
    #: client_id of the last edit or deletion applied: its retry is answered, not refused as stale
    last_action_id: Mapped[str | None] = mapped_column(String(64))
    #: a locked thread takes no more replies (set on the thread's first comment)
    locked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[created_at]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[dt.datetime | None]
    #: hidden by a moderator: kept (and in the audit trail), shown as hidden
    hidden_at: Mapped[dt.datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    revisions: Mapped[list[CommentRevision]] = relationship(
        cascade="all, delete-orphan", order_by="CommentRevision.revision"
    )


class CommentRevision(Base):
    """The text a comment had before an edit: every earlier revision is kept."""

    __tablename__ = "comment_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "revision"),)

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: the revision this text was (the comment's revision before the edit)
    revision: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    #: when this text was written (the comment's creation or the earlier edit)
    written_at: Mapped[dt.datetime]
    replaced_at: Mapped[created_at]


class Discussion(Base):
    """A round of breakout-group discussion on a topic, for a sitting or an agenda item, with a
    time limit; closed (by hand, or when the time is up) it is read-only and kept."""

    __tablename__ = "discussions"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    sitting_id: Mapped[int | None] = mapped_column(ForeignKey("sittings.id", ondelete="SET NULL"))
    topic: Mapped[str500]
    opens_at: Mapped[created_at]
    #: the time limit: after it the discussion takes no more messages
    ends_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.closed_at is None and (now or utcnow()) < self.ends_at


class GroupMessage(Base):
    """A message in one group's room of a discussion: the group alone ever reads it."""

    __tablename__ = "group_messages"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", "client_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: plain text, never markup
    body: Mapped[str] = mapped_column(Text)
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("group_messages.id", ondelete="SET NULL"))
    #: {"document": id, "page": n} or {"annotation": id, "document": id, "page": n}
    link: Mapped[dict[str, Any] | None]
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[created_at]
    hidden_at: Mapped[dt.datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class GroupSummary(Base):
    """A group's summary of a discussion, written by its rapporteur for the secretary; submitting
    again replaces the text."""

    __tablename__ = "group_summaries"
    __table_args__ = (UniqueConstraint("discussion_id", "group_id"),)

    id: Mapped[intpk]
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
