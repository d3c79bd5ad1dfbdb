"""The audit trail: who did what, when, to which thing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from meetings.db import Base, created_at, intpk


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[intpk]
    at: Mapped[created_at]
    #: who acted; None for the system (seeding, migrations)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: dotted verb, e.g. "meeting.create", "document.upload", "login.failed"
    action: Mapped[str] = mapped_column(String(60))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))


