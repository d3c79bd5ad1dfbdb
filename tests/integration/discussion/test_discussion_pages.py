"""The discussion pages render for those who may see them; what a delegate wrote is never markup."""

from __future__ import annotations

from typing import Any

from meetings.accounts.models import Role
from tests.pdfs import make_pdf


def test_pages_render_and_are_refused_to_whom_they_are_not_for(client: Any, make: Any) -> None:
    meeting = make.published_meeting()
    delegate, outsider = make.user(), make.user()
    secretary = make.user(Role.SECRETARY)
    make.participant(meeting, delegate)
    make.group(meeting, [delegate], rapporteur=delegate, name="Tổ 1")
    document = make.document(meeting, make_pdf(pages=2))

    client.login(delegate)
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="discussion-panel"' in html and "js/discussion/panel.js" in html and "summary-form" in html
    comments = client.get(f"/meetings/{meeting.id}/documents/{document.id}/comments")
    assert comments.status_code == 200 and "js/discussion/comments.js" in comments.get_data(as_text=True)
    assert client.get(f"/meetings/{meeting.id}/discussion/summaries").status_code == 403

    client.login(outsider)
    assert client.get(f"/meetings/{meeting.id}/documents/{document.id}/comments").status_code == 404

    client.login(secretary)
    summaries = client.get(f"/meetings/{meeting.id}/discussion/summaries")
    assert summaries.status_code == 200 and "js/discussion/summaries.js" in summaries.get_data(as_text=True)
    assert "script-src 'self'" in summaries.headers["Content-Security-Policy"]
