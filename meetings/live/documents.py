"""document.published: a document (or its new version) is out, told to everyone who may read it."""

from __future__ import annotations

from typing import Any

from meetings.db import db
from meetings.dossiers.models import Document, DocumentVersion, Meeting
from meetings.live.events import publish_after_commit, recipients_rooms, record
from meetings.live.facts import note_meeting
from meetings.live.models import Audience


def _published(document: Document, version: DocumentVersion | None, actor_id: int | None) -> Any:
    data = {"document": document.id, "title": document.title, "category": document.category.value,
            "version": version.number if version else None, "page_count": version.page_count if version else None}
    event = record(db.session, document.meeting_id, "document.published", data, audience=Audience.MEETING,
                   document_id=document.id, actor_id=actor_id)
    return event.envelope(), recipients_rooms(db.session, event)


def on_dossier_published(meeting: Meeting, *, documents: list[Document], actor_id: int | None, **_: Any) -> None:
    """Listener of signals.dossier_published: each newly visible document is announced after the commit."""
    publish_after_commit(db.session, [_published(d, d.current_version, actor_id) for d in documents])


def on_version_uploaded(version: DocumentVersion, *, document: Document, actor_id: int | None, published: bool,
                        **_: Any) -> None:
    """Listener of signals.version_uploaded: a new version of a published document is announced."""
    if published:
        publish_after_commit(db.session, [_published(document, version, actor_id)])


def forget_dossier(meeting: Meeting, **_: Any) -> None:
    """Listener of signals.dossier_published: the live caches forget the meeting's facts (status,
    documents) once the publishing commits."""
    note_meeting(db.session(), meeting.id)


def forget_version(version: DocumentVersion, *, document: Document, **_: Any) -> None:
    """Listener of signals.version_uploaded: the document's current version and page count changed."""
    note_meeting(db.session(), document.meeting_id)
