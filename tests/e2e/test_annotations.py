"""Delegates annotate the dossier together, live: a passage one delegate highlights for her group
appears on her group-mates' pages without a reload and never on another group's; a note written
while the network is down waits, marked pending, and reaches the others exactly once when it returns."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e

DEMO_MEETING = 1
NOTE = "Đề nghị làm rõ số liệu quý IV"
#: delegate01 and delegate02 are in group "Tổ 1" of the demo meeting; delegate15 is in "Tổ 2"
AUTHOR, GROUP_MATE, OTHER_GROUP = "delegate01", "delegate02", "delegate15"




def reader_url_of_document_with_pages(page: Page, base: str, pages: int = 3) -> str:
    """The reader's address of a document of the demo meeting with that many pages."""
    page.goto(f"{base}/meetings/{DEMO_MEETING}")
    entry = page.locator("li.document", has_text=re.compile(rf"\b{pages} pages\b")).first
    href = entry.locator("a.doc-title").get_attribute("href")
    assert href is not None
    return f"{base}{href.split('#')[0]}"


def open_reader(page: Page, url: str) -> None:
    """Open the reader at page 1, shown, with its text layer and its live connection up."""
    page.goto(f"{url}#page=1")
    expect(page.locator("#sheet")).to_have_attribute("data-state", "ready")
    expect(page.locator("#text-layer")).to_have_attribute("data-page", "1")
    expect(page.locator("#reader")).to_have_attribute("data-live", "online")


def annotations(page: Page, kind: str) -> Any:
    return page.locator(f"#annotation-layer g.annotation[data-kind={kind}]")


def share_with_group(page: Page) -> None:
    """Choose "my group" for what the delegate makes next."""
    option = page.locator("#annotate-visibility option[value^='group:']").first
    value = option.get_attribute("value")
    assert value is not None, "a delegate of a group can share with it"
    page.locator("#annotate-visibility").select_option(value)


def drag_across_words(page: Page, first: int, last: int) -> None:
    """Drag the mouse from the start of word first to the end of word last of the text layer."""
    words = page.locator("#text-layer span")
    start, end = words.nth(first).bounding_box(), words.nth(last).bounding_box()
    assert start is not None and end is not None
    page.mouse.move(start["x"] + 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] - 2, end["y"] + end["height"] / 2, steps=6)
    page.mouse.up()


def click_on_sheet(page: Page, fx: float, y: float) -> None:
    """Click at fx of the page's width and y CSS pixels from its top."""
    box = page.locator("#sheet").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + y)


def stored_notes(page: Page, base: str, document_id: str) -> list[dict[str, Any]]:
    """The notes with NOTE's text the server gives this page's user (listAnnotations)."""
    answer = page.request.get(f"{base}/api/v1/meetings/{DEMO_MEETING}/annotations?document={document_id}")
    assert answer.ok, answer.text()
    return [a for a in answer.json()["items"] if a["kind"] == "note" and a["note"] == NOTE]


def test_group_annotations_arrive_live_and_a_note_made_offline_arrives_once(
    tablet: Callable[[], Page], live_server: str
) -> None:
    author, mate, outsider = tablet(), tablet(), tablet()
    for page, username in ((author, AUTHOR), (mate, GROUP_MATE), (outsider, OTHER_GROUP)):
        log_in(page, live_server, username)
    url = reader_url_of_document_with_pages(author, live_server)
    document_id = url.rsplit("/", 1)[1]
    for page in (author, mate, outsider):
        open_reader(page, url)
    # from here on the mate's reader learns everything from live events, which name their authors:
    # it never asks for the annotation list again (it used to, for every author it had not seen)
    listed: list[str] = []
    mate.on("request", lambda request: listed.append(request.url) if "/annotations" in request.url else None)

    # delegate01 highlights a passage for her group, dragging across its words with the tool
    share_with_group(author)
    author.locator("#annotate-bar [data-tool=highlight]").click()
    drag_across_words(author, 12, 16)
    mine = annotations(author, "highlight")
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-pending", "false")

    # delegate02 sees it on the same page, without reloading
    seen = annotations(mate, "highlight")
    expect(seen).to_have_count(1)
    expect(seen).to_have_attribute("data-page", "1")
    expect(mate.locator("#annotation-layer")).to_have_attribute("data-page", "1")
    expect(seen.locator("rect.fill").first).to_be_visible()

    # the network goes; the reader says so and keeps working
    author.context.set_offline(True)
    author.evaluate("() => window.__live.disconnect()")  # an open WebSocket may outlive set_offline
    expect(author.locator("#live-banner")).to_be_visible()
    expect(author.locator("#reader")).to_have_attribute("data-live", "offline")
    author.locator("#annotate-bar [data-tool=note]").click()
    click_on_sheet(author, 0.9, 40)
    expect(author.locator("#annotation-card")).to_be_visible()
    author.locator("#card-note").fill(NOTE)
    author.locator("#card-save").click()
    pending = annotations(author, "note")
    expect(pending).to_have_count(1)
    expect(pending).to_have_attribute("data-pending", "true")
    expect(author.locator("#annotate-status")).to_have_text(re.compile(r"\b1\b"))

    # the network returns: the note is sent, acknowledged, and reaches the group once
    author.context.set_offline(False)
    expect(author.locator("#live-banner")).to_be_hidden(timeout=30_000)
    expect(pending).to_have_attribute("data-pending", "false")
    expect(annotations(mate, "note")).to_have_count(1)

    # one more change, shared with the whole meeting, comes after everything above (events are
    # applied in order): once both others have it, nothing about the note can still be on its way
    author.locator("#annotate-visibility").select_option("meeting")
    author.locator("#annotate-bar [data-tool=rect]").click()
    box = author.locator("#sheet").bounding_box()
    assert box is not None
    author.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + 20)
    author.mouse.down()
    author.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + 60, steps=4)
    author.mouse.up()
    expect(annotations(mate, "rect")).to_have_count(1)
    expect(annotations(outsider, "rect")).to_have_count(1)

    expect(annotations(mate, "note")).to_have_count(1)
    assert listed == [], listed
    mate.locator("#tab-annotations").click()
    entries = mate.locator("#annotation-list .annotation-entry[data-kind=note]")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text(NOTE)

    # another group's delegate saw the meeting-wide shape, and neither of the group's annotations
    expect(annotations(outsider, "highlight")).to_have_count(0)
    expect(annotations(outsider, "note")).to_have_count(0)

    # the server stored the note once: a reload shows exactly one
    mate.reload()
    expect(mate.locator("#sheet")).to_have_attribute("data-state", "ready")
    expect(annotations(mate, "rect")).to_have_count(1)
    expect(annotations(mate, "note")).to_have_count(1)
    assert len(stored_notes(mate, live_server, document_id)) == 1
