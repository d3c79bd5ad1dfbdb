"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from meetings import audit
from meetings.accounts import sessions
from meetings.accounts.api import authenticate, login_limit
from meetings.db import db
from meetings.errors import ApiError
from meetings.extensions import limiter

bp = Blueprint("accounts", __name__)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


def safe_next(target: str | None) -> str:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if not target:
        return url_for("dossiers.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("dossiers.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.shared_limit(login_limit, scope="sign-in", methods=["POST"])  # one budget with the API's
def login() -> Any:
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data))
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data or "", form.password.data or "")
        except ApiError as failed:
            error = failed.message
        else:
            sessions.begin(user)
            audit.record(db.session, "login", actor_id=user.id, ip=request.remote_addr)
            return redirect(safe_next(form.next.data))
    status = 401 if error else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if current_user.is_authenticated:
        audit.record(db.session, "logout", actor_id=current_user.id, ip=request.remote_addr)
    sessions.end()
    flash(_l("You have signed out."))
    return redirect(url_for("accounts.login"))
