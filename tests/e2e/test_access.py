"""Scan and you are in: a card opens the meeting on a phone; attendance moves on the secretary's
screen without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pymupdf
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

#: a phone held upright (iPhone 12–15 size), touch, English UI
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
                         "device_scale_factor": 2, "locale": "en-US"}


class Secretary:
    """The demo secretary calling the JSON API from the test, with the CSRF token of their login."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context()
        answer = self.context.request.post(f"{base}/api/v1/auth/login",
                                           data={"username": "secretary", "password": "demo"})
        assert answer.ok, answer.text()
        self.csrf = answer.json()["csrf_token"]

    def get(self, path: str) -> Any:
        answer = self.context.request.get(self.base + path)
        assert answer.ok, answer.text()
        return answer

    def post(self, path: str, data: Any = None) -> Any:
        answer = self.context.request.post(self.base + path, data=data, headers={"X-CSRFToken": self.csrf})
        assert answer.ok, answer.text()
        return answer

    def demo_meeting(self) -> dict[str, Any]:
        meetings = self.get("/api/v1/meetings").json()
        chosen = next(m for m in meetings if m["status"] == "published")
        return self.get(f"/api/v1/meetings/{chosen['id']}").json()


@pytest.fixture
def secretary(browser: Browser, live_server: str) -> Any:
    made = Secretary(browser, live_server)
    yield made
    made.context.close()


def codes_in_pdf(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        pixmap = doc[0].get_pixmap(dpi=200, alpha=False)
    image = Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_a_card_opens_the_meeting_for_its_delegate_on_a_phone(
    browser: Browser, live_server: str, secretary: Secretary
) -> None:
    meeting = secretary.demo_meeting()
    delegate = next(p for p in meeting["participants"] if p["username"] == "delegate07")
    pdf = secretary.post(f"/api/v1/meetings/{meeting['id']}/cards/{delegate['user_id']}/revoke").body()
    [link] = codes_in_pdf(pdf)
    assert link.startswith(f"{live_server}/card/")

    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        phone.goto(link)
        expect(phone).to_have_url(f"{live_server}/meetings/{meeting['id']}")
        expect(phone.locator(".topbar .who")).to_have_text(delegate["full_name"])
        expect(phone.locator("h1")).to_have_text(meeting["title"])
        # fits the phone: nothing wider than the screen
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_attendance_moves_on_the_secretarys_screen_without_reload(
    tablet: Callable[[], Page], live_server: str, secretary: Secretary
) -> None:
    meeting = secretary.demo_meeting()
    sitting = meeting["sittings"][0]
    delegate = next(p for p in meeting["participants"] if p["username"] == "delegate11")

    page = tablet()
    page.goto(f"{live_server}/meetings/{meeting['id']}/attendance?sitting={sitting['id']}")
    page.locator("input[name=username]").fill("secretary")
    page.locator("input[name=password]").fill("demo")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting['id']}/attendance\?sitting={sitting['id']}$"))
    expect(page.locator("#attendance")).to_have_attribute("data-live", "joined")
    seat = page.locator(f'.seat[data-user-id="{delegate["user_id"]}"]')
    expect(seat).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    before = int(page.locator('[data-count="online"]').inner_text())

    secretary.post(f"/api/v1/meetings/{meeting['id']}/sittings/{sitting['id']}/attendance",
                   data={"items": [{"user_id": delegate["user_id"], "status": "online"}]})

    expect(seat).to_have_attribute("data-status", "online")
    expect(seat.locator(".seat-status")).to_have_text("Attending online")
    expect(page.locator('[data-count="online"]')).to_have_text(str(before + 1))
    expect(page.locator('#donut circle[data-status="online"]')).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True
