"""Who may see and change a meeting and its documents: pure rules over loaded rows."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from meetings.accounts.models import User
from meetings.dossiers.models import Confidentiality, Document, Meeting, MeetingStatus, document_readers
from meetings.participants.models import Participant


def manages(user: User, meeting: Meeting | None = None) -> bool:
    """Admins and secretaries of the installation manage every meeting's dossier."""
    return user.is_authenticated and user.manages_meetings


def visible_meetings(user: User) -> Select[tuple[Meeting]]:
    """The meetings user may open: all for managers; published or closed ones they take part in."""
    query = select(Meeting)
    if manages(user):
        return query
    takes_part = exists().where(Participant.meeting_id == Meeting.id, Participant.user_id == user.id)
    return query.where(takes_part, Meeting.status != MeetingStatus.DRAFT)


def visible_documents(user: User, meeting: Meeting) -> Select[tuple[Document]]:
    """The documents of meeting that user may see: restricted ones only for their named readers."""
    query = select(Document).where(Document.meeting_id == meeting.id)
    if manages(user, meeting):
        return query
    named = exists().where(document_readers.c.document_id == Document.id, document_readers.c.user_id == user.id)
    return query.where(or_(Document.confidentiality != Confidentiality.RESTRICTED, named))


def can_see_document(user: User, document: Document, participant: Participant | None) -> bool:
    if manages(user, document.meeting):
        return True
    if participant is None or document.meeting.status == MeetingStatus.DRAFT:
        return False
    if document.confidentiality is Confidentiality.RESTRICTED:
        return any(reader.id == user.id for reader in document.readers)
    return True
