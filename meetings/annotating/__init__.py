"""Annotating: the app's adapter around the Flask-free `annotations` package (access, live actions,
HTTP lists and exports, re-anchoring onto new versions)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings import signals
    from meetings.annotating import actions, api, reanchor  # noqa: F401  (actions register live handlers)
    from meetings.extensions import api as rest

    rest.register_blueprint(api.blp)
    signals.version_uploaded.connect(reanchor.on_version_uploaded)
