"""Delegate cards, attendance per sitting, each meeting's quorum rule, and read receipts."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.accounts.models import User
from meetings.db import Base, created_at, enum_column, intpk, str500


class DelegateCard(Base):
    """A printed card whose QR code signs its holder in to one meeting. Only the SHA-256 of the
    card's token is kept: the clear token exists on paper and in the PDF that printed it."""

    __tablename__ = "delegate_cards"

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: hex SHA-256 of the whole token (random part and signature)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[dt.datetime]
    #: set when the card is lost or replaced; a revoked card never signs anyone in again
    revoked_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class AttendanceStatus(enum.StrEnum):
    PRESENT_IN_HALL = "present_in_hall"
    ONLINE = "online"
    ABSENT = "absent"
    EXCUSED = "excused"


#: the statuses that count towards the quorum: attending online is attending
PRESENT = frozenset({AttendanceStatus.PRESENT_IN_HALL, AttendanceStatus.ONLINE})


class Attendance(Base):
    """Whether a participant attends a sitting; no row yet means not yet known."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("sitting_id", "user_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sittings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus, "attendance_status"))
    #: why someone is absent or excused, as the secretary noted it
    reason: Mapped[str500] = mapped_column(default="")
    marked_at: Mapped[dt.datetime]
    #: who marked it: a secretary, or the delegate themself when their card was scanned
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class QuorumRule(Base):
    """The share of a meeting's members who must attend for it to decide (default two thirds).
    Kept as a fraction so that 2/3 of 30 is exactly 20, never 19.999."""

    __tablename__ = "quorum_rules"
    __table_args__ = (
        CheckConstraint("numerator >= 0 AND denominator > 0 AND numerator <= denominator", name="share"),
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    numerator: Mapped[int] = mapped_column(default=2)
    denominator: Mapped[int] = mapped_column(default=3)


class ReadReceipt(Base):
    """The first time a participant opened a document."""

    __tablename__ = "read_receipts"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)

    id: Mapped[intpk]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_opened_at: Mapped[dt.datetime]
