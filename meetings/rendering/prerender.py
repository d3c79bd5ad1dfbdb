"""Pre-rendering a published dossier in the background, with progress kept in the database."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select

from meetings import signals
from meetings.db import after_commit, db
from meetings.dossiers.models import DocumentVersion
from meetings.pdf.pages import PRERENDER
from meetings.rendering.models import RenderProgress, RenderState

log = logging.getLogger(__name__)


def queue_versions(version_ids: Iterable[int]) -> list[int]:
    """Mark versions as queued (in the caller's transaction); return those not already done."""
    queued = []
    for version_id in version_ids:
        progress = db.session.get(RenderProgress, version_id)
        if progress is None:
            version = db.session.get(DocumentVersion, version_id)
            if version is None:
                continue
            progress = RenderProgress(version_id=version_id, total=version.page_count * len(PRERENDER))
            db.session.add(progress)
        elif progress.state in (RenderState.DONE, RenderState.PARTIAL):
            continue
        queued.append(version_id)
    return queued


def on_dossier_published(meeting: object, *, versions: list[DocumentVersion], **_: Any) -> None:
    """Listener of signals.dossier_published: pre-render every current version once it is committed."""
    _start_after_commit(queue_versions(v.id for v in versions))


def on_version_uploaded(version: DocumentVersion, *, published: bool, **_: Any) -> None:
    """Listener of signals.version_uploaded: a new version of a published dossier is pre-rendered."""
    if published:
        _start_after_commit(queue_versions([version.id]))


def _start_after_commit(version_ids: list[int]) -> None:
    if version_ids:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        after_commit(db.session, lambda: start(app, version_ids))


def start(app: Flask, version_ids: list[int]) -> None:
    """Render the versions' pages in a background task (a greenlet under gevent)."""
    if not version_ids:
        return
    from meetings.extensions import socketio

    socketio.start_background_task(run, app, version_ids)


def run(app: Flask, version_ids: list[int]) -> None:
    """Render every page of each version at the pre-rendered sizes, recording progress as it goes."""
    from meetings.pdf import renderer

    with app.app_context():
        pages = renderer()
        for version_id in version_ids:
            version = db.session.get(DocumentVersion, version_id)
            progress = db.session.get(RenderProgress, version_id)
            if version is None or progress is None:
                continue
            progress.state, progress.done, progress.failed = RenderState.RUNNING, 0, 0
            db.session.commit()
            try:
                signals.text_extracted.send(version, session=db.session, layer=pages.text_layer(version.sha256))
                db.session.commit()  # searchable now, before its images are made
            except Exception:
                db.session.rollback()
                log.exception("text layer of version %d failed", version_id)
            for page, size in enumerate(version.page_sizes):
                for width, fmt in PRERENDER:
                    image = pages.image(version.sha256, page, width, fmt, (size[0], size[1]), lane="background")
                    progress.done += 1
                    progress.failed += int(image.placeholder)
                db.session.commit()
            progress.state = RenderState.PARTIAL if progress.failed else RenderState.DONE
            db.session.commit()
        db.session.remove()


def progress_of(version_ids: list[int]) -> dict[int, RenderProgress]:
    rows = db.session.scalars(select(RenderProgress).where(RenderProgress.version_id.in_(version_ids)))
    return {row.version_id: row for row in rows}
