"""Participants of a meeting and its breakout groups."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.extensions import api as rest
    from meetings.participants import api

    rest.register_blueprint(api.blp)
