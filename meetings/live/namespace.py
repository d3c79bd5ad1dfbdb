"""The /live Socket.IO namespace: authenticated on connect, dotted client actions dispatched
through a table of handlers, every action acknowledged with its stored result or a clear error."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from sqlalchemy import select

from meetings.accounts.models import ApiToken, User
from meetings.db import db
from meetings.dossiers.models import Meeting
from meetings.dossiers.permissions import manages, visible_meetings
from meetings.live import events
from meetings.live.models import Audience
from meetings.participants.membership import Member, member_of

log = logging.getLogger(__name__)

#: a client action's handler: (user, payload) -> (ack, [(envelope, rooms), ...] to publish after commit)
Handler = Callable[[User, Any], tuple[dict[str, Any], list[tuple[dict[str, Any], list[str]]]]]
HANDLERS: dict[str, Handler] = {}
#: told after a socket joined a meeting: (sid, user, meeting_id, viewer); e.g. presence
JOIN_LISTENERS: list[Callable[[str, User, int, Member], None]] = []
#: told when a socket went away: (sid,)
LEAVE_LISTENERS: list[Callable[[str], None]] = []


def action(name: str) -> Callable[[Handler], Handler]:
    """Register a handler for the client action name (e.g. "annotation.create")."""

    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def failure(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "error": {"code": code, "message": message, **extra}}


def live_user() -> User | None:
    user_id = session.get("live_user_id")
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


class LiveNamespace(Namespace):
    def on_connect(self, auth: Any = None) -> None:
        user: User | None = None
        token = auth.get("token") if isinstance(auth, dict) else None
        if isinstance(token, str) and token:
            row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token)))
            if row is not None and row.revoked_at is None and row.user.active:
                user = row.user
        elif current_user.is_authenticated:
            user = current_user._get_current_object()
        if user is None:
            raise ConnectionRefusedError("sign in first", {"code": "unauthorized"})
        session["live_user_id"] = user.id
        join_room(events.room_of(Audience.USER, user.id))

    def on_disconnect(self, *_: Any) -> None:
        for listener in LEAVE_LISTENERS:
            try:
                listener(request.sid)  # type: ignore[attr-defined]
            except Exception:
                log.exception("leave listener failed")
        db.session.rollback()

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Dispatch connect/disconnect/join as usual, dotted actions through HANDLERS."""
        if event in ("connect", "disconnect", "join"):
            return super().trigger_event(event, *args)
        handler = HANDLERS.get(event)
        if handler is None:
            return failure("unknown_event", f"no such action: {event}")
        run = functools.partial(self._run, handler)
        return self.socketio._handle_event(run, event, self.namespace, *args)  # type: ignore[union-attr]

    def _run(self, handler: Handler, payload: Any = None, *_: Any) -> dict[str, Any]:
        user = live_user()
        if user is None:
            return failure("unauthorized", "sign in first")
        try:
            ack, deliveries = handler(user, payload)
            # told only after the commit: an event a client hears of is always durable
            events.publish_after_commit(db.session, deliveries)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("live action %s failed", request.event["message"])  # type: ignore[attr-defined]
            return failure("internal_error", "the action could not be applied; nothing was stored")
        return ack

    def on_join(self, payload: Any = None) -> dict[str, Any]:
        """Enter a meeting's rooms; answer with the latest seq and what was missed since `since`."""
        user = live_user()
        if user is None:
            return failure("unauthorized", "sign in first")
        if not isinstance(payload, dict) or not isinstance(payload.get("meeting"), int):
            return failure("invalid", 'join needs {"meeting": id, "since": seq or null}')
        since = payload.get("since")
        if since is not None and (not isinstance(since, int) or since < 0):
            return failure("invalid", "since must be a sequence number or null")
        meeting = db.session.scalar(visible_meetings(user).where(Meeting.id == payload["meeting"]))
        if meeting is None:
            return failure("not_found", "no such meeting")
        viewer = member_of(db.session, user, meeting.id)
        join_room(events.room_of(Audience.MEETING, meeting.id))
        for group_id in viewer.group_ids:
            join_room(events.room_of(Audience.GROUP, group_id))
        if manages(user):
            join_room(events.managers_room(meeting.id))
        seq = events.latest_seq(db.session, meeting.id)
        missed, truncated = events.missed(db.session, viewer, meeting.id, since) if since is not None else ([], False)
        db.session.rollback()
        for listener in JOIN_LISTENERS:
            try:
                listener(request.sid, user, meeting.id, viewer)  # type: ignore[attr-defined]
            except Exception:
                log.exception("join listener failed")
            db.session.rollback()
        return {"ok": True, "seq": seq, "missed": missed, "truncated": truncated}
