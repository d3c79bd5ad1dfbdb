"""Storing events with their sequence number, choosing who may see them, and telling them.

The same rule (may_receive) answers both live delivery and `missed` on join, so live and replay
cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, scoped_session

from meetings.db import after_commit
from meetings.dossiers.models import Confidentiality, Document
from meetings.live.facts import MeetingFacts
from meetings.live.models import Audience, Event, EventCounter
from meetings.participants.membership import Member, group_member_ids, named_readers, participant_ids

NAMESPACE = "/live"
MAX_MISSED = 1000


def room_of(audience: Audience, audience_id: int) -> str:
    return f"{audience.value}:{audience_id}"


def next_seq(session: Session, meeting_id: int) -> int:
    """Take the meeting's next sequence number inside the caller's transaction.

    The UPDATE locks the counter row until commit (PostgreSQL row lock, SQLite's single writer), so
    writers of one meeting take numbers one after another, across processes."""
    seq = session.execute(
        update(EventCounter).where(EventCounter.meeting_id == meeting_id)
        .values(last_seq=EventCounter.last_seq + 1).returning(EventCounter.last_seq)
    ).scalar()
    if seq is None:
        session.add(EventCounter(meeting_id=meeting_id, last_seq=0))
        session.flush()
        return next_seq(session, meeting_id)
    return int(seq)


def record(session: Session, meeting_id: int, type_: str, data: dict[str, Any], *, audience: Audience,
           audience_id: int | None = None, document_id: int | None = None, actor_id: int | None = None) -> Event:
    """Store an event (flush, no commit); tell its audience with publish() after the commit."""
    event = Event(meeting_id=meeting_id, seq=next_seq(session, meeting_id), type=type_, data=data,
                  audience=audience, audience_id=audience_id if audience is not Audience.MEETING else meeting_id,
                  document_id=document_id, actor_id=actor_id)
    session.add(event)
    session.flush()
    return event


def latest_seq(session: Session, meeting_id: int) -> int:
    return session.scalar(select(EventCounter.last_seq).where(EventCounter.meeting_id == meeting_id)) or 0


def may_receive(viewer: Member, event: Event, restricted: set[int]) -> bool:
    """Whether viewer may see event; restricted holds the meeting's restricted document ids."""
    if event.document_id is not None and not viewer.may_read(event.document_id,
                                                             restricted=event.document_id in restricted):
        return False
    if event.audience is Audience.MEETING:
        return True
    if event.audience is Audience.GROUP:
        return event.audience_id in viewer.group_ids
    return event.audience_id == viewer.user_id


def restricted_documents(session: Session, meeting_id: int) -> set[int]:
    return set(session.scalars(select(Document.id).where(
        Document.meeting_id == meeting_id, Document.confidentiality == Confidentiality.RESTRICTED)))


def missed(session: Session, viewer: Member, meeting_id: int, since: int) -> tuple[list[dict[str, Any]], bool]:
    """The events after since that viewer may see, oldest first; True if there were too many."""
    restricted = restricted_documents(session, meeting_id)
    events: list[dict[str, Any]] = []
    after = since
    # read in batches until MAX_MISSED visible events: others' private events must not crowd them out
    while len(events) <= MAX_MISSED:
        rows = list(session.scalars(select(Event).where(Event.meeting_id == meeting_id, Event.seq > after)
                                    .order_by(Event.seq).limit(MAX_MISSED + 1)))
        events += [e.envelope() for e in rows if may_receive(viewer, e, restricted)]
        if len(rows) <= MAX_MISSED:
            break
        after = rows[-1].seq
    return events[:MAX_MISSED], len(events) > MAX_MISSED


def recipients_rooms(session: Session, event: Event) -> list[str]:
    """The rooms to tell: the audience's room, or for a restricted document, the user rooms of those
    in the audience who may read it."""
    if event.document_id is None or event.document_id not in restricted_documents(session, event.meeting_id):
        return [room_of(event.audience, event.audience_id or event.meeting_id)]
    readers = set(session.scalars(named_readers(event.document_id)))
    if event.audience is Audience.USER:
        audience = {event.audience_id}
    elif event.audience is Audience.GROUP:
        audience = set(session.scalars(group_member_ids(event.audience_id or 0)))
    else:
        audience = set(session.scalars(participant_ids(event.meeting_id)))
    rooms = [room_of(Audience.USER, uid) for uid in sorted(audience & readers) if uid is not None]
    if event.audience is Audience.MEETING:
        rooms.append(managers_room(event.meeting_id))  # managers see every document of the meeting
    return rooms


def rooms_with(event: Event, facts: MeetingFacts | None) -> list[str]:
    """recipients_rooms from a meeting's cached facts (meetings.live.facts): no query."""
    document = facts.documents.get(event.document_id) if facts is not None and event.document_id is not None else None
    if document is None or not document.restricted:
        return [room_of(event.audience, event.audience_id or event.meeting_id)]
    assert facts is not None
    if event.audience is Audience.USER:
        audience: frozenset[int] = frozenset({event.audience_id or 0})
    elif event.audience is Audience.GROUP:
        audience = facts.groups.get(event.audience_id or 0, frozenset())
    else:
        audience = facts.participants
    rooms = [room_of(Audience.USER, uid) for uid in sorted(audience & document.readers)]
    if event.audience is Audience.MEETING:
        rooms.append(managers_room(event.meeting_id))  # managers see every document of the meeting
    return rooms


def managers_room(meeting_id: int) -> str:
    return f"managers:{meeting_id}"


def publish_after_commit(session: Session | scoped_session[Session],
                         deliveries: Iterable[tuple[dict[str, Any], list[str]]]) -> None:
    """Tell each event's rooms once the session's transaction has committed (never if it rolls back)."""
    deliveries = list(deliveries)
    if deliveries:
        after_commit(session, lambda: publish(deliveries))


def publish(deliveries: Iterable[tuple[dict[str, Any], list[str]]]) -> None:
    """Tell each event's rooms, after the commit. With a message queue this reaches every process."""
    from meetings.extensions import socketio

    for envelope, rooms in deliveries:
        if rooms:
            # one emit to all the rooms: encoded once, and a socket in two of them gets it once
            socketio.emit("event", envelope, to=rooms, namespace=NAMESPACE)
