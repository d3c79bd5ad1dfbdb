"""Who may do what in comments and group discussion, in the words of the discussion services: each
rule reads the one membership fact (meetings.participants.membership)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from meetings.accounts.models import User
from meetings.discussion.models import Comment, CommentVisibility
from meetings.dossiers.models import Document, Meeting
from meetings.dossiers.permissions import can_see_document, visible_meetings
from meetings.participants import membership
from meetings.participants.membership import Member, member_of


def visible_meeting(session: Session, user: User, meeting_id: object) -> Meeting | None:
    """The meeting if user may open it (the same rule as join and getMeeting), else None."""
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        return None
    return session.scalar(visible_meetings(user).where(Meeting.id == meeting_id))


def moderates(session: Session, user: User, meeting_id: int) -> bool:
    """Secretaries and admins, and the meeting's chair, run discussions and moderate them."""
    return membership.manages(user) or member_of(session, user, meeting_id).moderates


def group_ids(session: Session, user: User, meeting_id: int) -> set[int]:
    """The groups of meeting that user belongs to."""
    return set(membership.group_ids_of(session, user.id, meeting_id))


def is_rapporteur(session: Session, user: User, group_id: int) -> bool:
    return membership.is_rapporteur(session, user.id, group_id)


def can_see_comment(session: Session, user: User, comment: Comment, member: Member | None = None) -> bool:
    """The author always; for a group comment its group; else whoever may see the document."""
    document = session.get(Document, comment.document_id)
    member = member or member_of(session, user, comment.meeting_id)
    if document is None or not can_see_document(member, document):
        return False
    if comment.author_id == user.id or comment.visibility is CommentVisibility.MEETING:
        return True
    return comment.group_id in member.group_ids
