"""Loading a meeting or document for the caller: 404 when they may not see it, 403 when they may
see it but not change it, so that nobody learns of a meeting they are not part of."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetings.db import db
from meetings.dossiers.models import Document, Meeting
from meetings.dossiers.permissions import can_see_document, manages, visible_meetings
from meetings.errors import ApiError
from meetings.participants.membership import member_of

NOT_FOUND = _l("Not found.")
FORBIDDEN = _l("Only the meeting's secretaries may change its dossier.")


def meeting_for(meeting_id: int, *, manage: bool = False) -> Meeting:
    """The meeting if the caller may open it (404 otherwise); with manage, 403 unless they manage it."""
    meeting = db.session.scalar(visible_meetings(current_user).where(Meeting.id == meeting_id))
    if meeting is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return meeting


def document_for(document_id: int, *, manage: bool = False) -> Document:
    """The document if the caller may read it (404 otherwise); with manage, 403 unless they manage it."""
    document = db.session.get(Document, document_id)
    if document is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if not can_see_document(member_of(db.session, current_user, document.meeting_id), document):
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return document
