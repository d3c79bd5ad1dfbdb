"""Who takes part in a meeting, in which role, and in which breakout group."""

from __future__ import annotations

import enum

from sqlalchemy import Column, ForeignKey, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from meetings.accounts.models import User
from meetings.db import Base, enum_column, intpk, str200


class MeetingRole(enum.StrEnum):
    CHAIR = "chair"
    SECRETARY = "secretary"
    DELEGATE = "delegate"
    OBSERVER = "observer"


#: the named readers of a restricted document: who may read what is a fact about people, so it lives
#: here, below the dossiers (whose Document.readers reads it)
document_readers = Table(
    "document_readers",
    Base.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[MeetingRole] = mapped_column(
        enum_column(MeetingRole, "meeting_role"), default=MeetingRole.DELEGATE
    )

    user: Mapped[User] = relationship()


class Group(Base):
    """A breakout group (tổ thảo luận) of a meeting."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)

    id: Mapped[intpk]
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]

    members: Mapped[list[GroupMember]] = relationship(back_populates="group", cascade="all, delete-orphan")


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[intpk]
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: writes the group's summary for the secretary
    is_rapporteur: Mapped[bool] = mapped_column(default=False)

    group: Mapped[Group] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
