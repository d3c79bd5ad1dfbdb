"""The delegate's reader page: one document of the dossier, page by page, tablet first."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.reader import views

    app.register_blueprint(views.bp)
