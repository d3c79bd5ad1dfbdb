"""Accounts: people who sign in, their role in the installation, and their API tokens."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from meetings.blocking import off_loop
from meetings.db import Base, created_at, enum_column, intpk, str200, utcnow


class Role(enum.StrEnum):
    """A person's role across the installation; their role in one meeting is a Participant's."""

    ADMIN = "admin"
    SECRETARY = "secretary"
    CHAIR = "chair"
    DELEGATE = "delegate"
    OBSERVER = "observer"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    #: login name, lower case, unique
    username: Mapped[str] = mapped_column(String(80), unique=True)
    #: name shown to others and printed on cards and watermarks
    full_name: Mapped[str200]
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), default=Role.DELEGATE)
    #: preferred UI language; None follows the browser
    locale: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        self.password_hash = off_loop(generate_password_hash, password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and off_loop(check_password_hash, self.password_hash or "", password)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_manager(self) -> bool:
        """Of the secretariat, the one word for it here being "manager": admins and secretaries build,
        edit and publish every meeting's dossier."""
        return self.role in (Role.ADMIN, Role.SECRETARY)

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(Base):
    """A bearer token for integrations. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str200]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    PREFIX = "pm_"

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        """Make a new token for user; return the row and the clear token (never stored)."""
        clear = cls.PREFIX + secrets.token_urlsafe(32)
        return cls(user=user, name=name, token_hash=cls.digest(clear)), clear


class SignIn(Base):
    """One signed-in browser: the session cookie names it, so it can be ended on the server.

    Signing out ends it (a copied cookie is worth nothing after); a revoked or expired delegate card
    ends the sign-ins it opened."""

    __tablename__ = "sign_ins"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the delegate card that opened it; such a sign-in ends with its card and cannot mint API tokens
    card_id: Mapped[int | None] = mapped_column(ForeignKey("delegate_cards.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[created_at]
    #: a card's sign-in lasts no longer than the card
    expires_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]

    @property
    def open(self) -> bool:
        return self.ended_at is None and (self.expires_at is None or self.expires_at > utcnow())
