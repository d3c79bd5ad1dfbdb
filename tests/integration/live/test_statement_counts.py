"""How many SQL statements each live action sends, counted (never timed) on both databases.

The actions run in-process through the live layer's own adapter (the handler a socket's event is
dispatched to, with the socket's cached facts, meetings.live.facts), once to warm the caches as the
first action after a `join` does, then counted from the handler's first statement to its return:
the commit that follows (and the test's own SAVEPOINT bookkeeping) is not counted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from meetings.db import db
from meetings.live.actions import HANDLERS
from meetings.live.context import LiveContext
from meetings.live.facts import Viewer, facts_of, user_snapshot
from tests.pdfs import make_pdf

#: the essential statements: take the meeting's seq and insert the event (2), insert or update the
#: item (1), lock-and-read the edited row (1); a comment edit also keeps the earlier text (1)
LIMITS = {"annotation.create": 5, "annotation.update": 6, "annotation.delete": 6, "comment.create": 7,
          "comment.update": 7, "group.message": 7}


def cid() -> str:
    return f"count-{uuid.uuid4().hex}"


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", note)


@pytest.fixture
def hall(make: Any) -> dict[str, Any]:
    meeting = make.published_meeting()
    anh, binh = make.user(full_name="Nguyễn Văn Anh"), make.user(full_name="Trần Thị Bình")
    for user in (anh, binh):
        make.participant(meeting, user)
    group = make.group(meeting, [anh, binh], name="Tổ 1")
    document = make.document(meeting, make_pdf(pages=2))
    secret = make.restricted_document(meeting, readers=[anh], title="Báo cáo mật")
    discussion = make.discussion(meeting)
    return {"meeting": meeting, "anh": anh, "group": group, "document": document, "secret": secret,
            "discussion": discussion}


class Socket:
    """One socket's viewer, as the namespace keeps it after connect, and its actions."""

    def __init__(self, app: Any, user: Any) -> None:
        self.facts = facts_of(app)
        with app.app_context():
            self.viewer = Viewer(f"sid-{uuid.uuid4().hex}", user_snapshot(db.session.get(type(user), user.id)))
            db.session.rollback()

    def act(self, name: str, payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Run one action; its ack and the statements it sent before its commit."""
        db.session.connection()  # the transaction begun: a BEGIN is the driver's, not a statement
        with counted() as statements:
            ack, _ = HANDLERS[name](LiveContext(db.session, self.facts, self.viewer), payload)
        db.session.commit()
        return ack, statements


def highlight(document: Any, **extra: Any) -> dict[str, Any]:
    return {"client_id": cid(), "document": document.id, "page": 1, "kind": "highlight",
            "visibility": "meeting", "geometry": {"rects": [[36, 38, 200, 52]]}, "quote": {"exact": "Dự toán"},
            **extra}


def test_each_live_action_sends_only_its_essential_statements(app: Any, hall: dict[str, Any]) -> None:
    socket = Socket(app, hall["anh"])
    counts: dict[str, int] = {}
    with app.app_context():
        # the first action on a meeting loads its facts and the membership (a join does the same)
        assert socket.act("annotation.create", highlight(hall["document"]))[0]["ok"]

        ack, statements = socket.act("annotation.create", highlight(hall["document"]))
        assert ack["ok"] and ack["annotation"]["author_name"] == "Nguyễn Văn Anh", ack
        counts["annotation.create"] = len(statements)
        annotation = ack["annotation"]

        ack, statements = socket.act("annotation.update", {"id": annotation["id"], "client_id": cid(),
                                                           "revision": 1, "note": "Số liệu quý IV"})
        assert ack["ok"] and ack["annotation"]["revision"] == 2, ack
        counts["annotation.update"] = len(statements)

        ack, statements = socket.act("annotation.delete", {"id": annotation["id"], "client_id": cid(),
                                                           "revision": 2})
        assert ack["ok"] and ack["annotation"]["deleted"], ack
        counts["annotation.delete"] = len(statements)

        ack, statements = socket.act("comment.create", {"client_id": cid(), "document": hall["document"].id,
                                                        "body": "Đề nghị làm rõ số liệu"})
        assert ack["ok"], ack
        counts["comment.create"] = len(statements)

        ack, statements = socket.act("comment.update", {"id": ack["comment"]["id"], "client_id": cid(),
                                                        "revision": 1, "body": "Đề nghị làm rõ"})
        assert ack["ok"], ack
        counts["comment.update"] = len(statements)

        ack, statements = socket.act("group.message", {"client_id": cid(), "discussion": hall["discussion"].id,
                                                       "body": "Tổ 1 đồng ý"})
        assert ack["ok"], ack
        counts["group.message"] = len(statements)

    print("statements per action:", counts)
    over = {name: (n, LIMITS[name]) for name, n in counts.items() if n > LIMITS[name]}
    assert not over, f"statements per action (counted, limit): {over}; all: {counts}"


def test_a_restricted_document_costs_no_more_statements(app: Any, hall: dict[str, Any]) -> None:
    socket = Socket(app, hall["anh"])
    with app.app_context():
        assert socket.act("annotation.create", highlight(hall["secret"]))[0]["ok"]
        ack, statements = socket.act("annotation.create", highlight(hall["secret"]))
        assert ack["ok"], ack
        assert len(statements) <= LIMITS["annotation.create"], statements


def test_a_repeat_is_answered_with_the_stored_result_in_few_statements(app: Any, hall: dict[str, Any]) -> None:
    socket = Socket(app, hall["anh"])
    with app.app_context():
        payload = highlight(hall["document"])
        first, _ = socket.act("annotation.create", payload)
        again, statements = socket.act("annotation.create", payload)
        assert again == {"ok": True, "annotation": first["annotation"], "repeated": True}
        # the insert that finds its key taken, and the read of the stored row
        assert len(statements) <= 2, statements
