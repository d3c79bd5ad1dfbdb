"""Who may do what in comments and group discussion: pure rules over rows the caller loads."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meetings.accounts.models import User
from meetings.discussion.models import Comment, CommentVisibility
from meetings.dossiers.models import Document, Meeting, MeetingStatus
from meetings.dossiers.permissions import can_see_document, manages, visible_meetings
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant


def participant(session: Session, user: User, meeting_id: int) -> Participant | None:
    return session.scalar(
        select(Participant).where(Participant.meeting_id == meeting_id, Participant.user_id == user.id)
    )


def visible_meeting(session: Session, user: User, meeting_id: object) -> Meeting | None:
    """The meeting if user may open it (the same rule as join and getMeeting), else None."""
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        return None
    return session.scalar(visible_meetings(user).where(Meeting.id == meeting_id))


def moderates(session: Session, user: User, meeting_id: int) -> bool:
    """Secretaries and admins, and the meeting's chair, run discussions and moderate them."""
    if manages(user):
        return True
    seat = participant(session, user, meeting_id)
    return seat is not None and seat.role is MeetingRole.CHAIR


def group_ids(session: Session, user: User, meeting_id: int) -> set[int]:
    """The groups of meeting that user belongs to."""
    return set(
        session.scalars(
            select(GroupMember.group_id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.user_id == user.id, Group.meeting_id == meeting_id)
        )
    )


def is_rapporteur(session: Session, user: User, group_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(GroupMember)
            .where(
                GroupMember.group_id == group_id, GroupMember.user_id == user.id, GroupMember.is_rapporteur.is_(True)
            )
        )
    )


def can_see_comment(session: Session, user: User, comment: Comment, groups: set[int] | None = None) -> bool:
    """The author always; for a group comment its group; else whoever may see the document."""
    document = session.get(Document, comment.document_id)
    if document is None or not can_see_document(user, document, participant(session, user, comment.meeting_id)):
        return False
    if document.meeting.status is MeetingStatus.DRAFT and not manages(user):
        return False
    if comment.author_id == user.id or comment.visibility is CommentVisibility.MEETING:
        return True
    groups = groups if groups is not None else group_ids(session, user, comment.meeting_id)
    return comment.group_id in groups
