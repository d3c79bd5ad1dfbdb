"""Dossiers: meetings, sittings, agenda, documents, versions, upload validation, publishing, and the
secretariat's roster of participants and groups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.dossiers import api, roster, views
    from meetings.extensions import api as rest

    rest.register_blueprint(api.blp)
    rest.register_blueprint(roster.blp)
    app.register_blueprint(views.bp)
