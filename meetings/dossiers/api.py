"""Dossiers API: meetings, sittings, agenda, documents and versions, publishing."""

from __future__ import annotations

from typing import Any

from flask import send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from meetings import signals
from meetings.db import MAX_ID, db
from meetings.dossiers import presenters
from meetings.dossiers.loaders import document_for, meeting_for
from meetings.dossiers.models import AgendaItem, DocumentVersion, Meeting, MeetingStatus
from meetings.dossiers.permissions import manages, visible_meetings
from meetings.dossiers.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaOrderIn,
    DocumentOut,
    DocumentUpdate,
    DocumentUploadForm,
    FileForm,
    LinkIn,
    MeetingDetail,
    MeetingIn,
    MeetingSummary,
    SittingIn,
    SittingOut,
    VersionOut,
)
from meetings.dossiers.wiring import dossier_service
from meetings.errors import ApiError
from meetings.pdf import file_store

blp = Blueprint("dossiers_api", __name__, url_prefix="/api/v1", description="Meetings and their dossiers")


def _manager_required() -> None:
    if not manages(current_user):
        raise ApiError(403, "forbidden", _l("Only secretaries may do this."))


def _reader_ids(raw: str | None) -> list[int] | None:
    if not raw:
        return None
    try:
        ids = [int(x) for x in raw.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        ids = [0]
    if not all(1 <= i <= MAX_ID for i in ids):
        raise ApiError(422, "invalid", _l("reader_ids must be user ids separated by commas."))
    return ids


@blp.route("/meetings", methods=["GET"], endpoint="listMeetings")
@login_required
@blp.response(200, MeetingSummary(many=True))
@blp.doc(operationId="listMeetings")
def list_meetings() -> list[dict[str, Any]]:
    """Meetings the caller may open: all for secretaries, published ones they take part in for others."""
    meetings = db.session.scalars(
        visible_meetings(current_user).options(selectinload(Meeting.sittings)).order_by(Meeting.created_at.desc())
    )
    return [presenters.meeting_summary(m) for m in meetings]


@blp.route("/meetings", methods=["POST"], endpoint="createMeeting")
@login_required
@blp.arguments(MeetingIn)
@blp.response(201, MeetingDetail)
@blp.doc(operationId="createMeeting")
def create_meeting(data: dict[str, Any]) -> dict[str, Any]:
    """Create a draft meeting (secretaries)."""
    _manager_required()
    meeting = dossier_service().create_meeting(data)
    return presenters.meeting_detail(db.session, meeting, current_user)


@blp.route("/meetings/<int:meeting_id>", methods=["GET"], endpoint="getMeeting")
@login_required
@blp.response(200, MeetingDetail)
@blp.doc(operationId="getMeeting")
def get_meeting(meeting_id: int) -> dict[str, Any]:
    """The dossier: sittings, agenda tree with its documents, groups."""
    return presenters.meeting_detail(db.session, meeting_for(meeting_id), current_user)


@blp.route("/meetings/<int:meeting_id>", methods=["PATCH"], endpoint="updateMeeting")
@login_required
@blp.arguments(MeetingIn(partial=True))
@blp.response(200, MeetingDetail)
@blp.doc(operationId="updateMeeting")
def update_meeting(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Change a meeting's title, body, term, place or description."""
    meeting = dossier_service().update_meeting(meeting_for(meeting_id, manage=True), data)
    return presenters.meeting_detail(db.session, meeting, current_user)


@blp.route("/meetings/<int:meeting_id>/publish", methods=["POST"], endpoint="publishMeeting")
@login_required
@blp.response(200, MeetingDetail)
@blp.doc(operationId="publishMeeting")
def publish_meeting(meeting_id: int) -> dict[str, Any]:
    """Publish the dossier to the meeting's participants."""
    meeting = meeting_for(meeting_id, manage=True)
    was_draft = meeting.status is MeetingStatus.DRAFT
    dossier_service().publish(meeting)
    signals.dossier_published.send(
        meeting, documents=list(meeting.documents) if was_draft else [], actor_id=current_user.id,
        versions=[d.current_version for d in meeting.documents if d.current_version])
    return presenters.meeting_detail(db.session, meeting, current_user)


@blp.route("/meetings/<int:meeting_id>/sittings", methods=["POST"], endpoint="createSitting")
@login_required
@blp.arguments(SittingIn)
@blp.response(201, SittingOut)
@blp.doc(operationId="createSitting")
def create_sitting(data: dict[str, Any], meeting_id: int) -> Any:
    """Add a sitting (date, start, end, room) to a meeting."""
    sitting = dossier_service().add_sitting(meeting_for(meeting_id, manage=True), data)
    return sitting


@blp.route("/meetings/<int:meeting_id>/agenda", methods=["POST"], endpoint="createAgendaItem")
@login_required
@blp.arguments(AgendaItemIn)
@blp.response(201, AgendaItemOut)
@blp.doc(operationId="createAgendaItem")
def create_agenda_item(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Add an item at the end of the agenda, or under a top item with parent_id."""
    item = dossier_service().add_agenda_item(meeting_for(meeting_id, manage=True), data)
    return {**AgendaItemOut(exclude=("documents", "children")).dump(item), "documents": [], "children": []}


@blp.route("/meetings/<int:meeting_id>/agenda/order", methods=["PUT"], endpoint="reorderAgenda")
@login_required
@blp.arguments(AgendaOrderIn)
@blp.response(200, MeetingDetail)
@blp.doc(operationId="reorderAgenda")
def reorder_agenda(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Set the whole agenda's order and nesting at once (what drag and drop sends)."""
    meeting = meeting_for(meeting_id, manage=True)
    dossier_service().reorder_agenda(meeting, data["items"])
    return presenters.meeting_detail(db.session, meeting, current_user)


def _agenda_item(meeting_id: int, item_id: int) -> AgendaItem:
    meeting_for(meeting_id, manage=True)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise ApiError(404, "not_found", _l("Not found."))
    return item


@blp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>", methods=["PATCH"], endpoint="updateAgendaItem")
@login_required
@blp.arguments(AgendaItemIn(partial=True, exclude=("parent_id",)))
@blp.response(200, AgendaItemOut(exclude=("documents", "children")))
@blp.doc(operationId="updateAgendaItem")
def update_agenda_item(data: dict[str, Any], meeting_id: int, item_id: int) -> AgendaItem:
    """Rename or describe an agenda item."""
    item = dossier_service().update_agenda_item(_agenda_item(meeting_id, item_id), data)
    return item


@blp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>", methods=["DELETE"], endpoint="deleteAgendaItem")
@login_required
@blp.response(204)
@blp.doc(operationId="deleteAgendaItem")
def delete_agenda_item(meeting_id: int, item_id: int) -> None:
    """Remove an agenda item and its sub-items; their documents stay, unfiled."""
    dossier_service().delete_agenda_item(_agenda_item(meeting_id, item_id))


@blp.route("/meetings/<int:meeting_id>/documents", methods=["POST"], endpoint="uploadDocument")
@login_required
@blp.arguments(DocumentUploadForm, location="form")
@blp.arguments(FileForm, location="files")
@blp.response(201, DocumentOut)
@blp.doc(operationId="uploadDocument")
def upload_document(form: dict[str, Any], files: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Upload a PDF as a new document of the meeting (multipart: file and descriptive fields)."""
    meeting = meeting_for(meeting_id, manage=True)
    upload = files["file"]
    form["reader_ids"] = _reader_ids(form.get("reader_ids"))
    document = dossier_service().upload_document(meeting, upload.stream, upload.filename or "", form)
    # a draft is searchable too
    signals.version_uploaded.send(document.versions[-1], document=document, actor_id=current_user.id,
                                  published=False)
    return presenters.document(document)


@blp.route("/meetings/<int:meeting_id>/links", methods=["POST"], endpoint="createLinkDocument")
@login_required
@blp.arguments(LinkIn)
@blp.response(201, DocumentOut)
@blp.doc(operationId="createLinkDocument")
def create_link(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Add an external link (a law on the national database, a video) to the dossier."""
    document = dossier_service().add_link(meeting_for(meeting_id, manage=True), data)
    return presenters.document(document)


@blp.route("/documents/<int:document_id>", methods=["GET"], endpoint="getDocument")
@login_required
@blp.response(200, DocumentOut)
@blp.doc(operationId="getDocument")
def get_document(document_id: int) -> dict[str, Any]:
    """A document: its page count, page sizes, sha256, and versions."""
    return presenters.document(document_for(document_id))


@blp.route("/documents/<int:document_id>", methods=["PATCH"], endpoint="updateDocument")
@login_required
@blp.arguments(DocumentUpdate(partial=True))
@blp.response(200, DocumentOut)
@blp.doc(operationId="updateDocument")
def update_document(data: dict[str, Any], document_id: int) -> dict[str, Any]:
    """File a document under another agenda item, or change its description or readers."""
    document = dossier_service().update_document(document_for(document_id, manage=True), data)
    return presenters.document(document)


@blp.route("/documents/<int:document_id>", methods=["DELETE"], endpoint="deleteDocument")
@login_required
@blp.response(204)
@blp.doc(operationId="deleteDocument")
def delete_document(document_id: int) -> None:
    """Delete a document of a draft dossier."""
    dossier_service().delete_document(document_for(document_id, manage=True))


@blp.route("/documents/<int:document_id>/versions", methods=["POST"], endpoint="uploadDocumentVersion")
@login_required
@blp.arguments(FileForm, location="files")
@blp.response(201, DocumentOut)
@blp.doc(operationId="uploadDocumentVersion")
def upload_version(files: dict[str, Any], document_id: int) -> dict[str, Any]:
    """Replace a document's file with a new version; earlier versions stay retrievable."""
    document = document_for(document_id, manage=True)
    upload = files["file"]
    version = dossier_service().upload_version(document, upload.stream, upload.filename or "")
    # search indexes it; annotations move onto it in this transaction, or become orphans, never lost
    signals.version_uploaded.send(version, document=document, actor_id=current_user.id,
                                  published=document.meeting.status is MeetingStatus.PUBLISHED)
    return presenters.document(document)


@blp.route("/documents/<int:document_id>/versions/<int:number>/original", methods=["GET"],
           endpoint="downloadOriginal")
@login_required
@blp.response(200, {"format": "binary", "type": "string"}, content_type="application/pdf")
@blp.doc(operationId="downloadOriginal")
def download_original(document_id: int, number: int) -> Any:
    """The original PDF of a version: for managers, and for readers when the document allows it."""
    document = document_for(document_id)
    if not (manages(current_user) or document.downloadable):
        raise ApiError(403, "not_downloadable", _l("The original of this document is not offered for download."))
    version = db.session.scalar(
        db.select(DocumentVersion).where(DocumentVersion.document_id == document.id, DocumentVersion.number == number)
    )
    if version is None:
        raise ApiError(404, "not_found", _l("Not found."))
    name = version.original_filename or f"document-{document.id}-v{number}.pdf"
    return send_file(file_store().path_for(version.sha256), mimetype="application/pdf",
                     as_attachment=True, download_name=name, etag=version.sha256, max_age=3600)


@blp.route("/documents/<int:document_id>/versions", methods=["GET"], endpoint="listDocumentVersions")
@login_required
@blp.response(200, VersionOut(many=True))
@blp.doc(operationId="listDocumentVersions")
def list_versions(document_id: int) -> list[DocumentVersion]:
    """Every version of a document, oldest first."""
    return list(document_for(document_id).versions)
