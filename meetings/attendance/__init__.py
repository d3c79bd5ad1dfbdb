"""Attendance: QR codes for sittings, personal delegate cards (signed login links), check-in and
attendance with the meeting's quorum, and read receipts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings import signals
    from meetings.attendance import api, models, receipts, views  # noqa: F401  (models: the tables register)
    from meetings.extensions import api as rest

    app.config.setdefault("CARD_TTL_HOURS", None)
    app.config.setdefault("CARD_RATE_LIMIT", "30 per minute")
    rest.register_blueprint(api.blp)
    app.register_blueprint(views.bp)
    signals.document_opened.connect(receipts.on_document_opened)
