"""Delegate cards: signed, expiring, single-purpose login links, stored only as hashes.

A token is `<random>.<signature>`: 192 random bits from secrets, then an HMAC-SHA256 of them under
a key derived from SECRET_KEY for this one purpose ("delegate-card"), so that no other signed value
of the app passes for a card, and a tampered link is refused before the database is asked. The
database keeps the SHA-256 of the whole token with its meeting, holder, expiry and revocation."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from meetings.accounts import sessions
from meetings.accounts.models import User
from meetings.attendance.models import DelegateCard
from meetings.db import utcnow
from meetings.dossiers.models import Meeting, MeetingStatus
from meetings.participants.models import Participant

PURPOSE = b"delegate-card"
#: when a meeting has no sittings to end with
DEFAULT_TTL = dt.timedelta(days=7)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Refusal(enum.StrEnum):
    """Why a card link signs nobody in; the page says which."""

    INVALID = "invalid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CLOSED = "closed"
    NOT_PUBLISHED = "not_published"
    NOT_PARTICIPANT = "not_participant"


class CardRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class IssuedCard:
    card: DelegateCard
    #: the clear token: printed once, never stored
    token: str


class CardService:
    """Issues, revokes and redeems one meeting's cards. Flushes; the caller commits."""

    def __init__(self, session: Session, secret_key: str, timezone: str, *, ttl_hours: float | None = None,
                 now: Callable[[], dt.datetime] = utcnow) -> None:
        self.session = session
        self._key = hmac.new(secret_key.encode(), PURPOSE, hashlib.sha256).digest()
        self.tz = ZoneInfo(timezone)
        self.ttl_hours = ttl_hours
        self.now = now

    # -- tokens
    def _sign(self, random_part: str) -> str:
        mac = hmac.new(self._key, random_part.encode(), hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()

    def _new_token(self) -> str:
        random_part = secrets.token_urlsafe(24)
        return f"{random_part}.{self._sign(random_part)}"

    def signature_ok(self, token: str) -> bool:
        random_part, dot, signature = token.partition(".")
        return bool(dot) and len(token) <= 200 and hmac.compare_digest(self._sign(random_part), signature)

    # -- issuing
    def expiry(self, meeting: Meeting) -> dt.datetime:
        """CARD_TTL_HOURS from now when configured; else the end of the meeting's last sitting (its
        end time, or the end of its day, in the app's time zone); else a week from now."""
        now = self.now()
        if self.ttl_hours:
            return now + dt.timedelta(hours=self.ttl_hours)
        ends = [dt.datetime.combine(s.date, s.ends_at or dt.time(23, 59, 59), self.tz) for s in meeting.sittings]
        last = max(ends, default=None)
        return last.astimezone(dt.UTC) if last is not None and last > now else now + DEFAULT_TTL

    def active_card(self, meeting_id: int, user_id: int) -> DelegateCard | None:
        return self.session.scalar(select(DelegateCard).where(
            DelegateCard.meeting_id == meeting_id, DelegateCard.user_id == user_id,
            DelegateCard.revoked_at.is_(None), DelegateCard.expires_at > self.now()))

    def issue(self, meeting: Meeting, user_id: int) -> IssuedCard:
        token = self._new_token()
        card = DelegateCard(meeting_id=meeting.id, user_id=user_id, token_hash=digest(token),
                            created_at=self.now(), expires_at=self.expiry(meeting))
        self.session.add(card)
        self.session.flush()
        return IssuedCard(card, token)

    def issue_missing(self, meeting: Meeting, user_ids: Iterable[int]) -> tuple[list[IssuedCard], list[int]]:
        """A card for each of user_ids who holds no active one; those who do are returned as skipped
        (their token cannot be printed again: replacing a card is revoke_and_reissue's job)."""
        issued, skipped = [], []
        for user_id in user_ids:
            if self.active_card(meeting.id, user_id) is not None:
                skipped.append(user_id)
            else:
                issued.append(self.issue(meeting, user_id))
        return issued, skipped

    def revoke_and_reissue(self, meeting: Meeting, user_id: int) -> IssuedCard:
        """For a lost card or tablet: every card of the person for this meeting stops working, and
        so does every browser signed in with one of them."""
        ended = list(self.session.scalars(update(DelegateCard).where(
            DelegateCard.meeting_id == meeting.id, DelegateCard.user_id == user_id,
            DelegateCard.revoked_at.is_(None)).values(revoked_at=self.now()).returning(DelegateCard.id)))
        for card_id in ended:
            sessions.end_card_sign_ins(card_id)
        return self.issue(meeting, user_id)

    # -- redeeming
    def redeem(self, token: str) -> DelegateCard:
        """The card token opens, with its holder and meeting loaded, marked used; or CardRefused."""
        if not self.signature_ok(token):
            raise CardRefused(Refusal.INVALID)
        card = self.session.scalar(select(DelegateCard).where(DelegateCard.token_hash == digest(token)))
        if card is None:
            raise CardRefused(Refusal.INVALID)
        meeting = self.session.get(Meeting, card.meeting_id)
        if card.revoked_at is not None:
            raise CardRefused(Refusal.REVOKED)
        if meeting is None or meeting.status is MeetingStatus.CLOSED:
            raise CardRefused(Refusal.CLOSED)
        if card.expires_at <= self.now():
            raise CardRefused(Refusal.EXPIRED)
        user = self.session.get(User, card.user_id)
        takes_part = self.session.scalar(select(Participant.id).where(
            Participant.meeting_id == card.meeting_id, Participant.user_id == card.user_id))
        if user is None or not user.active or takes_part is None:
            raise CardRefused(Refusal.NOT_PARTICIPANT)
        if meeting.status is MeetingStatus.DRAFT:
            raise CardRefused(Refusal.NOT_PUBLISHED)
        card.last_used_at = self.now()
        self.session.flush()
        return card
