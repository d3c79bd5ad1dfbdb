"""What opening a meeting costs a delegate does not grow with the hall: the meeting view, the
meeting page and the reader page run the same number of SQL statements for 30 participants as
for 1,000 (counted, never timed)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from meetings.accounts.models import Role, User
from meetings.db import db
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant
from tests.factories import session_of, unique


@contextmanager
def counted(app: Any) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def fill_hall(app: Any, meeting: Any, size: int) -> None:
    """size more participants, one in five in one of four groups, in one transaction."""
    with session_of(app) as session:
        users = [User(username=unique("db"), full_name=f"Đại biểu {i}", role=Role.DELEGATE) for i in range(size)]
        session.add_all(users)
        groups = [Group(meeting_id=meeting.id, name=unique("Tổ ")) for _ in range(4)]
        session.add_all(groups)
        session.flush()
        session.add_all(Participant(meeting_id=meeting.id, user_id=u.id, role=MeetingRole.DELEGATE) for u in users)
        session.add_all(GroupMember(group_id=groups[i % 4].id, user_id=u.id)
                        for i, u in enumerate(users) if i % 5 == 0)


def statements_to_open(app: Any, auth: Any, make: Any, hall_size: int) -> dict[str, int]:
    meeting = make.published_meeting()
    delegate = make.user()
    make.participant(meeting, delegate)
    make.group(meeting, members=[delegate])
    make.sitting(meeting)
    document = make.document(meeting)
    make.restricted_document(meeting, readers=[delegate])
    fill_hall(app, meeting, hall_size)
    client = auth.client_for(delegate)
    pages = {
        "getMeeting": f"/api/v1/meetings/{meeting.id}",
        "meeting page": f"/meetings/{meeting.id}",
        "reader page": f"/meetings/{meeting.id}/documents/{document.id}",
    }
    counts = {}
    for name, url in pages.items():
        client.get(url)  # the first visit records a read receipt; count the ordinary one
        with counted(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


def test_a_delegate_opening_the_meeting_costs_the_same_in_a_hall_of_30_and_of_1000(
        app: Any, auth: Any, make: Any) -> None:
    small = statements_to_open(app, auth, make, 30)
    large = statements_to_open(app, auth, make, 1000)
    assert small == large
    # and it is small: the user, the meeting, its documents with versions and readers, the agenda,
    # the sittings, the delegate's seat and groups (the reader page also loads its document)
    assert max(small.values()) <= 16, small


@pytest.mark.parametrize("hall_size", [30])
def test_a_secretary_sees_every_participant_and_group(app: Any, auth: Any, make: Any, hall_size: int) -> None:
    meeting = make.published_meeting()
    fill_hall(app, meeting, hall_size)
    secretary = make.user(role="secretary")
    body = auth.client_for(secretary).get(f"/api/v1/meetings/{meeting.id}").get_json()
    assert len(body["participants"]) == hall_size
    assert len(body["groups"]) == 4
    assert sum(len(g["member_ids"]) for g in body["groups"]) == len([i for i in range(hall_size) if i % 5 == 0])
