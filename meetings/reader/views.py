"""The document reader: one document of a meeting's dossier, page by page, tablet first.

The page carries the meeting and the document as getMeeting and getDocument would answer them, so
the first page image is requested without waiting for an API round trip; everything after that
(other documents, pages, text layers, outline, search) comes from the JSON API."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template
from flask_login import current_user, login_required

from meetings import signals
from meetings.db import db
from meetings.dossiers import presenters
from meetings.dossiers.loaders import NOT_FOUND, document_for, meeting_for
from meetings.dossiers.models import Category
from meetings.dossiers.schemas import DocumentOut, MeetingDetail
from meetings.errors import ApiError
from meetings.participants.membership import member_of
from meetings.pdf.pages import BUCKETS

bp = Blueprint("reader", __name__)


@bp.get("/meetings/<int:meeting_id>/documents/<int:document_id>")
@login_required
def document(meeting_id: int, document_id: int) -> Any:
    """Read a document of the meeting; 404 when the caller may not see it or it is another meeting's."""
    doc = document_for(document_id)
    if doc.meeting_id != meeting_id:
        raise ApiError(404, "not_found", NOT_FOUND)
    if doc.category is Category.LINK and doc.url:
        # an external link has no pages: the reader's place is taken by the page it points at
        return redirect(doc.url)
    meeting = meeting_for(meeting_id)
    signals.document_opened.send(doc, user_id=current_user.id)
    detail = presenters.meeting_detail(db.session, meeting, current_user)
    return render_template(
        "reader/reader.html",
        meeting=detail,
        document=doc,
        initial_meeting=MeetingDetail().dump(detail),
        initial_document=DocumentOut().dump(presenters.document(doc)),
        buckets=list(BUCKETS),
        # who reads: their own annotations are theirs to edit, and "my group" is one of these groups
        viewer={
            "id": current_user.id,
            "name": current_user.full_name,
            "group_ids": sorted(member_of(db.session, current_user, meeting_id).group_ids),
        },
    )
