"""Rendering API: page images, text layers, outlines, and pre-rendering progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint

from meetings.dossiers.loaders import document_for, meeting_for
from meetings.dossiers.models import Category, Confidentiality, Document, DocumentVersion
from meetings.errors import ApiError
from meetings.pdf import renderer
from meetings.pdf.pages import FORMATS, THUMBNAIL, bucket_for, watermark
from meetings.rendering.prerender import progress_of
from meetings.rendering.schemas import OutlineEntry, PageImageArgs, PageTextOut, ProgressOut, VersionArgs

blp = Blueprint("rendering_api", __name__, url_prefix="/api/v1", description="Pages of documents")

#: images of a version never change: browsers keep them for a year without asking again
IMMUTABLE = "private, max-age=31536000, immutable"


def _version(document: Document, number: int | None) -> DocumentVersion:
    if document.category is Category.LINK or not document.versions:
        raise ApiError(404, "not_found", _l("This document has no pages."))
    if number is None:
        return document.versions[-1]
    version = next((v for v in document.versions if v.number == number), None)
    if version is None:
        raise ApiError(404, "not_found", _l("This version does not exist."))
    return version


def _page_index(version: DocumentVersion, page: int) -> int:
    if not 1 <= page <= version.page_count:
        raise ApiError(404, "page_not_found",
                       _l("Page %(page)d does not exist; the document has %(count)d pages.",
                          page=page, count=version.page_count))
    return page - 1


def _not_modified(etag: str) -> bool:
    return etag in request.if_none_match


def _lane(width: int) -> str:
    """Whose turn first in the render pool: the page being looked at, then thumbnails, then pages
    fetched ahead (the reader marks those with `X-Purpose: prefetch`; browsers' own prefetches say
    `Sec-Purpose: prefetch`)."""
    purpose = f"{request.headers.get('Sec-Purpose', '')} {request.headers.get('X-Purpose', '')}"
    if "prefetch" in purpose:
        return "prefetch"
    return "thumbnail" if width == THUMBNAIL else "visible"


@blp.route("/documents/<int:document_id>/pages/<int:page>/image", methods=["GET"], endpoint="getPageImage")
@login_required
@blp.arguments(PageImageArgs, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="image/webp")
@blp.alt_response(304, description="Not modified: the cached image is current")
@blp.doc(operationId="getPageImage")
def get_page_image(args: dict[str, Any], document_id: int, page: int) -> Response:
    """A page (from 1) as an image `width` device pixels wide (rounded up to a bucket).

    Confidential documents carry the reader's name and the date on every page."""
    document = document_for(document_id)
    version = _version(document, args.get("version"))
    index = _page_index(version, page)
    width, fmt = bucket_for(args["width"]), args["format"]
    marked = document.confidentiality is Confidentiality.CONFIDENTIAL
    today = dt.date.today()
    etag = f"{version.sha256[:24]}.{page}.{width}.{fmt}"
    if marked:
        etag += f".u{current_user.id}.{today.isoformat()}"
    if marked:
        cache = "private, max-age=3600"
    elif args.get("version") is None:
        # "the current version" changes when a new one is uploaded: revalidate (the ETag names the file)
        cache = "private, no-cache"
    else:
        cache = IMMUTABLE
    headers = {"ETag": f'"{etag}"', "Cache-Control": cache, "X-Page-Width": str(width),
               "X-Page-Version": str(version.number)}
    if _not_modified(etag):
        return Response(status=304, headers=headers)
    size = version.page_sizes[index]
    image = renderer().image(version.sha256, index, width, fmt, (size[0], size[1]), lane=_lane(width),
                             owner=current_user.id)
    if image.placeholder:
        headers = {"Cache-Control": "no-store", "X-Page-Placeholder": "1"}
        return Response(image.read(), mimetype=FORMATS[fmt], headers=headers)
    if marked:
        return Response(watermark(image.read(), fmt, current_user.full_name, today), mimetype=FORMATS[fmt],
                        headers=headers)
    return Response(image.read(), mimetype=FORMATS[fmt], headers=headers)


@blp.route("/documents/<int:document_id>/pages/<int:page>/text", methods=["GET"], endpoint="getPageText")
@login_required
@blp.arguments(VersionArgs, location="query")
@blp.response(200, PageTextOut)
@blp.doc(operationId="getPageText")
def get_page_text(args: dict[str, Any], document_id: int, page: int) -> dict[str, Any]:
    """A page's words with their boxes, in PDF points from the top-left corner."""
    version = _version(document_for(document_id), args.get("version"))
    index = _page_index(version, page)
    layer = renderer().text_layer(version.sha256)["pages"][index]
    words = [{"x0": w[0], "y0": w[1], "x1": w[2], "y1": w[3], "text": w[4]} for w in layer["words"]]
    return {"page": page, "width": layer["width"], "height": layer["height"], "words": words}


@blp.route("/documents/<int:document_id>/outline", methods=["GET"], endpoint="getDocumentOutline")
@login_required
@blp.arguments(VersionArgs, location="query")
@blp.response(200, OutlineEntry(many=True))
@blp.doc(operationId="getDocumentOutline")
def get_outline(args: dict[str, Any], document_id: int) -> list[dict[str, Any]]:
    """The document's outline (bookmarks): level, title, page from 1."""
    version = _version(document_for(document_id), args.get("version"))
    outline: list[dict[str, Any]] = renderer().text_layer(version.sha256)["outline"]
    return outline


@blp.route("/meetings/<int:meeting_id>/rendering", methods=["GET"], endpoint="getRenderProgress")
@login_required
@blp.response(200, ProgressOut(many=True))
@blp.doc(operationId="getRenderProgress")
def get_render_progress(meeting_id: int) -> list[dict[str, Any]]:
    """Pre-rendering progress of each document's current version (secretaries)."""
    meeting = meeting_for(meeting_id, manage=True)
    current = {d.id: d.current_version for d in meeting.documents if d.current_version is not None}
    rows = progress_of([v.id for v in current.values() if v is not None])
    answer = []
    for document_id, version in current.items():
        assert version is not None
        row = rows.get(version.id)
        answer.append({
            "document_id": document_id, "version": version.number,
            "total": row.total if row else version.page_count, "done": row.done if row else 0,
            "failed": row.failed if row else 0, "state": row.state.value if row else "not_started",
        })
    return answer
