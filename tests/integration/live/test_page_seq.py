"""A meeting's pages say the meeting's latest seq as of when they were built, so their live
connection joins from it and nothing that happened while they loaded is lost."""

from __future__ import annotations

import re
from typing import Any

from meetings.db import db
from meetings.live import events
from meetings.live.models import Audience


def seq_of(page: str) -> int | None:
    found = re.search(r'<meta name="live-seq" content="(\d+)">', page)
    return int(found.group(1)) if found else None


def test_the_meeting_and_reader_pages_carry_the_meetings_latest_seq(app: Any, auth: Any, make: Any) -> None:
    meeting = make.published_meeting()
    delegate = make.user()
    make.participant(meeting, delegate)
    document = make.document(meeting)
    with app.app_context():
        for _ in range(3):
            events.record(db.session, meeting.id, "annotation.created", {"n": 1}, audience=Audience.MEETING)
        db.session.commit()
        latest = events.latest_seq(db.session, meeting.id)
    assert latest >= 3
    client = auth.client_for(delegate)
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/documents/{document.id}"):
        page = client.get(url)
        assert page.status_code == 200
        assert seq_of(page.get_data(as_text=True)) == latest, url
    # pages of no meeting carry none
    assert seq_of(client.get("/").get_data(as_text=True)) is None
