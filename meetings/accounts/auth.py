"""Who is calling: session cookies for browsers, bearer tokens for integrations, CSRF for cookies."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import or_, select

from meetings.accounts import sessions
from meetings.accounts.models import ApiToken, SignIn, User
from meetings.db import db, utcnow
from meetings.errors import ApiError, wants_json
from meetings.extensions import csrf, login_manager

#: how fresh a token's "last used" is kept
LAST_USE_EVERY = dt.timedelta(minutes=1)
#: endpoints a client reaches before it has a session, so before it can hold a CSRF token
CSRF_EXEMPT_ENDPOINTS = {"accounts_api.login"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user while its sign-in is open (ended by signing out, or with its card)."""
    sign_in_id = session.get(sessions.KEY)
    if not user_id.isdigit() or not isinstance(sign_in_id, int):
        return None
    user = db.session.scalar(select(User).join(SignIn, SignIn.user_id == User.id).where(
        User.id == int(user_id), SignIn.id == sign_in_id, SignIn.ended_at.is_(None),
        or_(SignIn.expires_at.is_(None), SignIn.expires_at > utcnow())))
    return user if user is not None and user.active else None


@login_manager.request_loader
def load_user_from_bearer(req: Any) -> User | None:
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    row = db.session.scalar(
        db.select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token.strip()))
    )
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USE_EVERY:
        # at most once a minute: a write would hold SQLite's only write lock for the request's whole
        # life (a render it waits for included), so every other integration's request would queue
        row.last_used_at = now
    g.bearer = True
    return row.user


@login_manager.unauthorized_handler
def unauthorized() -> Any:
    if wants_json():
        raise ApiError(401, "unauthorized", _l("Please sign in."))
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def uses_bearer_token() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def protect_from_csrf() -> None:
    """Unsafe calls made with the session cookie must carry the CSRF token; bearer calls need not."""
    if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
        return
    if request.endpoint in CSRF_EXEMPT_ENDPOINTS:
        return
    # Nobody signed in: no ambient credentials to abuse, and the view answers 401 (the sign-in form
    # checks its own token).
    if not current_user.is_authenticated:
        return
    # A bearer token only stands in for the token when it, not a session cookie, signed the caller in.
    if uses_bearer_token() and current_user.is_authenticated and g.get("bearer"):
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    app.before_request(protect_from_csrf)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> Any:
        from meetings.errors import error_response

        return error_response(
            ApiError(400, "csrf_failed", _l("The form has expired or lacks its security token; reload the page."))
        )
