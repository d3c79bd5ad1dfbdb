"""Who is connected now, per meeting and per group, from the live layer's joins and disconnects.

A delegate with two devices (two sockets) counts once, and goes offline when their last socket
leaves. One process keeps it in memory; several processes (SOCKETIO_MESSAGE_QUEUE=redis://...)
share it in Redis, so every process sees every socket: each process's sockets are fields of a hash
per meeting, and each process keeps a heartbeat key alive, so the sockets of a process that died
stop counting within HEARTBEAT_TTL seconds."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from meetings.accounts.models import User
from meetings.live import events
from meetings.participants.membership import Member
from meetings.participants.models import Group


class Presence:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: dict[str, dict[int, int]] = {}  # sid -> {meeting_id: user_id}

    def joined(self, sid: str, meeting_id: int, user_id: int) -> bool:
        """Record that sid joined meeting; True when its user was not online there before."""
        with self._lock:
            before = user_id in self._online(meeting_id)
            self._sockets.setdefault(sid, {})[meeting_id] = user_id
            return not before

    def left(self, sid: str) -> list[tuple[int, int]]:
        """Forget sid; the (meeting, user) pairs whose user has no socket left there."""
        with self._lock:
            gone = self._sockets.pop(sid, {})
            return [
                (meeting_id, user_id) for meeting_id, user_id in gone.items() if user_id not in self._online(meeting_id)
            ]

    def online(self, meeting_id: int) -> set[int]:
        with self._lock:
            return self._online(meeting_id)

    def _online(self, meeting_id: int) -> set[int]:
        return {m[meeting_id] for m in self._sockets.values() if meeting_id in m}

    def clear(self) -> None:
        with self._lock:
            self._sockets.clear()


class RedisPresence(Presence):
    """Presence shared by every server process through Redis."""

    HEARTBEAT_TTL = 30

    def __init__(self, url: str, prefix: str = "paperless-meetings") -> None:
        import os
        import uuid

        import redis

        super().__init__()
        self.redis = redis.Redis.from_url(url)
        self.process = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.prefix = prefix
        self._beating = False

    def _key(self, meeting_id: int) -> str:
        return f"{self.prefix}:presence:{meeting_id}"

    def _alive_key(self, process: str) -> str:
        return f"{self.prefix}:process:{process}"

    def _beat(self) -> None:
        self.redis.set(self._alive_key(self.process), 1, ex=self.HEARTBEAT_TTL)

    def _start_heartbeat(self) -> None:
        if self._beating:
            return
        self._beating = True
        self._beat()
        from meetings.extensions import socketio

        def beat_forever() -> None:
            while True:
                socketio.sleep(self.HEARTBEAT_TTL / 3)
                self._beat()

        socketio.start_background_task(beat_forever)

    def joined(self, sid: str, meeting_id: int, user_id: int) -> bool:
        self._start_heartbeat()
        before = user_id in self.online(meeting_id)
        with self._lock:
            self._sockets.setdefault(sid, {})[meeting_id] = user_id
        self.redis.hset(self._key(meeting_id), f"{self.process}/{sid}", user_id)
        return not before

    def left(self, sid: str) -> list[tuple[int, int]]:
        with self._lock:
            gone = self._sockets.pop(sid, {})
        for meeting_id in gone:
            self.redis.hdel(self._key(meeting_id), f"{self.process}/{sid}")
        return [(m, u) for m, u in gone.items() if u not in self.online(m)]

    def online(self, meeting_id: int) -> set[int]:
        sockets = {k.decode(): int(v) for k, v in self.redis.hgetall(self._key(meeting_id)).items()}
        processes = sorted({field.split("/", 1)[0] for field in sockets})
        alive = dict(zip(processes, self.redis.mget([self._alive_key(p) for p in processes]), strict=True)) \
            if processes else {}
        dead = [field for field in sockets if alive.get(field.split("/", 1)[0]) is None]
        if dead:
            self.redis.hdel(self._key(meeting_id), *dead)  # a process that died: its sockets are gone
        return {user for field, user in sockets.items() if field not in dead}

    def clear(self) -> None:
        with self._lock:
            meetings = {m for sockets in self._sockets.values() for m in sockets}
            fields = {m: [f"{self.process}/{sid}" for sid, s in self._sockets.items() if m in s] for m in meetings}
            self._sockets.clear()
        for meeting_id, names in fields.items():
            if names:
                self.redis.hdel(self._key(meeting_id), *names)


PRESENCE: Presence = Presence()


def configure(message_queue: str | None, channel: str = "paperless-meetings") -> None:
    """Share presence through Redis when the processes share a Redis message queue."""
    global PRESENCE
    shared = bool(message_queue) and str(message_queue).startswith(("redis://", "rediss://", "unix://"))
    if shared and not isinstance(PRESENCE, RedisPresence):
        PRESENCE = RedisPresence(str(message_queue), channel)


def snapshot(session: Session, meeting_id: int, online: set[int] | None = None) -> dict[str, Any]:
    """Who is online in the meeting, by name, and per group (ids), for managers and the chair."""
    online = PRESENCE.online(meeting_id) if online is None else online
    names = dict(session.execute(select(User.id, User.full_name).where(User.id.in_(online))).all()) if online else {}
    groups = []
    for group in session.scalars(select(Group).where(Group.meeting_id == meeting_id).order_by(Group.name)
                                 .options(selectinload(Group.members))):
        members = [m.user_id for m in group.members]
        groups.append(
            {
                "id": group.id,
                "name": group.name,
                "members": len(members),
                "online": sorted(uid for uid in members if uid in online),
            }
        )
    return {
        "meeting": meeting_id,
        "count": len(online),
        "online": [{"id": uid, "name": names.get(uid, "")} for uid in sorted(online)],
        "groups": groups,
    }


#: at most one snapshot per meeting in this long: a hall of tablets joining at once is told in a few
COALESCE_SECONDS = 1.0


class Coalescer:
    """At most one call per key per interval: the first at once, the later ones folded into one
    call at the interval's end (which then tells the state as it is by then)."""

    def __init__(self, interval: float = COALESCE_SECONDS) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[int, float] = {}
        self._waiting: set[int] = set()

    def due(self, key: int) -> float | None:
        """0: call now; a delay: schedule one call after it; None: one is scheduled already."""
        with self._lock:
            if key in self._waiting:
                return None
            now = time.monotonic()
            wait = self._last.get(key, -self.interval) + self.interval - now
            if wait <= 0:
                self._last[key] = now
                return 0.0
            self._waiting.add(key)
            return wait

    def ran(self, key: int) -> None:
        with self._lock:
            self._waiting.discard(key)
            self._last[key] = time.monotonic()


COALESCER = Coalescer()


def tell(session: Session, meeting_id: int) -> None:
    """Tell the managers' room who is online now, at most once a second per meeting (the later
    changes of that second in one snapshot, at its end)."""
    delay = COALESCER.due(meeting_id)
    if delay is None:
        return
    if delay == 0:
        tell_now(session, meeting_id)
        return
    from flask import current_app

    from meetings.db import db
    from meetings.extensions import socketio

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def later() -> None:
        socketio.sleep(delay)
        COALESCER.ran(meeting_id)
        with app.app_context():
            try:
                tell_now(db.session, meeting_id)
            finally:
                db.session.remove()

    socketio.start_background_task(later)


def tell_now(session: Session, meeting_id: int) -> None:
    """Tell the managers' room who is online now (delegates read their groups' over HTTP: a group
    room hears only its own messages).

    Presence is not stored: these envelopes carry "seq": null and are never replayed in `missed`."""
    from meetings.db import utcnow
    from meetings.extensions import socketio
    from meetings.live.events import NAMESPACE

    online = PRESENCE.online(meeting_id)
    at = utcnow().isoformat()

    def envelope(data: dict[str, Any]) -> dict[str, Any]:
        return {"seq": None, "type": "presence.changed", "meeting": meeting_id, "at": at, "data": data}

    socketio.emit(
        "event",
        envelope({"scope": "meeting", **snapshot(session, meeting_id, online)}),
        to=events.managers_room(meeting_id),
        namespace=NAMESPACE,
    )


def on_join(sid: str, user: User, meeting_id: int, viewer: Member) -> None:
    from meetings.db import db

    if PRESENCE.joined(sid, meeting_id, user.id):
        tell(db.session, meeting_id)


def on_leave(sid: str) -> None:
    from meetings.db import db

    for meeting_id, _user_id in PRESENCE.left(sid):
        tell(db.session, meeting_id)
