"""Accounts API: login, logout, whoami, and bearer tokens for integrations."""

from __future__ import annotations

import functools
import secrets
from typing import Any

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from meetings import audit
from meetings.accounts import sessions
from meetings.accounts.models import ApiToken, User
from meetings.accounts.schemas import LoginIn, LoginOut, TokenIn, TokenOut, WhoAmIOut
from meetings.blocking import off_loop
from meetings.db import db, keep_when_refused, utcnow
from meetings.errors import ApiError
from meetings.extensions import limiter

blp = Blueprint("accounts_api", __name__, url_prefix="/api/v1/auth", description="Sign in and out, tokens")


def login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@functools.cache
def _stand_in_hash() -> str:
    """A hash of a password nobody has, made the way real ones are (once per process)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(username: str, password: str) -> User:
    """Return the active user with these credentials, or raise 401 (the same for every failure)."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.password_hash:
        # the same work as for a real account: how long the answer takes must not tell who exists
        off_loop(check_password_hash, _stand_in_hash(), password)
    if user is None or not user.active or not user.check_password(password):
        audit.record(db.session, "login.failed", actor_id=None, ip=request.remote_addr,
                     username=username.strip().lower()[:80])
        keep_when_refused(db.session)  # the refusal is refused, its record is not
        raise ApiError(401, "invalid_credentials", _l("Wrong username or password."))
    return user


@blp.route("/login", methods=["POST"], endpoint="login")
@limiter.shared_limit(login_limit, scope="sign-in", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, LoginOut)
@blp.doc(operationId="login", security=[])
def login(credentials: dict[str, Any]) -> dict[str, Any]:
    """Sign in with username and password; sets the session cookie and returns the CSRF token."""
    user = authenticate(credentials["username"], credentials["password"])
    sessions.begin(user)
    audit.record(db.session, "login", actor_id=user.id, ip=request.remote_addr)
    return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/logout", methods=["POST"], endpoint="logout")
@blp.response(204)
@blp.doc(operationId="logout")
def logout() -> None:
    """Sign out: the session cookie stops working."""
    if current_user.is_authenticated:
        audit.record(db.session, "logout", actor_id=current_user.id, ip=request.remote_addr)
    sessions.end()


@blp.route("/whoami", methods=["GET"], endpoint="whoami")
@login_required
@blp.response(200, WhoAmIOut)
@blp.doc(operationId="whoami")
def whoami() -> dict[str, Any]:
    """The signed-in user, and a CSRF token for the session."""
    via = "token" if g.get("bearer") else "session"
    # Raw values: the response schema dumps them (dumping twice fails on the role enum).
    user = current_user._get_current_object()
    fields = {name: getattr(user, name) for name in ("id", "username", "full_name", "role", "locale")}
    return {**fields, "via": via, "csrf_token": generate_csrf() if via == "session" else None}


@blp.route("/tokens", methods=["GET"], endpoint="listApiTokens")
@login_required
@blp.response(200, TokenOut(many=True))
@blp.doc(operationId="listApiTokens")
def list_tokens() -> list[ApiToken]:
    """The caller's active API tokens (without the tokens themselves)."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None))
    ))


@blp.route("/tokens", methods=["POST"], endpoint="createApiToken")
@login_required
@blp.arguments(TokenIn)
@blp.response(201, TokenOut)
@blp.doc(operationId="createApiToken")
def create_token(data: dict[str, Any]) -> dict[str, Any]:
    """Issue a bearer token for an integration; the token is in this answer only.

    Not from a browser a delegate card signed in: a card's reach ends with the card, a token's would not."""
    if sessions.by_card():
        raise ApiError(403, "forbidden", _l("Sign in with your password to create an API token."))
    row, clear = ApiToken.issue(current_user, data["name"])
    db.session.add(row)
    db.session.flush()
    audit.record(db.session, "token.create", actor_id=current_user.id, target=row, ip=request.remote_addr)
    # Raw values: the response schema dumps them (dumping twice fails on the dates).
    return {"id": row.id, "name": row.name, "created_at": row.created_at, "last_used_at": row.last_used_at,
            "token": clear}


@blp.route("/tokens/<int:token_id>", methods=["DELETE"], endpoint="revokeApiToken")
@login_required
@blp.response(204)
@blp.doc(operationId="revokeApiToken")
def revoke_token(token_id: int) -> None:
    """Revoke one of the caller's tokens."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id:
        raise ApiError(404, "not_found", _l("Not found."))
    row.revoked_at = utcnow()
    audit.record(db.session, "token.revoke", actor_id=current_user.id, target=row, ip=request.remote_addr)
