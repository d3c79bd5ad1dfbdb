"""Comments, messages, discussions and summaries as clients receive them (live and over HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from meetings.discussion.models import Comment, Discussion, GroupMessage, GroupSummary


def iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def comment(c: Comment, names: dict[int, str] | None = None) -> dict[str, Any]:
    """A comment; a deleted or hidden one keeps its place in the thread but not its text."""
    withheld = c.deleted_at is not None or c.hidden_at is not None
    return {
        "id": c.id,
        "meeting": c.meeting_id,
        "document": c.document_id,
        "parent_id": c.parent_id,
        "author_id": c.author_id,
        "author_name": (names or {}).get(c.author_id, ""),
        "visibility": c.visibility.value,
        "group_id": c.group_id,
        "page": c.page,
        "anchor": c.anchor,
        "body": "" if withheld else c.body,
        "mentions": [] if withheld else list(c.mentions or []),
        "client_id": c.client_id,
        "revision": c.revision,
        "locked": c.locked,
        "edited": c.revision > 1 and c.deleted_at is None,
        "deleted": c.deleted_at is not None,
        "hidden": c.hidden_at is not None,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
    }


def history(c: Comment) -> list[dict[str, Any]]:
    """The earlier texts of a comment, oldest first (empty once it is deleted or hidden)."""
    if c.deleted_at is not None or c.hidden_at is not None:
        return []
    return [
        {"revision": r.revision, "body": r.body, "written_at": iso(r.written_at), "replaced_at": iso(r.replaced_at)}
        for r in c.revisions
    ]


def discussion(d: Discussion) -> dict[str, Any]:
    return {
        "id": d.id,
        "meeting": d.meeting_id,
        "agenda_item_id": d.agenda_item_id,
        "sitting_id": d.sitting_id,
        "topic": d.topic,
        "opens_at": iso(d.opens_at),
        "ends_at": iso(d.ends_at),
        "closed_at": iso(d.closed_at),
        "open": d.is_open(),
    }


def message(m: GroupMessage, names: dict[int, str] | None = None) -> dict[str, Any]:
    """A group message; a hidden one keeps its place but not its text."""
    hidden = m.hidden_at is not None
    return {
        "id": m.id,
        "meeting": m.meeting_id,
        "discussion": m.discussion_id,
        "group_id": m.group_id,
        "author_id": m.author_id,
        "author_name": (names or {}).get(m.author_id, ""),
        "body": "" if hidden else m.body,
        "reply_to": m.reply_to_id,
        "link": None if hidden else m.link,
        "client_id": m.client_id,
        "hidden": hidden,
        "created_at": iso(m.created_at),
    }


def summary(s: GroupSummary, names: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "id": s.id,
        "discussion": s.discussion_id,
        "group_id": s.group_id,
        "author_id": s.author_id,
        "author_name": (names or {}).get(s.author_id or 0, ""),
        "body": s.body,
        "revision": s.revision,
        "submitted_at": iso(s.submitted_at),
    }
