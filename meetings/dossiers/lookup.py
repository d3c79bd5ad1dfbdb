"""Loading a meeting or document for the caller: 404 when they may not see it, 403 when they may
see it but not change it, so that nobody learns of a meeting they are not part of."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from meetings.db import db
from meetings.dossiers.models import Document, Meeting
from meetings.dossiers.pdfcheck import PdfFacts, facts_or_refusal, refusal
from meetings.dossiers.permissions import can_see_document, manages, visible_meetings
from meetings.dossiers.services import DossierService, UploadLimits
from meetings.dossiers.storage import FileStore
from meetings.errors import ApiError
from meetings.participants.models import Participant

log = logging.getLogger(__name__)

NOT_FOUND = _l("Not found.")
FORBIDDEN = _l("Only the meeting's secretaries may change its dossier.")


def participant_of(meeting_id: int) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(Participant.meeting_id == meeting_id, Participant.user_id == current_user.id)
    )


def meeting_for(meeting_id: int, *, manage: bool = False) -> Meeting:
    meeting = db.session.scalar(visible_meetings(current_user).where(Meeting.id == meeting_id))
    if meeting is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user, meeting):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return meeting


def document_for(document_id: int, *, manage: bool = False) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    if not can_see_document(current_user, document, participant_of(document.meeting_id)):
        raise ApiError(404, "not_found", NOT_FOUND)
    if manage and not manages(current_user, document.meeting):
        raise ApiError(403, "forbidden", FORBIDDEN)
    return document


def file_store() -> FileStore:
    store = current_app.extensions.get("paperless.files")
    if store is None:
        store = current_app.extensions["paperless.files"] = FileStore(f"{current_app.config['DATA_DIR']}/files")
    return store


def dossier_service() -> DossierService:
    config = current_app.config
    limits = UploadLimits(
        max_bytes=config["MAX_UPLOAD_MB"] << 20,
        max_pages=config["MAX_PDF_PAGES"],
        max_side_pt=config["MAX_PAGE_SIDE_PT"],
    )
    return DossierService(db.session, file_store(), limits, current_user._get_current_object(),
                          request.remote_addr, prepare_file=extract_text, inspect=inspect_in_worker)


def inspect_in_worker(path: Path, limits: UploadLimits) -> PdfFacts:
    """Check an upload in a render worker: a huge or hostile PDF must not stall the server."""
    from meetings.rendering import renderer
    from meetings.rendering.pool import RenderFailed

    request = {"op": "inspect", "pdf": str(path), "max_pages": limits.max_pages, "max_side_pt": limits.max_side_pt}
    try:
        return facts_or_refusal(renderer().pool.call(request))
    except RenderFailed:
        log.warning("upload %s could not be checked in time", path.name)
        raise refusal("unreadable_pdf", {}) from None


def extract_text(sha256: str) -> None:
    """Extract a new file's text layer in the render workers, before the upload's row is written:
    on SQLite a writer waiting for the workers would hold the only write lock, and every other
    upload's wait for it would block the server. A failure is logged; indexing retries later."""
    from meetings.rendering import renderer

    try:
        renderer().text_layer(sha256)
    except Exception:
        log.exception("text layer of %s not extracted at upload", sha256[:12])
