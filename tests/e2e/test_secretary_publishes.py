"""A secretary builds a dossier in the workspace and publishes it; only its participants see it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.steps import log_in

pytestmark = pytest.mark.e2e


def make_pdf(path: Path, text: str) -> Path:
    """A one-page PDF saying text."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), text)
    doc.save(path)
    doc.close()
    return path




def create_meeting(page: Page, base: str, title: str) -> int:
    """Create a meeting from the list of meetings; the page then shows its workspace."""
    form = page.locator("#new-meeting")
    form.locator("input[name=title]").fill(title)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/meetings/\d+/manage$"))
    expect(page.locator("#ws-title")).to_have_text(title)
    expect(page.locator("#ws-status")).to_have_class(re.compile(r"\bstatus-draft\b"))
    # the workspace's script has started: its controls are enabled
    expect(page.locator("#agenda-form button[type=submit]")).to_be_enabled()
    match = re.search(r"/meetings/(\d+)/manage$", page.url)
    assert match is not None
    return int(match.group(1))


def test_secretary_publishes_a_dossier_that_only_its_participants_see(
    tablet: Callable[[], Page], live_server: str, tmp_path: Path
) -> None:
    base = live_server
    title = f"Kỳ họp chuyên đề {uuid.uuid4().hex[:8]}"
    item_title = "Tờ trình về dự toán ngân sách năm 2027"
    pdfs = [
        make_pdf(tmp_path / "To-trinh-du-toan.pdf", "To trinh ve du toan ngan sach"),
        make_pdf(tmp_path / "Du-thao-Nghi-quyet.pdf", "Du thao Nghi quyet"),
    ]

    page = tablet()
    log_in(page, base, "secretary")
    meeting_id = create_meeting(page, base, title)

    agenda_form = page.locator("#agenda-form")
    agenda_form.locator("input[name=title]").fill(item_title)
    agenda_form.locator("button[type=submit]").click()
    item = page.locator("#agenda-tree > .agenda-node", has_text=item_title)
    expect(item).to_have_count(1)
    item_id = item.get_attribute("data-id")
    assert item_id

    page.locator("#file-picker").set_input_files(pdfs)
    expect(page.locator("#upload-list .upload-row")).to_have_count(2)
    expect(page.locator('#upload-list .upload-row[data-state="done"]')).to_have_count(2)
    expect(page.locator("#unfiled-docs .doc-row")).to_have_count(2)

    for name in ("To-trinh-du-toan", "Du-thao-Nghi-quyet"):
        unfiled = page.locator("#unfiled-docs .doc-row", has_text=name)
        unfiled.locator("select.doc-file-under").select_option(item_id)
        expect(item.locator(".doc-row", has_text=name)).to_have_count(1)
    expect(page.locator("#unfiled")).to_be_hidden()

    participant_form = page.locator("#participant-form")
    participant_form.locator("input[name=username]").fill("delegate05")
    participant_form.locator("button[type=submit]").click()
    expect(page.locator('#participant-rows tr[data-username="delegate05"]')).to_have_count(1)

    page.locator("#publish").click()
    page.locator("#confirm-ok").click()
    expect(page.locator("#ws-status")).to_have_class(re.compile(r"\bstatus-published\b"))
    expect(page.locator("#publish")).to_be_hidden()
    # publishing pre-renders the pages; each document's bar fills without a reload
    finished = page.locator('.render-progress[data-state="done"]')
    expect(finished).to_have_count(2, timeout=60_000)
    for bar in finished.locator("progress").all():
        assert bar.get_attribute("value") == bar.get_attribute("max")

    page = tablet()  # a fresh context: nobody is signed in
    log_in(page, base, "delegate05")
    page.locator(".meeting-link", has_text=title).click()
    expect(page).to_have_url(f"{base}/meetings/{meeting_id}")
    expect(page.locator("h1")).to_have_text(title)
    documents = page.locator(f'.agenda-item[data-agenda-id="{item_id}"] .document .doc-title')
    expect(documents).to_have_count(2)
    expect(documents.filter(has_text="To-trinh-du-toan")).to_have_count(1)
    expect(documents.filter(has_text="Du-thao-Nghi-quyet")).to_have_count(1)

    page = tablet()
    log_in(page, base, "delegate06")
    expect(page.locator(".meeting-list")).to_be_visible()
    expect(page.locator(".meeting-link", has_text=title)).to_have_count(0)
    answer = page.goto(f"{base}/meetings/{meeting_id}")
    assert answer is not None and answer.status == 404
    expect(page.locator("h1")).to_have_text("404")
    expect(page.get_by_text(title)).to_have_count(0)


def test_a_rejected_file_shows_the_servers_message_beside_it_while_the_others_upload(
    tablet: Callable[[], Page], live_server: str, tmp_path: Path
) -> None:
    base = live_server
    good = make_pdf(tmp_path / "Bao-cao-tham-tra.pdf", "Bao cao tham tra")
    page = tablet()
    log_in(page, base, "secretary")
    meeting_id = create_meeting(page, base, f"Kỳ họp bất thường {uuid.uuid4().hex[:8]}")

    # What the server itself answers for a file that is not a PDF, asked directly through the API
    # in the browser's language (the message is translated, so the language must be the page's).
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    language = page.evaluate("navigator.language")
    refused = page.request.post(
        f"{base}/api/v1/meetings/{meeting_id}/documents",
        headers={"X-CSRFToken": token or "", "Accept-Language": language},
        multipart={"file": {"name": "ghi-chu.txt", "mimeType": "text/plain", "buffer": b"not a pdf at all"}},
    )
    assert refused.status == 415
    message = refused.json()["error"]["message"]
    assert message

    files = [
        {"name": "ghi-chu.txt", "type": "text/plain", "bytes": list(b"not a pdf at all")},
        {"name": good.name, "type": "application/pdf", "bytes": list(good.read_bytes())},
    ]
    data_transfer = page.evaluate_handle(
        """(files) => {
            const transfer = new DataTransfer();
            for (const f of files) {
                transfer.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
            }
            return transfer;
        }""",
        files,
    )
    page.dispatch_event("#drop-zone", "dragenter", {"dataTransfer": data_transfer})
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": data_transfer})

    rejected = page.locator("#upload-list .upload-row", has_text="ghi-chu.txt")
    accepted = page.locator("#upload-list .upload-row", has_text=good.name)
    expect(rejected).to_have_attribute("data-state", "failed")
    expect(rejected.locator(".upload-status")).to_have_text(message)
    expect(accepted).to_have_attribute("data-state", "done")
    expect(page.locator("#unfiled-docs .doc-row", has_text="Bao-cao-tham-tra")).to_have_count(1)
    expect(page.locator("#unfiled-docs .doc-row")).to_have_count(1)
