"""Filling the search index from a version's text layer. Flushes, never commits."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session, aliased

from meetings.dossiers.models import DocumentVersion
from meetings.pdf.pages import PageRenderer
from meetings.pdf.pool import RenderFailed
from meetings.search.folding import fold, normalize
from meetings.search.models import PageText

log = logging.getLogger(__name__)


def page_text(page: Mapping[str, Any]) -> str:
    """A page of the text layer as one string: its words, in reading order, joined by spaces."""
    return normalize(" ".join(str(word[4]) for word in page.get("words", [])))


def index_version(session: Session, version: DocumentVersion, layer: Mapping[str, Any]) -> int:
    """Replace the version's indexed pages with those of layer (PageRenderer.text_layer's answer).

    Returns the number of pages stored; pages without words are left out."""
    session.execute(delete(PageText).where(PageText.version_id == version.id))
    rows = []
    for number, page in enumerate(layer.get("pages", []), start=1):
        text = page_text(page)
        if text.strip():
            rows.append(PageText(version_id=version.id, page=number, text=text, folded=fold(text)))
    session.add_all(rows)
    session.flush()
    return len(rows)


def index_from_renderer(session: Session, version: DocumentVersion, pages: PageRenderer) -> bool:
    """Index version from its text layer, extracted by the render workers (cached per file).

    A PDF whose text cannot be extracted is logged and left unindexed, never an error for the
    caller: the upload stands, and pre-rendering tries again on publish."""
    try:
        layer = pages.text_layer(version.sha256)
    except (RenderFailed, OSError, ValueError) as failure:
        log.error("text of version %d (%s) not indexed: %s", version.id, version.sha256[:12], failure)
        return False
    index_version(session, version, layer)
    return True


def on_version_uploaded(version: DocumentVersion, **_: Any) -> None:
    """Listener of signals.version_uploaded: index it in the request's transaction (a draft is searchable)."""
    from meetings.db import db
    from meetings.pdf import renderer

    index_from_renderer(db.session, version, renderer())


def on_text_extracted(version: DocumentVersion, *, session: Session, layer: Mapping[str, Any], **_: Any) -> None:
    """Listener of signals.text_extracted: pre-rendering has the text; index it in its transaction."""
    index_version(session, version, layer)


def unindexed_versions(session: Session) -> list[DocumentVersion]:
    """Current versions without any indexed page (those uploaded before search existed, say)."""
    newer = aliased(DocumentVersion)
    superseded = exists().where(
        newer.document_id == DocumentVersion.document_id, newer.number > DocumentVersion.number
    )
    indexed = exists().where(PageText.version_id == DocumentVersion.id)
    query = select(DocumentVersion).where(~superseded, ~indexed).order_by(DocumentVersion.id)
    return list(session.scalars(query))


def index_unindexed(session: Session, pages: PageRenderer) -> tuple[int, int]:
    """Index every current version that has no indexed page; return (indexed, tried)."""
    versions = unindexed_versions(session)
    return sum(index_from_renderer(session, version, pages) for version in versions), len(versions)
