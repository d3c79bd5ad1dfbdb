"""Audit trail of who did what, when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from meetings.audit.models import AuditEntry


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    meeting_id: int | None = None,
    target: Any = None,
    ip: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the session (the caller's transaction commits it)."""
    entry = AuditEntry(
        action=action,
        actor_id=actor_id,
        meeting_id=meeting_id,
        target_type=type(target).__name__ if target is not None else None,
        target_id=getattr(target, "id", None),
        details=details,
        ip=ip,
    )
    session.add(entry)
    return entry


def init_app(app: object) -> None:
    """The audit trail has no routes yet; its model is registered by importing it."""
