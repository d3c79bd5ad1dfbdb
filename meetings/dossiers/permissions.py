"""Who may open a meeting and read its documents: the meeting's and the document's facts (status,
confidentiality) combined with the reader's membership (meetings.participants.membership)."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from meetings.accounts.models import User
from meetings.dossiers.models import Confidentiality, Document, Meeting, MeetingStatus
from meetings.participants.membership import Member, manages, meetings_of
from meetings.participants.models import document_readers

__all__ = ["can_see_document", "manages", "visible_documents", "visible_meetings"]


def visible_meetings(user: User) -> Select[tuple[Meeting]]:
    """The meetings user may open: all for the secretariat; published or closed ones they take part in."""
    query = select(Meeting)
    if manages(user):
        return query
    return query.where(Meeting.id.in_(meetings_of(user.id)), Meeting.status != MeetingStatus.DRAFT)


def visible_documents(user: User, meeting: Meeting) -> Select[tuple[Document]]:
    """The documents of meeting that user may see: restricted ones only for their named readers."""
    query = select(Document).where(Document.meeting_id == meeting.id)
    if manages(user):
        return query
    named = exists().where(document_readers.c.document_id == Document.id, document_readers.c.user_id == user.id)
    return query.where(or_(Document.confidentiality != Confidentiality.RESTRICTED, named))


def can_see_document(member: Member, document: Document) -> bool:
    """Whether member may read document: the secretariat always; participants once the dossier is out,
    restricted documents only when they are named readers (Member.may_see, on this document's facts)."""
    return member.may_see(draft=document.meeting.status is MeetingStatus.DRAFT,
                          restricted=document.confidentiality is Confidentiality.RESTRICTED,
                          named=document.id in member.readable)
