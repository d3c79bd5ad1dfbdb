"""When a document gets a new version, its annotations move onto it (or become orphans)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotations import Annotation
from annotations.anchoring import reanchor_shape, reanchor_text
from annotations.model import TEXT_KINDS
from meetings.annotating.actions import log_event
from meetings.dossiers.models import DocumentVersion
from meetings.live.context import Delivery
from meetings.pdf.pages import PageRenderer
from meetings.pdf.pool import RenderFailed

log = logging.getLogger(__name__)


def on_version_uploaded(version: DocumentVersion, *, actor_id: int | None, **_: Any) -> None:
    """Listener of signals.version_uploaded: the document's annotations move onto the new version in
    the upload's transaction, or become orphans; never lost. Clients hear of it after the commit."""
    from meetings.db import db
    from meetings.live.events import publish_after_commit
    from meetings.pdf import renderer

    _, deliveries = reanchor_document(db.session, renderer(), version, actor_id)
    publish_after_commit(db.session, deliveries)


def reanchor_document(session: Session, pages: PageRenderer, version: DocumentVersion,
                      actor_id: int | None) -> tuple[dict[str, int], list[Delivery]]:
    """Move the document's annotations onto version; return counts by outcome and the deliveries."""
    annotations = list(session.scalars(select(Annotation).where(
        Annotation.document_id == version.document_id, Annotation.deleted_at.is_(None),
        Annotation.version_id != version.id)))
    counts = {"position": 0, "exact": 0, "fuzzy": 0, "kept": 0, "orphaned": 0}
    if not annotations:
        return counts, []
    try:
        words = [page["words"] for page in pages.text_layer(version.sha256)["pages"]]
    except RenderFailed:
        # the upload stands; the annotations stay on the version they were made on until a retry
        log.exception("text of version %d not extracted: %d annotations not re-anchored", version.id,
                      len(annotations))
        return counts, []
    deliveries: list[Delivery] = []
    for annotation in annotations:
        outcome = _place(annotation, words, version.page_count)
        counts[outcome] += 1
        annotation.version_id = version.id
        annotation.revision += 1
        session.flush()
        deliveries.append(log_event(annotation, "annotation.updated", actor_id)[1])
    return counts, deliveries


def _place(annotation: Annotation, words: list[list[Any]], page_count: int) -> str:
    if annotation.kind in TEXT_KINDS and annotation.quote:
        placement = reanchor_text(annotation.page, annotation.geometry.get("rects", []), annotation.quote, words)
        if placement is None:
            annotation.orphaned = True
            return "orphaned"
        annotation.page, annotation.geometry, annotation.orphaned = placement.page, {"rects": placement.rects}, False
        return placement.how
    page = reanchor_shape(annotation.page, page_count)
    if page is None:
        annotation.orphaned = True
        return "orphaned"
    annotation.orphaned = False
    return "kept"
