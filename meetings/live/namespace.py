"""The /live Socket.IO namespace: authenticated on connect, dotted client actions dispatched
through one table of handlers (meetings.live.actions), every action acknowledged with its stored
result or a clear error.

Who the socket is and who they are in each meeting are kept on the socket (meetings.live.facts):
an action reads no account, participation or group, and re-reads them only when the server
announces that they changed (or, at the latest, after facts.CHECK_SECONDS)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from sqlalchemy import select

from meetings.accounts import sessions
from meetings.accounts.models import ApiToken, SignIn, User
from meetings.db import db
from meetings.dossiers.models import Meeting
from meetings.dossiers.permissions import manages, visible_meetings
from meetings.live import events
from meetings.live.actions import HANDLERS, Handler, failure, register
from meetings.live.context import LiveContext
from meetings.live.facts import CHECK_SECONDS, Facts, Viewer, facts_of, user_snapshot
from meetings.live.models import Audience
from meetings.participants.membership import Member, member_of

__all__ = ["HANDLERS", "JOIN_LISTENERS", "LEAVE_LISTENERS", "LiveNamespace", "action", "failure", "register"]

log = logging.getLogger(__name__)

#: told after a socket joined a meeting: (sid, user, meeting_id, viewer); e.g. presence
JOIN_LISTENERS: list[Callable[[str, User, int, Member], None]] = []
#: told when a socket went away: (sid,)
LEAVE_LISTENERS: list[Callable[[str], None]] = []


def action(name: str) -> Callable[[Handler], Handler]:
    """Register a plain handler for the client action name (most are LiveActions in a table)."""

    def add(handler: Handler) -> Handler:
        register({name: handler})
        return handler

    return add


def live_user() -> User | None:
    """The socket's user, read again from the database (join does; actions use the socket's facts)."""
    user_id = session.get("live_user_id")
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.active:
        return None
    sign_in_id, token_id = session.get("live_sign_in"), session.get("live_token")
    if sign_in_id is not None and db.session.scalar(
            select(SignIn.id).where(SignIn.id == sign_in_id, SignIn.ended_at.is_(None))) is None:
        return None  # signed out (or the card that signed in was revoked)
    if token_id is not None and db.session.scalar(
            select(ApiToken.id).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))) is None:
        return None
    return user


def _sid() -> str:
    return str(request.sid)  # type: ignore[attr-defined]


class LiveNamespace(Namespace):
    def _facts(self) -> Facts:
        facts = facts_of(current_app._get_current_object())  # type: ignore[attr-defined]
        if not facts.moved:
            facts.spawn = self.socketio.start_background_task  # type: ignore[union-attr]
            facts.moved.append(self._move)
            facts.closed.append(self._close)
            facts.bus.start()
        return facts

    def on_connect(self, auth: Any = None) -> None:
        user: User | None = None
        token_id: int | None = None
        token = auth.get("token") if isinstance(auth, dict) else None
        if isinstance(token, str) and token:
            row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token)))
            if row is not None and row.revoked_at is None and row.user.active:
                user, token_id = row.user, row.id
        elif current_user.is_authenticated:  # the cookie's sign-in is open: the user loader checked
            user = current_user._get_current_object()
        if user is None:
            raise ConnectionRefusedError("sign in first", {"code": "unauthorized"})
        session["live_user_id"] = user.id
        sign_in_id = None if token_id is not None else session.get(sessions.KEY)
        session["live_sign_in"], session["live_token"] = sign_in_id, token_id
        self._facts().add_viewer(Viewer(_sid(), user_snapshot(user), sign_in_id=sign_in_id, token_id=token_id))
        join_room(events.room_of(Audience.USER, user.id))
        db.session.rollback()

    def on_disconnect(self, *_: Any) -> None:
        sid = _sid()
        self._facts().drop_viewer(sid)
        for listener in LEAVE_LISTENERS:
            try:
                listener(sid)
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
        return self.socketio._handle_event(  # type: ignore[union-attr]
            lambda *a: self._run(handler, *a), event, self.namespace, *args)

    def _viewer(self, facts: Facts) -> Viewer | None:
        """The socket's facts; its account read again when the caches may be stale."""
        viewer = facts.viewer(_sid())
        if viewer is not None and (not facts.trusted or time.monotonic() - viewer.checked_at > CHECK_SECONDS):
            user = live_user()
            if user is None:
                return None
            viewer.user, viewer.checked_at = user_snapshot(user), time.monotonic()
        return viewer

    def _run(self, handler: Handler, payload: Any = None, *_: Any) -> dict[str, Any]:
        facts = self._facts()
        viewer = self._viewer(facts)
        if viewer is None:
            return failure("unauthorized", "sign in first")
        try:
            ack, deliveries = handler(LiveContext(db.session, facts, viewer, request.remote_addr), payload)
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
        facts = self._facts()
        user = live_user()
        viewer = facts.viewer(_sid())
        if user is None or viewer is None:
            return failure("unauthorized", "sign in first")
        viewer.user, viewer.checked_at = user_snapshot(user), time.monotonic()
        if not isinstance(payload, dict) or not isinstance(payload.get("meeting"), int):
            return failure("invalid", 'join needs {"meeting": id, "since": seq or null}')
        since = payload.get("since")
        if since is not None and (not isinstance(since, int) or since < 0):
            return failure("invalid", "since must be a sequence number or null")
        meeting = db.session.scalar(visible_meetings(user).where(Meeting.id == payload["meeting"]))
        if meeting is None:
            return failure("not_found", "no such meeting")
        member = member_of(db.session, user, meeting.id)
        viewer.members[meeting.id] = member
        viewer.joined.add(meeting.id)
        join_room(events.room_of(Audience.MEETING, meeting.id))
        for group_id in member.group_ids:
            join_room(events.room_of(Audience.GROUP, group_id))
        if manages(user):
            join_room(events.managers_room(meeting.id))
        seq = events.latest_seq(db.session, meeting.id)
        missed, truncated = events.missed(db.session, member, meeting.id, since) if since is not None else ([], False)
        db.session.rollback()
        for listener in JOIN_LISTENERS:
            try:
                listener(_sid(), user, meeting.id, member)
            except Exception:
                log.exception("join listener failed")
            db.session.rollback()
        return {"ok": True, "seq": seq, "missed": missed, "truncated": truncated}

    # -- told by the facts when a change moved a socket (in a background task, not a request)

    def _move(self, viewer: Viewer, meeting_id: int, member: Member | None) -> None:
        """Put a joined socket in the rooms its membership now gives (none: it may no longer open
        the meeting, and hears nothing more of it)."""
        server = self.socketio.server  # type: ignore[union-attr]
        rooms = set(server.rooms(viewer.sid, namespace=self.namespace))
        meeting_rooms = {events.room_of(Audience.MEETING, meeting_id), events.managers_room(meeting_id)}
        had_groups = {r for r in rooms if r.startswith("group:")}
        wanted: set[str] = set()
        if member is not None:
            wanted = {events.room_of(Audience.MEETING, meeting_id)}
            wanted |= {events.room_of(Audience.GROUP, g) for g in member.group_ids}
            if member.manager:
                wanted.add(events.managers_room(meeting_id))
        # the group rooms of this meeting: those of the member's groups before and after
        previous = {events.room_of(Audience.GROUP, g) for g in self._groups_of_meeting(meeting_id)}
        for room in (rooms & (meeting_rooms | (had_groups & previous))) - wanted:
            server.leave_room(viewer.sid, room, namespace=self.namespace)
        for room in wanted - rooms:
            server.enter_room(viewer.sid, room, namespace=self.namespace)

    @staticmethod
    def _groups_of_meeting(meeting_id: int) -> set[int]:
        facts = facts_of()
        found = facts.meeting(db.session, meeting_id)
        return set(found.groups) if found is not None else set()

    def _close(self, sid: str) -> None:
        self.socketio.server.disconnect(sid, namespace=self.namespace)  # type: ignore[union-attr]

