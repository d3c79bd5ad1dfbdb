"""A delegate loses the network in the middle of a group discussion: the two comments and the two
group messages she sends meanwhile show at once, each marked "waiting to be sent", and when the
network returns each is sent and arrives exactly once, on her screen, on her group-mate's, and in
the database, even though the same text was sent twice."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e

DEMO_MEETING = 1
#: delegate01 and delegate02 are both in group "Tổ 1" of the demo meeting
AUTHOR, GROUP_MATE = "delegate01", "delegate02"
PENDING = "Waiting to be sent"




def go_offline(page: Page) -> None:
    """Cut the network of the page's context and close its socket, which set_offline may not do."""
    page.context.set_offline(True)
    page.evaluate("() => window.__live.disconnect()")
    page.wait_for_function("() => !window.__live.online")


WAITING = (
    "() => Object.keys(localStorage).filter((k) => k.startsWith('paperless.outbox.')"
    " && JSON.parse(localStorage.getItem(k)).entries.length)"
)


def waiting_keys(page: Page) -> list[str]:
    """The outbox keys in this page's localStorage that still hold something to send."""
    keys: list[str] = page.evaluate(WAITING)
    return keys


def test_comments_and_messages_sent_offline_arrive_once_each(live_server: str, tablet: Callable[[], Any]) -> None:
    secretary, mate = tablet(), tablet()
    author = tablet()
    author_comments = author.context.new_page()  # a second tab of the same delegate, same network
    log_in(secretary, live_server, "secretary")
    log_in(author, live_server, AUTHOR)
    log_in(mate, live_server, GROUP_MATE)

    topic = f"Góp ý tờ trình {uuid.uuid4().hex[:6]}"
    secretary.goto(f"{live_server}/meetings/{DEMO_MEETING}")
    secretary.locator("#discussion-open input[name=topic]").fill(topic)
    secretary.locator("#discussion-open input[name=minutes]").fill("30")
    secretary.locator("#discussion-open button[type=submit]").click()
    expect(secretary.locator("#discussion-close")).to_be_visible()

    for page in (author, mate):
        page.goto(f"{live_server}/meetings/{DEMO_MEETING}")
        expect(page.locator("#discussion-topic")).to_have_text(topic)
    room = author.locator(".group-room").first
    group_id = room.get_attribute("data-group-id")
    discussion_id = author.evaluate(
        "() => JSON.parse(document.getElementById('discussion-config').textContent).discussion.id"
    )
    comments_link = author.locator("a.comments-link").first
    expect(comments_link).to_be_visible()
    comments_url = f"{live_server}{comments_link.get_attribute('href')}"
    document_id = comments_url.rstrip("/").split("/")[-2]
    author_comments.goto(comments_url)
    author.wait_for_function("() => window.__live.online")
    author_comments.wait_for_function("() => window.__live.online")

    # the network goes; both tabs notice
    go_offline(author)
    go_offline(author_comments)
    expect(author.locator("#discussion-connection")).not_to_be_empty()
    expect(author_comments.locator(".connection-line")).to_be_visible()

    # the same comment sent twice (two presses of Send): two items, each waiting
    comment = f"Đề nghị bổ sung số liệu quý IV {uuid.uuid4().hex[:6]}"
    form = author_comments.locator("#comment-form")
    for _ in range(2):
        form.locator("textarea[name=body]").fill(comment)
        form.locator("button[type=submit]").click()
    mine = author_comments.locator("#threads li.comment", has_text=comment)
    expect(mine).to_have_count(2)
    for i in range(2):
        expect(mine.nth(i)).to_have_attribute("data-pending", "true")
        expect(mine.nth(i).locator(".pending-chip")).to_have_text(PENDING)

    message = f"Tổ 1 thống nhất {uuid.uuid4().hex[:6]}"
    for _ in range(2):
        room.locator(".message-form textarea").fill(message)
        room.locator(".message-form button[type=submit]").click()
    sent = room.locator(".messages .message", has_text=message)
    expect(sent).to_have_count(2)
    for i in range(2):
        expect(sent.nth(i)).to_have_attribute("data-pending", "true")
        expect(sent.nth(i).locator(".pending-chip")).to_have_text(PENDING)
    assert len(waiting_keys(author)) == 2  # comments and group messages, kept across reloads
    expect(mate.locator(".group-room .messages")).not_to_contain_text(message)

    # the network returns: each is sent, acknowledged and shown once, nothing waits any more
    author.context.set_offline(False)
    expect(author_comments.locator("#threads li.comment[data-pending=true]")).to_have_count(0, timeout=30_000)
    expect(room.locator(".messages .message[data-pending=true]")).to_have_count(0, timeout=30_000)
    expect(mine).to_have_count(2)
    expect(sent).to_have_count(2)
    expect(mate.locator(".group-room .messages .message", has_text=message)).to_have_count(2)
    # the live event may come a moment before the ack (docs/live-protocol.md §7): the outbox
    # empties with the ack
    author.wait_for_function(f"() => ({WAITING})().length === 0")

    # the server stored each exactly once
    answer = author.request.get(f"{live_server}/api/v1/meetings/{DEMO_MEETING}/comments?document={document_id}")
    assert answer.ok, answer.text()
    stored = [c for c in answer.json()["items"] if c["body"] == comment]
    assert len(stored) == 2
    assert len({c["client_id"] for c in stored}) == 2
    answer = author.request.get(f"{live_server}/api/v1/discussions/{discussion_id}/messages?group={group_id}")
    assert answer.ok, answer.text()
    assert len([m for m in answer.json()["items"] if m["body"] == message]) == 2

    # and a reload shows the same: nothing was doubled by a retry
    author_comments.reload()
    expect(author_comments.locator("#threads li.comment", has_text=comment)).to_have_count(2)
    author.reload()
    expect(author.locator(".group-room .messages .message", has_text=message)).to_have_count(2)

    secretary.locator("#discussion-close").click()
    expect(author.locator("#discussion-countdown")).to_have_text("The discussion is closed: it is read-only.")
