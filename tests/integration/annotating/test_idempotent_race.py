"""One action (one client_id) arriving twice at the same moment, from two sockets or two server
processes: one applies it, the other answers the stored result (annotations.sync.insert_once)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotations import Annotation, AnnotationStore, Reader, Target
from meetings.db import db


@pytest.mark.committed_database  # two threads, two connections, two transactions racing
def test_the_same_create_at_once_is_stored_once_and_both_are_answered(app: Any, backend: str, make: Any) -> None:
    meeting = make.published_meeting()
    author = make.user()
    make.participant(meeting, author)
    document = make.document(meeting)
    target = Target(meeting.id, document.id, document.versions[-1].id, 1)
    reader = Reader(author.id, frozenset())
    payload = {"client_id": "twice-at-once-0001", "page": 1, "kind": "note", "geometry": {"point": [10, 10]},
               "visibility": "meeting"}
    first_flushed, first_may_commit = threading.Event(), threading.Event()
    outcomes: dict[str, Any] = {}

    def create(name: str) -> None:
        with app.app_context(), Session(db.engine) as session:
            try:
                annotation, new = AnnotationStore(session).create(target, reader, payload)
                if name == "tablet":
                    first_flushed.set()
                    first_may_commit.wait(10)
                session.commit()
                outcomes[name] = ("new" if new else "repeated", annotation.id)
            except Exception as exc:  # the failure this test is about: an error instead of the stored row
                session.rollback()
                outcomes[name] = (type(exc).__name__, None)

    tablet = threading.Thread(target=create, args=("tablet",))
    tablet.start()
    assert first_flushed.wait(10)
    phone = threading.Thread(target=create, args=("phone",))
    phone.start()
    phone.join(1)  # the phone's insert waits for the tablet's transaction (its key, or the one writer)
    assert phone.is_alive(), "the second create did not wait for the first"
    first_may_commit.set()
    tablet.join(10)
    phone.join(10)
    assert outcomes["tablet"][0] == "new" and outcomes["phone"] == ("repeated", outcomes["tablet"][1]), outcomes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Annotation)
                                 .where(Annotation.client_id == payload["client_id"])) == 1
