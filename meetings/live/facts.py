"""What the live path knows without asking the database, and how it learns that it changed.

- Each socket's **viewer**: its user (a detached snapshot, loaded at connect) and its memberships
  (a Member per meeting, loaded at `join` or at the first action on the meeting).
- Each meeting's **facts**: its status, its documents (link or not, current version and its page
  count, restricted or not, named readers), its participants and its groups' members.

Both are per process (per app). They are refreshed by the server's own changes: every flush of an
account, a participation, a group, a meeting, a document or a version is noted (an ORM event, so
that no writer has to remember to announce it) and, once committed, published as one message on the
facts bus: dropped meeting facts, and the sockets of the users concerned re-checked (refreshed, moved
out of the rooms they may no longer be in, or disconnected when their account is no longer active).
With a Redis message queue (SOCKETIO_MESSAGE_QUEUE) the bus is a Redis pub/sub channel of its own
that every server process listens to; while a process is not subscribed (Redis unreachable, or
reconnecting) it trusts no cache and reads every fact from the database, as before, and it drops its
caches when it subscribes again. Changes made outside the app (SQL by hand) are noticed within
CHECK_SECONDS, when each socket's account is checked again and meeting facts expire."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached

from meetings.accounts.models import ApiToken, SignIn, User
from meetings.db import MAX_ID, after_commit
from meetings.dossiers.models import Category, Confidentiality, Document, DocumentVersion, Meeting, MeetingStatus
from meetings.participants.membership import Member
from meetings.participants.models import Group, GroupMember, Participant, document_readers

log = logging.getLogger(__name__)

#: a socket's account, and a meeting's facts, are read again at the latest after this long
CHECK_SECONDS = 60.0
EXTENSION = "meetings.live.facts"


@dataclass(frozen=True)
class DocumentFacts:
    id: int
    meeting_id: int
    link: bool
    version_id: int | None
    page_count: int | None
    restricted: bool
    readers: frozenset[int]


@dataclass(frozen=True)
class MeetingFacts:
    id: int
    status: MeetingStatus
    documents: Mapping[int, DocumentFacts]
    participants: frozenset[int]
    groups: Mapping[int, frozenset[int]]
    loaded_at: float = field(default_factory=time.monotonic)

    @property
    def draft(self) -> bool:
        return self.status is MeetingStatus.DRAFT

    @property
    def closed(self) -> bool:
        return self.status is MeetingStatus.CLOSED


def load_meeting(session: Session, meeting_id: int) -> MeetingFacts | None:
    """A meeting's facts in five small queries (once per meeting and change, not per action)."""
    status = session.scalar(select(Meeting.status).where(Meeting.id == meeting_id))
    if status is None:
        return None
    rows = session.execute(select(Document.id, Document.category, Document.confidentiality)
                           .where(Document.meeting_id == meeting_id)).all()
    versions: dict[int, tuple[int, int]] = {}
    for document_id, version_id, page_count in session.execute(
            select(DocumentVersion.document_id, DocumentVersion.id, DocumentVersion.page_count)
            .join(Document, Document.id == DocumentVersion.document_id)
            .where(Document.meeting_id == meeting_id).order_by(DocumentVersion.number)):
        versions[document_id] = (version_id, page_count)  # the highest number comes last: the current one
    restricted = [d for d, _, c in rows if c is Confidentiality.RESTRICTED]
    readers: dict[int, set[int]] = {}
    if restricted:
        for document_id, user_id in session.execute(select(document_readers.c.document_id, document_readers.c.user_id)
                                                    .where(document_readers.c.document_id.in_(restricted))):
            readers.setdefault(document_id, set()).add(user_id)
    participants = frozenset(session.scalars(select(Participant.user_id).where(Participant.meeting_id == meeting_id)))
    groups: dict[int, set[int]] = {}
    for group_id, user_id in session.execute(select(Group.id, GroupMember.user_id)
                                             .outerjoin(GroupMember, GroupMember.group_id == Group.id)
                                             .where(Group.meeting_id == meeting_id)):
        members = groups.setdefault(group_id, set())
        if user_id is not None:
            members.add(user_id)
    documents = {
        d: DocumentFacts(d, meeting_id, category is Category.LINK, versions[d][0] if d in versions else None,
                         versions[d][1] if d in versions else None, confidentiality is Confidentiality.RESTRICTED,
                         frozenset(readers.get(d, ())))
        for d, category, confidentiality in rows
    }
    return MeetingFacts(meeting_id, status, documents, participants, {g: frozenset(m) for g, m in groups.items()})


def user_snapshot(user: User) -> User:
    """A detached copy of user's loaded columns: kept on the socket, merged into each action's
    session without a query (Session.merge(load=False))."""
    copy = User(**{c.key: getattr(user, c.key) for c in inspect(User).column_attrs})
    make_transient_to_detached(copy)
    return copy


@dataclass
class Viewer:
    """One socket's facts: who it is, and who they are in each meeting it acted in or joined."""

    sid: str
    user: User
    checked_at: float = field(default_factory=time.monotonic)
    #: what signed the socket in: a browser's sign-in, or an API token; when it ends, so does the socket
    sign_in_id: int | None = None
    token_id: int | None = None
    members: dict[int, Member] = field(default_factory=dict)
    joined: set[int] = field(default_factory=set)

    @property
    def user_id(self) -> int:
        return int(self.user.id)

    @property
    def name(self) -> str:
        return str(self.user.full_name or "")


class Facts:
    """One app's caches (meeting facts, the sockets' viewers) and its facts bus."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._lock = threading.RLock()
        self._meetings: dict[int, MeetingFacts] = {}
        self._document_meeting: dict[int, int] = {}
        self._epoch = 0  # bumped by every invalidation: a load that raced with one is not kept
        self._viewers: dict[str, Viewer] = {}
        self._sids_of: dict[int, set[str]] = {}
        self.bus: Bus = LocalBus(self)
        #: (sid, meeting_id, member or None when they may no longer open it): the namespace moves rooms
        self.moved: list[Callable[[Viewer, int, Member | None], None]] = []
        #: (sid,): a socket to close, its account is gone
        self.closed: list[Callable[[str], None]] = []
        #: starts a background task (socketio.start_background_task once the namespace is up)
        self.spawn: Callable[..., Any] = lambda fn, *args: threading.Thread(target=fn, args=args, daemon=True).start()

    # -- trust

    @property
    def trusted(self) -> bool:
        """Whether caches may be used: the bus delivers every change (not while it reconnects)."""
        return self.bus.healthy

    # -- meeting facts

    def meeting(self, session: Session, meeting_id: int, *, document_id: int | None = None) -> MeetingFacts | None:
        """The meeting's facts, cached; loaded again when they do not know document_id (a new one)."""
        facts = self._meetings.get(meeting_id) if self.trusted else None
        if facts is not None and time.monotonic() - facts.loaded_at < CHECK_SECONDS and (
                document_id is None or document_id in facts.documents):
            return facts
        epoch = self._epoch
        facts = load_meeting(session, meeting_id)
        if facts is not None and self.trusted:
            with self._lock:
                if epoch == self._epoch:
                    self._meetings[meeting_id] = facts
                    for d in facts.documents:
                        self._document_meeting[d] = meeting_id
        return facts

    def meeting_of(self, session: Session, document_id: object) -> int | None:
        """The meeting a document belongs to (documents never move), or None for no such document."""
        if isinstance(document_id, bool) or not isinstance(document_id, int) or not 1 <= document_id <= MAX_ID:
            return None
        meeting_id = self._document_meeting.get(document_id)
        if meeting_id is None:
            meeting_id = session.scalar(select(Document.meeting_id).where(Document.id == document_id))
            if meeting_id is not None and self.trusted:
                self._document_meeting[document_id] = meeting_id
        return meeting_id

    def forget(self, meeting_ids: Iterable[int] | None = None) -> None:
        """Drop meetings' facts (all, for None)."""
        with self._lock:
            self._epoch += 1
            if meeting_ids is None:
                self._meetings.clear()
                self._document_meeting.clear()
            else:
                for meeting_id in meeting_ids:
                    self._meetings.pop(meeting_id, None)

    # -- viewers

    def add_viewer(self, viewer: Viewer) -> None:
        with self._lock:
            self._viewers[viewer.sid] = viewer
            self._sids_of.setdefault(viewer.user_id, set()).add(viewer.sid)

    def viewer(self, sid: str) -> Viewer | None:
        return self._viewers.get(sid)

    def drop_viewer(self, sid: str) -> None:
        with self._lock:
            viewer = self._viewers.pop(sid, None)
            if viewer is not None:
                sids = self._sids_of.get(viewer.user_id, set())
                sids.discard(sid)
                if not sids:
                    self._sids_of.pop(viewer.user_id, None)

    def viewers_of(self, user_ids: Iterable[int]) -> list[Viewer]:
        with self._lock:
            return [self._viewers[s] for u in user_ids for s in self._sids_of.get(u, ()) if s in self._viewers]

    def clear(self) -> None:
        """Forget every cached fact (the bus may have missed changes); viewers re-check their account."""
        self.forget()
        with self._lock:
            for viewer in self._viewers.values():
                viewer.checked_at = 0.0
                viewer.members.clear()

    # -- changes

    def apply(self, message: Mapping[str, Any]) -> None:
        """A committed change (ours or another process's): drop what it makes stale, and re-check
        the sockets of the users concerned in the background (that reads the database)."""
        meetings = [int(m) for m in message.get("meetings") or ()]
        self.forget(None if 0 in meetings else meetings)  # 0: a change of a meeting not known here
        accounts = {int(u) for u in message.get("users") or ()}
        members = [(m, int(u)) for m, u in message.get("members") or ()]
        affected = self.viewers_of(accounts | {u for _, u in members})
        if affected:
            self.spawn(self._recheck, sorted(accounts), members)

    def _recheck(self, accounts: list[int], members: list[tuple[int | None, int]]) -> None:
        from meetings.db import db
        from meetings.dossiers.permissions import visible_meetings
        from meetings.participants.membership import member_of

        with self.app.app_context():
            try:
                session = db.session
                users = {u.id: u for u in session.scalars(select(User).where(
                    User.id.in_(accounts + [u for _, u in members])))}
                open_sign_ins = set(session.scalars(select(SignIn.id).where(
                    SignIn.user_id.in_(accounts), SignIn.ended_at.is_(None))))
                live_tokens = set(session.scalars(select(ApiToken.id).where(
                    ApiToken.user_id.in_(accounts), ApiToken.revoked_at.is_(None))))
                for user_id in accounts:
                    for viewer in self.viewers_of([user_id]):
                        user = users.get(user_id)
                        ended = (viewer.sign_in_id is not None and viewer.sign_in_id not in open_sign_ins) or (
                            viewer.token_id is not None and viewer.token_id not in live_tokens)
                        if user is None or not user.active or ended:
                            for close in self.closed:
                                close(viewer.sid)
                            continue
                        viewer.user, viewer.checked_at = user_snapshot(user), time.monotonic()
                        members += [(m, user_id) for m in viewer.joined | set(viewer.members)]
                for meeting_id, user_id in dict.fromkeys(members):
                    user = users.get(user_id)
                    if user is None or not user.active:
                        continue
                    for viewer in self.viewers_of([user_id]):
                        meetings = set(viewer.joined | set(viewer.members)) if meeting_id is None else {meeting_id}
                        for m in meetings:
                            opens = session.scalar(visible_meetings(user).where(Meeting.id == m)) is not None
                            member = member_of(session, user, m) if opens else None
                            if member is None:
                                viewer.members.pop(m, None)
                            else:
                                viewer.members[m] = member
                            if m in viewer.joined:
                                for move in self.moved:
                                    move(viewer, m, member)
                                if member is None:
                                    viewer.joined.discard(m)
                session.rollback()
            except Exception:
                log.exception("re-checking sockets after a change failed")
            finally:
                db.session.remove()


def facts_of(app: Flask | None = None) -> Facts:
    """The app's live facts (made on first use)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    facts: Facts | None = app.extensions.get(EXTENSION)
    if facts is None:
        facts = app.extensions[EXTENSION] = Facts(app)
    return facts


# -- the bus ---------------------------------------------------------------------------------------


class Bus:
    healthy = True

    def __init__(self, facts: Facts) -> None:
        self.facts = facts

    def publish(self, message: dict[str, Any]) -> None:
        self.facts.apply(message)

    def start(self) -> None:
        """Begin listening to other processes (nothing to do for one process)."""


LocalBus = Bus


class RedisBus(Bus):
    """Changes told to every process through a Redis pub/sub channel of their own."""

    def __init__(self, facts: Facts, url: str, channel: str) -> None:
        import redis

        super().__init__(facts)
        self.redis = redis.Redis.from_url(url)
        self.channel = f"{channel}:live-facts"
        self.host = uuid.uuid4().hex
        self.healthy = False
        self._started = False

    def publish(self, message: dict[str, Any]) -> None:
        self.facts.apply(message)
        try:
            self.redis.publish(self.channel, json.dumps({**message, "host": self.host}))
        except Exception:
            # the others' caches expire within CHECK_SECONDS; their resubscription drops them
            log.exception("could not tell the other processes of a change")

    def start(self) -> None:
        if not self._started:
            self._started = True
            self.facts.spawn(self._listen)

    def _listen(self) -> None:
        while True:
            try:
                pubsub = self.redis.pubsub()
                pubsub.subscribe(self.channel)
                for item in pubsub.listen():
                    if item["type"] == "subscribe":
                        self.facts.clear()  # what was missed while away is unknown: start afresh
                        self.healthy = True
                    elif item["type"] == "message":
                        message = json.loads(item["data"])
                        if message.get("host") != self.host:
                            self.facts.apply(message)
            except Exception:
                log.warning("the live facts channel dropped; reading facts from the database meanwhile")
            finally:
                self.healthy = False
            time.sleep(1)


def configure(app: Flask) -> Facts:
    facts = facts_of(app)
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue and str(queue).startswith(("redis://", "rediss://", "unix://")):
        facts.bus = RedisBus(facts, str(queue), app.config.get("SOCKETIO_CHANNEL", "paperless-meetings"))
    return facts


# -- noticing changes ------------------------------------------------------------------------------

_PENDING = "meetings.live.facts.pending"
USER_FIELDS = ("active", "role", "full_name")


@dataclass
class Pending:
    meetings: set[int] = field(default_factory=set)
    users: set[int] = field(default_factory=set)
    members: set[tuple[int | None, int]] = field(default_factory=set)

    def message(self) -> dict[str, Any]:
        return {"meetings": sorted(self.meetings), "users": sorted(self.users),
                "members": sorted(self.members, key=lambda p: (p[0] or 0, p[1]))}


def pending(session: Session) -> Pending:
    """What this transaction changed so far; told to the bus once it commits."""
    found: Pending | None = session.info.get(_PENDING)
    if found is None:
        found = session.info[_PENDING] = Pending()
        app = current_app._get_current_object() if has_app_context() else None  # type: ignore[attr-defined]

        def tell() -> None:
            changes = session.info.pop(_PENDING, None)
            if app is not None and changes is not None:
                facts_of(app).bus.publish(changes.message())

        after_commit(session, tell)
    return found


def _group_meeting(session: Session, group_id: int | None, group: Group | None) -> int | None:
    if group is not None:
        return group.meeting_id
    known = session.identity_map.get(inspect(Group).identity_key_from_primary_key((group_id,))) if group_id else None
    return known.meeting_id if isinstance(known, Group) else None


def _document_meeting(session: Session, document_id: int | None) -> int | None:
    key = inspect(Document).identity_key_from_primary_key((document_id,)) if document_id else None
    known = session.identity_map.get(key) if key else None
    if isinstance(known, Document):
        return known.meeting_id
    if has_app_context() and document_id is not None:
        return facts_of()._document_meeting.get(document_id)
    return None


def _changed(obj: object, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _noted(session: Session, objects: Iterator[tuple[object, bool]]) -> None:
    changes: Pending | None = None
    for obj, gone in objects:
        meeting_id: int | None = None
        user_id: int | None = None
        if isinstance(obj, User):
            if gone or _changed(obj, USER_FIELDS):
                changes = changes or pending(session)
                changes.users.add(obj.id)
            continue
        if isinstance(obj, SignIn | ApiToken):
            # a new one ends nothing (no re-check on every sign-in); an ended or revoked one does
            ending = ("ended_at",) if isinstance(obj, SignIn) else ("revoked_at",)
            if gone or (obj not in session.new and _changed(obj, ending)):
                changes = changes or pending(session)
                changes.users.add(obj.user_id)  # its sockets are checked again, and closed
            continue
        if isinstance(obj, Participant):
            meeting_id, user_id = obj.meeting_id, obj.user_id
        elif isinstance(obj, GroupMember):
            meeting_id, user_id = _group_meeting(session, obj.group_id, inspect(obj).dict.get("group")), obj.user_id
        elif isinstance(obj, (Group, Document)):
            meeting_id = obj.meeting_id
        elif isinstance(obj, Meeting):
            meeting_id = obj.id
        elif isinstance(obj, DocumentVersion):
            document = inspect(obj).dict.get("document")
            meeting_id = document.meeting_id if document is not None else _document_meeting(session, obj.document_id)
            if meeting_id is None:  # not known here: forget every meeting rather than miss it
                changes = changes or pending(session)
                changes.meetings.add(0)
        else:
            continue
        changes = changes or pending(session)
        if meeting_id is not None:
            changes.meetings.add(meeting_id)
        if user_id is not None:
            changes.members.add((meeting_id, user_id))


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context: Any) -> None:
    """Note what a flush changed that the live caches hold."""
    _noted(session, ((o, o in session.deleted) for o in [*session.new, *session.dirty, *session.deleted]))


@event.listens_for(Session, "after_soft_rollback")
def _drop_changes(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)


def note_meeting(session: Session, meeting_id: int) -> None:
    """Announce a change of a meeting's documents to the caches, once the transaction commits (the
    listeners of dossier_published and version_uploaded)."""
    pending(session).meetings.add(meeting_id)
