"""Edits racing each other, and replay that is not crowded out by events a reader may not see."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy.orm import Session

from annotations import AnnotationError, AnnotationStore, Reader
from meetings.db import db
from meetings.live import events
from meetings.live.models import Audience
from meetings.participants.membership import Member


@pytest.mark.committed_database  # two threads, two connections, two transactions racing
def test_two_edits_of_one_revision_at_once_never_both_apply(app: Any, backend: str, make: Any) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite has one writer at a time; the race needs PostgreSQL's concurrent writers")
    meeting = make.published_meeting()
    author = make.user()
    make.participant(meeting, author)
    annotation = make.annotation(make.document(meeting), author)
    reader = Reader(author.id, frozenset())
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    outcomes: dict[str, Any] = {}

    def edit(name: str, note: str) -> None:
        with app.app_context(), Session(db.engine) as session:
            try:
                AnnotationStore(session).update(annotation.id, reader, {
                    "revision": 1, "note": note, "client_id": f"edit-{name}-0001"})
                if name == "tablet":
                    first_flushed.set()
                    first_may_commit.wait(10)
                session.commit()
                outcomes[name] = "applied"
            except AnnotationError as refused:
                session.rollback()
                outcomes[name] = refused.code

    tablet = threading.Thread(target=edit, args=("tablet", "từ máy tính bảng"))
    tablet.start()
    assert first_flushed.wait(10)
    phone = threading.Thread(target=edit, args=("phone", "từ điện thoại"))
    phone.start()
    phone.join(1)  # the phone's edit waits on the tablet's lock...
    assert phone.is_alive(), "the second edit did not wait for the first"
    first_may_commit.set()
    tablet.join(10)
    phone.join(10)
    assert outcomes == {"tablet": "applied", "phone": "stale_revision"}


def test_replay_is_not_crowded_out_by_events_the_reader_may_not_see(app: Any, make: Any,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "MAX_MISSED", 5)
    meeting = make.published_meeting()
    reader, other = make.user(), make.user()
    with app.app_context():
        for _ in range(8):  # more than one batch of someone else's private events
            events.record(db.session, meeting.id, "annotation.created", {"n": 1}, audience=Audience.USER,
                          audience_id=other.id)
        shared = events.record(db.session, meeting.id, "annotation.created", {"n": 2}, audience=Audience.MEETING)
        db.session.commit()
        viewer = Member(reader.id, meeting.id, manager=False, role=None, group_ids=frozenset(), readable=frozenset())
        missed, truncated = events.missed(db.session, viewer, meeting.id, since=0)
    assert [e["seq"] for e in missed] == [shared.seq] and truncated is False
