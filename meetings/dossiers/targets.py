"""The document a reader works on (annotates, comments on): its current version, checked once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from annotations import AnnotationError, Target
from meetings.accounts.models import User
from meetings.dossiers.models import Category, Document, MeetingStatus
from meetings.dossiers.permissions import can_see_document
from meetings.participants.membership import Member, member_of


def target_for(session: Session, user: User, document_id: object) -> tuple[Target, Member]:
    """The current version of a document user may work on, with user's membership of its meeting;
    AnnotationError not_found (also for what they may not see) or meeting_closed otherwise."""
    document = session.get(Document, document_id) if isinstance(document_id, int) else None
    if document is None or document.category is Category.LINK or not document.versions:
        raise AnnotationError("not_found", "no such document")
    member = member_of(session, user, document.meeting_id)
    if not can_see_document(member, document):
        raise AnnotationError("not_found", "no such document")
    if document.meeting.status is MeetingStatus.CLOSED:
        raise AnnotationError("meeting_closed", "the meeting is closed")
    version = document.versions[-1]
    return Target(document.meeting_id, document.id, version.id, version.page_count), member
