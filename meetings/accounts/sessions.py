"""Sign-ins the server can end: the session cookie names a SignIn row, checked on every request.

Signing out ends the row, so a copy of the cookie replayed afterwards is refused; ending a card
ends the sign-ins it opened; the CSRF token is a new one at every sign-in."""

from __future__ import annotations

import datetime as dt

from flask import g, session
from flask_login import login_user, logout_user

from meetings.accounts.models import SignIn, User
from meetings.db import db, utcnow

KEY = "sign_in"


def begin(user: User, *, card_id: int | None = None, expires_at: dt.datetime | None = None) -> SignIn:
    """Sign user in on this browser: a new SignIn row, a fresh session, a fresh CSRF token."""
    row = SignIn(user_id=user.id, card_id=card_id, expires_at=expires_at)
    db.session.add(row)
    db.session.flush()
    lang = session.get("lang")
    session.clear()  # nothing of the session before the sign-in survives it (CSRF token included)
    if lang:
        session["lang"] = lang  # but the language the person chose on the sign-in page stays
    g.pop("csrf_token", None)  # Flask-WTF's copy for this request: the next generate_csrf() makes a new one
    login_user(user)
    session[KEY] = row.id
    return row


def end() -> None:
    """Sign out of this browser: its SignIn row ends, then the session."""
    row = current()
    if row is not None:
        row.ended_at = utcnow()  # through the ORM: the live layer notes it and drops this browser's sockets
    logout_user()
    session.clear()


def end_card_sign_ins(card_id: int) -> None:
    """A card stopped working (revoked, reissued): the sign-ins it opened end with it."""
    for row in db.session.scalars(db.select(SignIn).where(SignIn.card_id == card_id, SignIn.ended_at.is_(None))):
        row.ended_at = utcnow()  # through the ORM: the live layer notes the change and drops the sockets


def current() -> SignIn | None:
    """This browser's sign-in, if it is still open."""
    sign_in_id = session.get(KEY)
    if not isinstance(sign_in_id, int):
        return None
    row = db.session.get(SignIn, sign_in_id)
    return row if row is not None and row.open else None


def by_card() -> bool:
    """Whether this browser was signed in by a delegate card."""
    row = current()
    return row is not None and row.card_id is not None
