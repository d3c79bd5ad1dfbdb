"""The live layer: Socket.IO namespace /live, the durable event log, rooms, resume with `since`."""

from __future__ import annotations

from flask import Flask, g, request
from flask_socketio import SocketIO


def register_namespace(socketio: SocketIO) -> None:
    """Give socketio the /live namespace, before its init_app (which hands it to each new server)."""
    from meetings.live.events import NAMESPACE
    from meetings.live.namespace import LiveNamespace

    if not any(isinstance(handler, LiveNamespace) for handler in socketio.namespace_handlers):
        handler = LiveNamespace(NAMESPACE)
        handler._set_socketio(socketio)
        socketio.namespace_handlers.append(handler)


def init_app(app: Flask) -> None:
    """The tables are registered by importing them; documents coming out are announced; the live
    caches (meetings.live.facts) get their bus and forget a meeting's documents when they change."""
    from meetings import signals
    from meetings.live import documents, facts, models  # noqa: F401  (models: the tables register)

    facts.configure(app)
    signals.dossier_published.connect(documents.on_dossier_published)
    signals.version_uploaded.connect(documents.on_version_uploaded)
    signals.dossier_published.connect(documents.forget_dossier)
    signals.version_uploaded.connect(documents.forget_version)
    app.before_request(_note_the_pages_seq)
    app.context_processor(lambda: {"live_seq": g.get("live_seq")})


def _note_the_pages_seq() -> None:
    """A meeting's page records the meeting's latest seq before it loads anything: its live
    connection joins with `since` = that seq, so an event stored while the page was being built or
    loaded is replayed, never lost (a later seq could skip one; an earlier one only repeats, and
    events are applied idempotently)."""
    meeting_id = (request.view_args or {}).get("meeting_id")
    if request.method == "GET" and isinstance(meeting_id, int) and not request.path.startswith("/api/"):
        from meetings.db import db
        from meetings.live.events import latest_seq

        g.live_seq = latest_seq(db.session, meeting_id)
