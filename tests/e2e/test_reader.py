"""A delegate reads the dossier on a tablet: turns pages by finger and key, zooms in and gets a
sharper image, finds words typed without accents, and keeps the place across reload and back."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e

DEMO_MEETING = 1
#: a phone held upright, for the drawer
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "has_touch": True,
    "is_mobile": True,
    "locale": "en-US",
}




def open_document_with_pages(page: Page, base: str, pages: int = 3) -> int:
    """From the demo meeting's page, open a document of that many pages in the reader; its id."""
    page.goto(f"{base}/meetings/{DEMO_MEETING}")
    entry = page.locator("li.document", has_text=re.compile(rf"\b{pages} pages\b")).first
    entry.locator("a.doc-title").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{DEMO_MEETING}/documents/\d+(#page=1)?$"))
    match = re.search(r"/documents/(\d+)", page.url)
    assert match is not None
    return int(match.group(1))


def expect_page_shown(page: Page, number: int) -> None:
    """The reader says it shows page number, and the image on screen is that page, loaded."""
    expect(page.locator("#page-input")).to_have_value(str(number))
    expect(page.locator("#page-image")).to_have_attribute("src", re.compile(rf"/pages/{number}/image\?"))
    expect(page.locator("#sheet")).to_have_attribute("data-state", "ready")
    page.wait_for_function(
        """n => {
             const img = document.getElementById("page-image");
             return img.complete && img.naturalWidth > 0 && img.src.includes(`/pages/${n}/image?`);
           }""",
        arg=number,
    )
    expect(page).to_have_url(re.compile(rf"#page={number}$"))


def width_of(url: str) -> int:
    return int(parse_qs(urlsplit(url).query)["width"][0])


class Finger:
    """Touches the screen through Chromium's input pipeline (CDP), so touch-action, pointer events
    and the page's gesture code all see what a real finger would produce.

    Each touch carries its own timestamp, the time the page's gesture code reads (event.timeStamp):
    a gesture is as quick as a finger makes it however long the loaded machine takes to deliver it.
    Without them a double tap sent at the speed of a busy CDP pipe came as two single taps."""

    #: seconds between the touches of one gesture: a finger's pace
    STEP_S = 0.016

    def __init__(self, page: Page) -> None:
        self.cdp = page.context.new_cdp_session(page)

    def _send(self, kind: str, points: list[tuple[float, float]], at: float) -> None:
        self.cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
                "timestamp": at,
            },
        )

    def _gesture(self, touches: list[tuple[str, list[tuple[float, float]]]]) -> None:
        """Send touches as one gesture: timestamps from now, STEP_S apart (seconds since the epoch)."""
        start = time.time()
        for n, (kind, points) in enumerate(touches):
            self._send(kind, points, start + n * self.STEP_S)

    def swipe(self, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
        moves = [
            ("touchMove", [(start[0] + (end[0] - start[0]) * k / steps, start[1] + (end[1] - start[1]) * k / steps)])
            for k in range(1, steps + 1)
        ]
        self._gesture([("touchStart", [start]), *moves, ("touchEnd", [])])

    def double_tap(self, point: tuple[float, float]) -> None:
        self._gesture([("touchStart", [point]), ("touchEnd", []), ("touchStart", [point]), ("touchEnd", [])])


def stage_points(page: Page) -> dict[str, tuple[float, float]]:
    box = page.locator("#stage").bounding_box()
    assert box is not None
    middle = box["y"] + box["height"] / 2
    return {
        "right": (box["x"] + box["width"] * 0.85, middle),
        "left": (box["x"] + box["width"] * 0.15, middle),
        "center": (box["x"] + box["width"] / 2, middle),
    }


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[], Page]]:
    """phone() opens a page in a fresh context the size of a phone held upright."""
    contexts: list[Any] = []

    def open_page() -> Page:
        context = browser.new_context(**PHONE)
        contexts.append(context)
        return context.new_page()  # type: ignore[no-any-return]

    yield open_page
    for context in contexts:
        context.close()


def test_delegate_turns_pages_by_swipe_and_key_and_zooms_into_a_sharper_image(
    tablet: Callable[[], Page], live_server: str
) -> None:
    page = tablet()
    log_in(page, live_server)
    document_id = open_document_with_pages(page, live_server)
    expect_page_shown(page, 1)
    expect(page.locator("#page-total")).to_have_text("/ 3")
    expect(page.locator("#text-layer span").first).to_be_attached()
    finger = Finger(page)

    finger.swipe(stage_points(page)["right"], stage_points(page)["left"])
    expect_page_shown(page, 2)

    page.keyboard.press("ArrowRight")
    expect_page_shown(page, 3)
    expect(page.locator("#next-page")).to_be_disabled()

    finger.swipe(stage_points(page)["left"], stage_points(page)["right"])
    expect_page_shown(page, 2)
    page.keyboard.press("PageUp")
    expect_page_shown(page, 1)
    page.locator("#next-page").click()
    expect_page_shown(page, 2)

    before = width_of(page.locator("#page-image").get_attribute("src") or "")
    assert before <= 1200, f"a page fitted to a {page.viewport_size} screen needs no {before} px image"

    def sharper(request: Any) -> bool:
        return f"/documents/{document_id}/pages/2/image?" in request.url and width_of(request.url) > before

    with page.expect_request(sharper) as requested:
        finger.double_tap(stage_points(page)["center"])
    expect(page.locator("#zoom-reset")).to_have_text("200%")
    wider = width_of(requested.value.url)
    response = requested.value.response()
    assert response is not None and response.ok
    assert response.headers["x-page-width"] == str(wider)
    expect(page.locator("#page-image")).to_have_attribute(
        "src", re.compile(rf"/pages/2/image\?width={wider}&")
    )
    expect_page_shown(page, 2)

    finger.double_tap(stage_points(page)["center"])
    expect(page.locator("#zoom-reset")).to_have_text("100%")


def test_delegate_finds_words_typed_without_accents_highlighted_on_the_page(
    tablet: Callable[[], Page], live_server: str
) -> None:
    page = tablet()
    log_in(page, live_server)
    open_document_with_pages(page, live_server)
    expect_page_shown(page, 1)

    page.locator("#search-toggle").click()
    search = page.locator("#search-input")
    expect(search).to_be_focused()
    search.fill("ngan sach")
    search.press("Enter")

    results = page.locator("#search-results .search-result")
    expect(results.first).to_be_visible()
    marked = re.compile(r"^(ngân|sách|ngân sách)$", re.IGNORECASE)
    expect(results.first.locator("mark").first).to_have_text(marked)
    expect(page.locator("#sheet")).to_have_attribute("data-state", "ready")
    shown = page.locator("#page-input").input_value()
    expect(page.locator("#text-layer")).to_have_attribute("data-page", shown)
    expect(page.locator("#text-layer")).to_contain_text("ngân sách")
    highlight = page.locator("#hit-layer .hit.current")
    expect(highlight).to_be_visible()
    expect(highlight).to_be_in_viewport()

    # every result leads to its page, with the words marked there
    last = results.last
    last_page = last.get_attribute("data-page")
    last.click()
    expect(page.locator("#page-input")).to_have_value(last_page or "")
    expect(page.locator("#text-layer")).to_have_attribute("data-page", last_page or "")
    expect(page.locator("#hit-layer .hit").first).to_be_visible()


def test_the_place_in_a_document_survives_reload_and_back(
    tablet: Callable[[], Page], live_server: str
) -> None:
    page = tablet()
    log_in(page, live_server)
    first_id = open_document_with_pages(page, live_server)
    expect_page_shown(page, 1)
    page.keyboard.press("End")
    expect_page_shown(page, 3)

    page.reload()
    expect_page_shown(page, 3)

    other = page.locator("#agenda-list a[data-document-id]:not([aria-current])").first
    title = other.locator(".nav-doc-title").inner_text()
    other.click()
    expect(page.locator("#doc-title")).to_have_text(title)
    expect(page).to_have_url(re.compile(rf"/documents/(?!{first_id}\b)\d+#page=1$"))
    expect_page_shown(page, 1)

    page.go_back()
    expect(page).to_have_url(re.compile(rf"/documents/{first_id}#page=3$"))
    expect_page_shown(page, 3)


def test_on_a_phone_the_agenda_is_a_drawer_that_gets_out_of_the_way(
    phone: Callable[[], Page], live_server: str
) -> None:
    page = phone()
    log_in(page, live_server)
    open_document_with_pages(page, live_server)
    expect_page_shown(page, 1)
    panel = page.locator("#reader-panel")
    expect(panel).not_to_be_in_viewport()

    page.locator("#panel-toggle").tap()
    expect(panel).to_be_in_viewport()
    expect(page.locator("#panel-toggle")).to_have_attribute("aria-expanded", "true")
    other = page.locator("#agenda-list a[data-document-id]:not([aria-current])").first
    title = other.locator(".nav-doc-title").inner_text()
    other.tap()

    expect(page.locator("#doc-title")).to_have_text(title)
    expect(page.locator("#panel-toggle")).to_have_attribute("aria-expanded", "false")
    expect(panel).not_to_be_in_viewport()
    expect_page_shown(page, 1)
