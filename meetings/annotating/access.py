"""What the annotations package needs from the app: who the reader is, which documents they may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations import AnnotationError, Reader, Target
from meetings.accounts.models import User
from meetings.dossiers.models import Category, Document, MeetingStatus
from meetings.dossiers.permissions import can_see_document, manages, visible_documents
from meetings.participants.models import Group, GroupMember, Participant


def reader_of(session: Session, user: User, meeting_id: int) -> Reader:
    groups = session.scalars(select(GroupMember.group_id).join(Group, Group.id == GroupMember.group_id).where(
        GroupMember.user_id == user.id, Group.meeting_id == meeting_id))
    return Reader(user.id, frozenset(groups))


def participant(session: Session, user: User, meeting_id: int) -> Participant | None:
    return session.scalar(select(Participant).where(Participant.meeting_id == meeting_id,
                                                    Participant.user_id == user.id))


def target_for(session: Session, user: User, document_id: object) -> Target:
    """The current version of a document user may annotate, or AnnotationError not_found."""
    document = session.get(Document, document_id) if isinstance(document_id, int) else None
    if document is None or document.category is Category.LINK or not document.versions:
        raise AnnotationError("not_found", "no such document")
    if not can_see_document(user, document, participant(session, user, document.meeting_id)):
        raise AnnotationError("not_found", "no such document")
    if document.meeting.status is MeetingStatus.CLOSED:
        raise AnnotationError("meeting_closed", "the meeting is closed")
    if document.meeting.status is MeetingStatus.DRAFT and not manages(user):
        raise AnnotationError("not_found", "no such document")
    version = document.versions[-1]
    return Target(document.meeting_id, document.id, version.id, version.page_count)


def visible_document_ids(session: Session, user: User, meeting_id: int) -> set[int]:
    from meetings.dossiers.models import Meeting

    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return set()
    return {d.id for d in session.scalars(visible_documents(user, meeting))}
