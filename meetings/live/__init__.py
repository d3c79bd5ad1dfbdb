"""The live layer: Socket.IO namespace /live, the durable event log, rooms, resume with `since`."""

from __future__ import annotations

from flask import Flask
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
