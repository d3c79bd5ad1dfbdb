"""Annotations over HTTP: list what the caller may see, export as W3C JSON-LD or an annotated PDF."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import marshmallow as ma
from flask import Response, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import select

from annotations import AnnotationStore, present
from annotations.w3c import collection
from meetings.accounts.models import User
from meetings.db import db
from meetings.dossiers.loaders import document_for, meeting_for
from meetings.dossiers.models import Category, Confidentiality, Document, Meeting
from meetings.dossiers.permissions import manages, visible_documents
from meetings.errors import ApiError
from meetings.participants.membership import member_of
from meetings.pdf import file_store, renderer
from meetings.pdf.pages import watermark
from meetings.pdf.pool import RenderFailed
from meetings.web import content_disposition

blp = Blueprint("annotations_api", __name__, url_prefix="/api/v1", description="Annotations")

EXPORT_WIDTH = 1600


class ListArgs(ma.Schema):
    document = ma.fields.Integer()
    page = ma.fields.Integer(validate=ma.validate.Range(min=1))
    scope = ma.fields.String(load_default="all", validate=ma.validate.OneOf(["all", "mine", "group"]),
                             metadata={"description": "all I may see, only mine, or shared with my groups"})


class AnnotationOut(ma.Schema):
    id = ma.fields.Integer()
    meeting = ma.fields.Integer()
    document = ma.fields.Integer()
    version_id = ma.fields.Integer()
    page = ma.fields.Integer()
    kind = ma.fields.String()
    visibility = ma.fields.String()
    group_id = ma.fields.Integer(allow_none=True)
    author_id = ma.fields.Integer()
    author_name = ma.fields.String()
    client_id = ma.fields.String()
    color = ma.fields.String()
    note = ma.fields.String()
    geometry = ma.fields.Dict()
    quote = ma.fields.Dict(allow_none=True)
    orphaned = ma.fields.Boolean()
    revision = ma.fields.Integer()
    created_at = ma.fields.String()
    updated_at = ma.fields.String()
    deleted = ma.fields.Boolean()


class AnnotationList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AnnotationOut))


def _visible(meeting: Meeting, document_id: int | None) -> list[Any]:
    meeting_id = meeting.id
    allowed = set(db.session.scalars(visible_documents(current_user, meeting).with_only_columns(Document.id)))
    if document_id is not None:
        allowed &= {document_id}
    return AnnotationStore(db.session).visible_to(meeting_id, member_of(db.session, current_user, meeting_id).reader,
                                                  allowed)


def _names(author_ids: set[int]) -> dict[int, str]:
    if not author_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.full_name).where(User.id.in_(author_ids))).all())


@blp.route("/meetings/<int:meeting_id>/annotations", methods=["GET"], endpoint="listAnnotations")
@login_required
@blp.arguments(ListArgs, location="query")
@blp.response(200, AnnotationList)
@blp.doc(operationId="listAnnotations")
def list_annotations(args: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """The annotations the caller may see, by document and page: their own, their groups', the meeting's."""
    items = _visible(meeting_for(meeting_id), args.get("document"))
    if args.get("page"):
        items = [a for a in items if a.page == args["page"]]
    if args["scope"] == "mine":
        items = [a for a in items if a.author_id == current_user.id]
    elif args["scope"] == "group":
        items = [a for a in items if a.visibility.value == "group"]
    names = _names({a.author_id for a in items})
    return {"items": [{**present(a), "author_name": names.get(a.author_id, "")} for a in items]}


@blp.route("/meetings/<int:meeting_id>/annotations/w3c", methods=["GET"], endpoint="exportAnnotationsW3C")
@login_required
@blp.arguments(ListArgs, location="query")
@blp.response(200, {"type": "object"}, content_type="application/ld+json")
@blp.doc(operationId="exportAnnotationsW3C")
def export_w3c(args: dict[str, Any], meeting_id: int) -> Response:
    """What the caller may see, as a W3C Web Annotation collection (JSON-LD)."""
    meeting = meeting_for(meeting_id)
    items = _visible(meeting, args.get("document"))
    creators = {uid: {"id": f"{current_app.config['PUBLIC_BASE_URL']}/users/{uid}", "name": name}
                for uid, name in _names({a.author_id for a in items}).items()}
    body = collection(items, current_app.config["PUBLIC_BASE_URL"], meeting.title, creators)
    return current_app.response_class(current_app.json.dumps(body), mimetype="application/ld+json")


@blp.route("/documents/<int:document_id>/annotated.pdf", methods=["GET"], endpoint="exportAnnotatedPdf")
@login_required
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@blp.doc(operationId="exportAnnotatedPdf")
def export_pdf(document_id: int) -> Response:
    """The caller's annotated copy: their own annotations and those shared with them, as PDF annotations.

    When the original is offered for download it is the base; otherwise the copy is made of the page
    images the caller may see (watermarked for a confidential document), so no raw PDF leaves."""
    document = document_for(document_id)
    if document.category is Category.LINK or not document.versions:
        raise ApiError(404, "not_found", _l("This document has no pages."))
    version = document.versions[-1]
    items = [present(a) for a in _visible(document.meeting, document.id)]
    pages = renderer()
    request: dict[str, Any] = {"op": "annotate", "annotations": items,
                               "authors": {str(k): v for k, v in _names({i["author_id"] for i in items}).items()}}
    exports = Path(current_app.config["DATA_DIR"]) / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=exports) as work:
        if manages(current_user) or document.downloadable:
            request["pdf"] = str(file_store().path_for(version.sha256))
        else:
            request["images"] = _page_images(document, version, Path(work))
            request["page_sizes"] = version.page_sizes
        out = Path(work) / "annotated.pdf"
        request["out"] = str(out)
        try:
            pages.pool.call(request, timeout=120, owner=current_user.id)
        except RenderFailed as exc:
            raise ApiError(503, "export_failed", _l("The annotated copy could not be made; try again.")) from exc
        data = out.read_bytes()
    name = f"{document.title[:80]} (annotated).pdf"
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": content_disposition("attachment", name), "Cache-Control": "no-store"})


def _page_images(document: Any, version: Any, work: Path) -> list[str]:
    """The caller's page images of version, as files: cached renders, or watermarked copies in work."""
    pages = renderer()
    paths = []
    marked = document.confidentiality is Confidentiality.CONFIDENTIAL
    for index, size in enumerate(version.page_sizes):
        image = pages.image(version.sha256, index, EXPORT_WIDTH, "jpeg", (size[0], size[1]))
        if (image.placeholder or not marked) and image.path is not None:
            paths.append(str(image.path))
            continue
        data = image.read()
        if marked and not image.placeholder:
            data = watermark(data, "jpeg", current_user.full_name, dt.date.today())
        path = work / f"p{index}.jpeg"
        path.write_bytes(data)
        paths.append(str(path))
    return paths
