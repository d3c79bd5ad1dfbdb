"""Rendering: the page-image and text-layer API over the PDF workers, and pre-rendering on publish."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings import signals
    from meetings.extensions import api
    from meetings.rendering import api as routes
    from meetings.rendering import models, prerender  # noqa: F401  (models: registers the table)

    api.register_blueprint(routes.blp)
    signals.dossier_published.connect(prerender.on_dossier_published)
    signals.version_uploaded.connect(prerender.on_version_uploaded)
