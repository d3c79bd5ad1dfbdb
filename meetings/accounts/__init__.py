"""Accounts: users, roles, sign-in, API tokens."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from meetings.accounts import api, auth, views
    from meetings.extensions import api as rest

    auth.init_app(app)
    rest.register_blueprint(api.blp)
    app.register_blueprint(views.bp)
