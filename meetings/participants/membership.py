"""Who a user is in a meeting: the one membership fact every visibility rule reads.

The dossiers' rules (which meetings and documents one may open), the live layer's (which events
one receives, live and in `missed`), the annotations' and the discussions' all start from a Member,
built here by one function. This package sits below the dossiers: it knows a meeting and a document
only by their ids, and the callers pass what only they know (is the document restricted?)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from annotations import Reader
from meetings.accounts.models import User
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant, document_readers


def manages(user: User) -> bool:
    """Whether user is a manager: of the secretariat (admin or secretary), managing every meeting."""
    return bool(user.is_authenticated and user.is_manager)


@dataclass(frozen=True)
class Member:
    """A user's place in one meeting, loaded once and checked in memory."""

    user_id: int
    meeting_id: int
    #: of the secretariat: sees and changes every meeting, every document
    manager: bool
    #: their seat in the meeting; None when they do not take part
    role: MeetingRole | None
    #: the meeting's breakout groups they belong to
    group_ids: frozenset[int]
    #: the restricted documents that name them as a reader (of any meeting: cheap, and never wrong)
    readable: frozenset[int]

    @property
    def takes_part(self) -> bool:
        return self.role is not None

    @property
    def moderates(self) -> bool:
        """The secretariat and the meeting's chair run discussions and moderate them."""
        return self.manager or self.role is MeetingRole.CHAIR

    @property
    def reader(self) -> Reader:
        """The member as the annotations package knows a reader."""
        return Reader(self.user_id, self.group_ids)

    def may_see(self, *, draft: bool, restricted: bool, named: bool) -> bool:
        """Whether they may see a document of this meeting, from the document's facts: the
        secretariat always; participants once the dossier is out, a restricted document only when
        it names them as a reader. The one rule: dossiers.permissions.can_see_document and the live
        path's cached facts both ask it."""
        if self.manager:
            return True
        if not self.takes_part or draft:
            return False
        return not restricted or named

    def may_read(self, document_id: int, *, restricted: bool) -> bool:
        """Whether they may read a document of this meeting (the meeting itself already open to them)."""
        return self.manager or not restricted or document_id in self.readable


def member_of(session: Session, user: User, meeting_id: int) -> Member:
    """Load user's membership of meeting: three small indexed queries, whatever the meeting's size."""
    role = session.scalar(select(Participant.role).where(
        Participant.meeting_id == meeting_id, Participant.user_id == user.id))
    groups = group_ids_of(session, user.id, meeting_id)
    readable = session.scalars(select(document_readers.c.document_id).where(document_readers.c.user_id == user.id))
    return Member(user.id, meeting_id, manages(user), role, frozenset(groups), frozenset(readable))


def group_ids_of(session: Session, user_id: int, meeting_id: int) -> frozenset[int]:
    """The breakout groups of meeting that user belongs to (one query; member_of includes it)."""
    return frozenset(session.scalars(select(GroupMember.group_id).join(Group, Group.id == GroupMember.group_id)
                                     .where(GroupMember.user_id == user_id, Group.meeting_id == meeting_id)))


def meetings_of(user_id: int) -> Select[tuple[int]]:
    """The ids of the meetings user takes part in, as a subquery for the dossiers' rules."""
    return select(Participant.meeting_id).where(Participant.user_id == user_id)


def named_readers(document_id: int) -> Select[tuple[int]]:
    """The users a restricted document names as its readers."""
    return select(document_readers.c.user_id).where(document_readers.c.document_id == document_id)


def group_member_ids(group_id: int) -> Select[tuple[int]]:
    return select(GroupMember.user_id).where(GroupMember.group_id == group_id)


def participant_ids(meeting_id: int) -> Select[tuple[int]]:
    return select(Participant.user_id).where(Participant.meeting_id == meeting_id)


def is_rapporteur(session: Session, user_id: int, group_id: int) -> bool:
    """Whether user writes group's summary for the secretary."""
    return session.scalar(select(GroupMember.id).where(
        GroupMember.group_id == group_id, GroupMember.user_id == user_id, GroupMember.is_rapporteur.is_(True))
    ) is not None
