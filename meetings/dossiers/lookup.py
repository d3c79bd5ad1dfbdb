"""Loading a meeting or document for the caller: 404 when they may not see it, 403 when they may
see it but not change it, so that nobody learns of a meeting they are not part of."""

from __future__ import annotations

import functools
import logging

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetings.db import db
from meetings.dossiers.models import Document, Meeting
from meetings.dossiers.permissions import can_see_document, manages, visible_meetings
from meetings.dossiers.services import DossierService, UploadLimits
from meetings.errors import ApiError
from meetings.participants.membership import member_of
from meetings.pdf import renderer
from meetings.pdf.check import extract_text, inspect_in_workers

log = logging.getLogger(__name__)

NOT_FOUND = _l("Not found.")
FORBIDDEN = _l("Only the meeting's secretaries may change its dossier.")


def meeting_for(meeting_id: int, *, manage: bool = False) -> Meeting:
    meeting = db.session.scalar(visible_meetings(current_user).where(Meeting.id == meeting_id))
    if meeting is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return meeting


def document_for(document_id: int, *, manage: bool = False) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if not can_see_document(member_of(db.session, current_user, document.meeting_id), document):
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return document


def dossier_service() -> DossierService:
    config = current_app.config
    limits = UploadLimits(
        max_bytes=config["MAX_UPLOAD_MB"] << 20,
        max_pages=config["MAX_PDF_PAGES"],
        max_side_pt=config["MAX_PAGE_SIDE_PT"],
    )
    pages = renderer()
    return DossierService(
        db.session, pages.store, limits, current_user._get_current_object(), request.remote_addr,
        prepare_file=functools.partial(extract_text, pages),
        inspect=lambda path, lim: inspect_in_workers(pages.pool, path, max_pages=lim.max_pages,
                                                     max_side_pt=lim.max_side_pt),
    )
