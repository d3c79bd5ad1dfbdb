"""Paperless Meetings: the Flask application."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, jsonify
from sqlalchemy import text
from werkzeug.routing import IntegerConverter

from meetings import config as config_module
from meetings.db import MAX_ID, end_transaction
from meetings.extensions import api, csrf, db, limiter, login_manager, migrate, socketio
from meetings.search import models as search_models


class RowIdConverter(IntegerConverter):
    """<int:...> in URLs stops at the largest INTEGER key, so a longer number is a 404, not an overflow."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PaperlessFlask(Flask):
    """Flask with one transaction per request, ended at the boundary: views and services only flush.

    A view that returns a success commits; a refusal (4xx/5xx answer or an exception) rolls back.
    The commit runs before the answer leaves, so an acknowledged change is durable, and a failing
    commit becomes an error answer through the usual handlers; what waits for the commit
    (meetings.db.after_commit: live events, pre-rendering) runs right after it."""

    def dispatch_request(self) -> Any:
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            end_transaction(db.session, succeeded=False)
            raise
        end_transaction(db.session, succeeded=response.status_code < 400)
        return response


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration from the environment, overridden by config (tests pass theirs)."""
    app = PaperlessFlask(__name__)
    app.url_map.converters["int"] = RowIdConverter
    app.config.update(config_module.DEFAULTS)
    if config is None or not config.get("TESTING_SKIP_ENV"):
        app.config.update(config_module.from_environment())
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Vietnamese stays readable
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] << 20) + (1 << 20)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    # include_name: schema comparisons skip the full-text structures each database has its own of
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True,
                     include_name=search_models.include_name)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    api.init_app(app)
    from meetings import live

    live.register_namespace(socketio)
    socketio.init_app(app, message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"), async_mode=_async_mode(),
                      channel=app.config.get("SOCKETIO_CHANNEL", "paperless-meetings"))
    if proxies := app.config.get("TRUSTED_PROXIES"):
        # behind nginx: the client's own address for rate limits and the audit trail, and https
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    from meetings import (
        accounts,
        annotating,
        attendance,
        audit,
        cli,
        discussion,
        dossiers,
        errors,
        i18n,
        pdf,
        reader,
        rendering,
        search,
        web,
    )

    errors.init_app(app)
    i18n.init_app(app)
    accounts.init_app(app)
    audit.init_app(app)
    pdf.init_app(app)
    dossiers.init_app(app)
    rendering.init_app(app)
    reader.init_app(app)
    search.init_app(app)
    live.init_app(app)
    annotating.init_app(app)
    attendance.init_app(app)
    discussion.init_app(app)
    web.init_app(app)
    cli.init_app(app)

    @app.get("/healthz")
    def healthz() -> Any:
        """Liveness and readiness: 200 once the database answers."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            return jsonify(status="unavailable"), 503
        return jsonify(status="ok")

    return app


def _async_mode() -> str:
    """gevent when the process was monkey-patched (the server, wsgi.py); threads otherwise (commands,
    tests), where greenlets would never get a turn."""
    from gevent import monkey

    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
