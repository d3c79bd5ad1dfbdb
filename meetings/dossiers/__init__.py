"""Dossiers: meetings, sittings, agenda, documents, versions, upload validation, publishing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.dossiers import api, views
    from meetings.extensions import api as rest

    rest.register_blueprint(api.blp)
    app.register_blueprint(views.bp)
