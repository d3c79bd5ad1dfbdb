"""Breakout-group discussion in three browsers: two delegates of Tổ 1 discuss, a delegate of Tổ 2
sees nothing of it, and the rapporteur's summary reaches the secretary's screen without reload."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e

DEMO_MEETING = 1
SCRIPT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'




def test_a_group_discusses_apart_and_its_summary_reaches_the_secretary(
    live_server: str, tablet: Callable[[], Any]
) -> None:
    secretary, anh, binh, chi = tablet(), tablet(), tablet(), tablet()
    for page, username in ((secretary, "secretary"), (anh, "delegate01"), (binh, "delegate02"), (chi, "delegate11")):
        log_in(page, live_server, username)
        page.goto(f"{live_server}/meetings/{DEMO_MEETING}")
        expect(page.locator("#discussion-panel")).to_be_visible()

    secretary.locator("#discussion-open input[name=topic]").fill("Dự toán ngân sách năm 2027")
    secretary.locator("#discussion-open input[name=minutes]").fill("20")
    secretary.locator("#discussion-open button[type=submit]").click()
    for page in (anh, binh, chi):  # opened live, with its countdown
        expect(page.locator("#discussion-topic")).to_have_text("Dự toán ngân sách năm 2027")
        expect(page.locator("#discussion-countdown")).to_contain_text("Time left")

    anh.locator(".group-room .message-form textarea").fill(f"{SCRIPT} xem https://example.org/a trang 3")
    anh.locator(".group-room .message-form button[type=submit]").click()
    received = binh.locator(".group-room .messages .message-body").first
    expect(received).to_have_text(f"{SCRIPT} xem https://example.org/a trang 3")
    link = received.locator("a")
    expect(link).to_have_attribute("href", "https://example.org/a")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    binh.locator(".group-room .message-form textarea").fill("Đồng ý với anh")
    binh.locator(".group-room .message-form button[type=submit]").click()
    expect(anh.locator(".group-room .messages .message-body")).to_have_count(2)
    expect(anh.locator(".group-room .messages .message-body").nth(1)).to_have_text("Đồng ý với anh")
    for page in (anh, binh):
        assert page.evaluate("window.pwned") is None
        assert page.locator(".group-room .messages script, .group-room .messages img").count() == 0

    # the secretary's side-by-side page, open before the summary arrives
    secretary.goto(f"{live_server}/meetings/{DEMO_MEETING}/discussion/summaries")
    expect(secretary.locator(".summary")).to_have_count(3)
    anh.locator(".summary-form textarea").fill("Tổ 1 thống nhất tờ trình, đề nghị bổ sung số liệu.")
    anh.locator(".summary-form button[type=submit]").click()
    expect(anh.locator(".summary-status")).to_have_text("Summary sent to the secretary.")
    card = secretary.locator(".summary", has_text="Tổ 1")
    expect(card.locator(".summary-body")).to_have_text("Tổ 1 thống nhất tờ trình, đề nghị bổ sung số liệu.")

    # Tổ 2 saw nothing of it, and is in its own room
    chi.locator(".group-room .message-form textarea").fill("Tổ 2 đây")
    chi.locator(".group-room .message-form button[type=submit]").click()
    expect(chi.locator(".group-room .messages .message-body")).to_have_count(1)
    expect(chi.locator(".group-room .messages")).not_to_contain_text("Đồng ý với anh")
    expect(chi.locator(".group-room .messages")).not_to_contain_text("example.org")
    expect(chi.locator(".group-room h3")).to_have_text("Tổ 2")
    expect(anh.locator(".group-room .messages .message-body")).to_have_count(2)

    # closing makes it read-only
    secretary.goto(f"{live_server}/meetings/{DEMO_MEETING}")
    secretary.locator("#discussion-close").click()
    expect(anh.locator("#discussion-countdown")).to_have_text("The discussion is closed: it is read-only.")
    expect(anh.locator(".group-room .message-form")).to_be_hidden()
