"""Page images and text layers: buckets, formats, caching, permissions, placeholders, watermarks."""

from __future__ import annotations

import io
import random
import threading
import time
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from flask import Flask
from PIL import Image

from meetings.dossiers.models import Confidentiality, MeetingStatus
from meetings.pdf.pages import BUCKETS, FORMATS, PRERENDER
from meetings.pdf.pool import RenderPool
from tests.client import error_of, json_of
from tests.pdfs import A4, make_pdf


def image_url(document: Any, page: int = 1, **query: Any) -> str:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/documents/{document.id}/pages/{page}/image" + (f"?{params}" if params else "")


def decoded(response: Any) -> Image.Image:
    return Image.open(io.BytesIO(response.get_data()))


@pytest.fixture
def dossier(make: Any) -> dict[str, Any]:
    """A published meeting with a delegate, an outsider, and a three-page document."""
    meeting = make.published_meeting()
    delegate, outsider = make.user(), make.user()
    make.participant(meeting, delegate)
    document = make.document(meeting, make_pdf(pages=3))
    return {"meeting": meeting, "delegate": delegate, "outsider": outsider, "document": document}


def heavy_pdf(curves: int = 1000) -> bytes:
    """A page of overlapping translucent curves: MuPDF needs seconds for it at tablet widths."""
    doc = pymupdf.open()
    page = doc.new_page()
    rng = random.Random(7)
    shape = page.new_shape()
    for _ in range(curves):
        shape.draw_bezier(*[(rng.random() * A4[0], rng.random() * A4[1]) for _ in range(4)])
    shape.finish(width=3, color=(0, 0, 0), fill=(0.5, 0.2, 0.1), fill_opacity=0.3)
    shape.commit()
    page = doc.new_page()
    page.insert_text((72, 72), "a light second page")
    return doc.tobytes(deflate=True)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_bucket_serves_an_image_of_that_width_in_each_format(client: Any, auth: Any, dossier: dict,
                                                                   fmt: str) -> None:
    auth.login(dossier["delegate"])
    for bucket in BUCKETS:
        response = client.get(image_url(dossier["document"], width=bucket, format=fmt))
        assert response.status_code == 200
        assert response.mimetype == FORMATS[fmt]
        image = decoded(response)
        assert image.format == fmt.upper()
        assert image.width == bucket
        assert abs(image.height - round(bucket * A4[1] / A4[0])) <= 1
        assert response.headers["X-Page-Width"] == str(bucket)


@pytest.mark.parametrize(("asked", "served"), [(1, 200), (201, 400), (1199, 1200), (1200, 1200), (9999, 2400)])
def test_a_width_is_rounded_up_to_a_bucket(client: Any, auth: Any, dossier: dict, asked: int, served: int) -> None:
    auth.login(dossier["delegate"])
    response = client.get(image_url(dossier["document"], width=asked, format="jpeg"))
    assert decoded(response).width == served


def test_page_images_are_immutable_with_a_strong_etag_and_revalidate_to_304(client: Any, auth: Any,
                                                                            dossier: dict) -> None:
    auth.login(dossier["delegate"])
    first = client.get(image_url(dossier["document"], 2, width=800, version=1))
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert "immutable" in first.headers["Cache-Control"] and "max-age=31536000" in first.headers["Cache-Control"]
    again = client.get(image_url(dossier["document"], 2, width=800, version=1), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    other_page = client.get(image_url(dossier["document"], 3, width=800), headers={"If-None-Match": etag})
    assert other_page.status_code == 200 and other_page.headers["ETag"] != etag


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_the_current_version_url_is_revalidated_and_changes_with_a_new_version(
        client: Any, auth: Any, make: Any, dossier: dict) -> None:
    auth.login(make.user("secretary"))
    current = client.get(image_url(dossier["document"], 1, width=400))
    assert current.headers["Cache-Control"] == "private, no-cache" and current.headers["X-Page-Version"] == "1"
    etag = current.headers["ETag"]
    assert client.get(image_url(dossier["document"], 1, width=400), headers={"If-None-Match": etag}).status_code == 304
    client.post(f"/api/v1/documents/{dossier['document'].id}/versions", content_type="multipart/form-data",
                data={"file": (io.BytesIO(make_pdf(text="Bản sửa đổi")), "v2.pdf")})
    renewed = client.get(image_url(dossier["document"], 1, width=400), headers={"If-None-Match": etag})
    assert renewed.status_code == 200 and renewed.headers["X-Page-Version"] == "2" and renewed.headers["ETag"] != etag


def test_pages_are_cached_on_disk_by_file_page_width_and_format(app: Flask, client: Any, auth: Any,
                                                                dossier: dict) -> None:
    auth.login(dossier["delegate"])
    client.get(image_url(dossier["document"], 2, width=400, format="jpeg"))
    sha = dossier["document"].versions[0].sha256
    cached = Path(app.config["DATA_DIR"]) / "pages" / sha[:2] / sha / "p1-w400.jpeg"
    assert cached.exists()
    assert client.get(image_url(dossier["document"], 2, width=400, format="jpeg")).get_data() == cached.read_bytes()


@pytest.mark.parametrize("page", [0, 4, 99])
def test_a_page_out_of_range_is_404(client: Any, auth: Any, dossier: dict, page: int) -> None:
    auth.login(dossier["delegate"])
    error = error_of(client.get(image_url(dossier["document"], page)), 404)
    assert error["code"] == "page_not_found"
    assert error_of(client.get(f"/api/v1/documents/{dossier['document'].id}/pages/{page}/text"), 404)


def test_unknown_width_or_format_is_422(client: Any, auth: Any, dossier: dict) -> None:
    auth.login(dossier["delegate"])
    assert error_of(client.get(image_url(dossier["document"], format="bmp")), 422)
    assert error_of(client.get(image_url(dossier["document"], width=0)), 422)


def test_only_those_who_may_see_a_document_get_its_pages_and_text(app: Flask, auth: Any, make: Any,
                                                                  dossier: dict) -> None:
    meeting, document = dossier["meeting"], dossier["document"]
    reader, secretary = make.user(), make.user("secretary")
    make.participant(meeting, reader)
    restricted = make.restricted_document(meeting, readers=[reader])
    draft = make.meeting()
    make.participant(draft, dossier["delegate"])
    draft_document = make.document(draft)
    text = "/api/v1/documents/{}/pages/1/text"
    cases = [
        (None, document, 401), (dossier["outsider"], document, 404), (dossier["delegate"], document, 200),
        (dossier["delegate"], restricted, 404), (reader, restricted, 200), (secretary, restricted, 200),
        (dossier["delegate"], draft_document, 404), (secretary, draft_document, 200),
    ]
    for user, doc, status in cases:
        client = auth.client_for(user)
        assert client.get(image_url(doc, width=200)).status_code == status, (user, doc.title)
        assert client.get(text.format(doc.id)).status_code == status, (user, doc.title)


def test_a_link_document_has_no_pages(client: Any, auth: Any, make: Any, dossier: dict) -> None:
    link = make.link(dossier["meeting"])
    auth.login(dossier["delegate"])
    assert error_of(client.get(image_url(link)), 404)


def test_the_text_layer_has_the_words_with_boxes_inside_the_page(client: Any, auth: Any, make: Any,
                                                                 dossier: dict) -> None:
    document = make.document(dossier["meeting"], make_pdf(pages=2, text="Dự toán ngân sách"))
    auth.login(dossier["delegate"])
    body = json_of(client.get(f"/api/v1/documents/{document.id}/pages/2/text"), 200)
    assert body["page"] == 2 and (body["width"], body["height"]) == (round(A4[0], 2), round(A4[1], 2))
    words = [w["text"] for w in body["words"]]
    assert words[:4] == ["Dự", "toán", "ngân", "sách"] and "(2)" in words
    for word in body["words"]:
        assert 0 <= word["x0"] < word["x1"] <= body["width"] and 0 <= word["y0"] < word["y1"] <= body["height"]


def test_the_outline_lists_bookmarks_with_pages(client: Any, auth: Any, make: Any, dossier: dict) -> None:
    doc = pymupdf.open(stream=make_pdf(pages=3), filetype="pdf")
    doc.set_toc([[1, "Phần I. Kinh tế", 1], [2, "Ngân sách", 2], [1, "Phần II. Xã hội", 3]])
    document = make.document(dossier["meeting"], doc.tobytes())
    auth.login(dossier["delegate"])
    outline = json_of(client.get(f"/api/v1/documents/{document.id}/outline"), 200)
    assert outline == [{"level": 1, "title": "Phần I. Kinh tế", "page": 1},
                       {"level": 2, "title": "Ngân sách", "page": 2},
                       {"level": 1, "title": "Phần II. Xã hội", "page": 3}]


def test_a_damaged_stored_file_gives_a_placeholder_and_other_documents_keep_being_served(
        app: Flask, client: Any, auth: Any, make: Any, dossier: dict) -> None:
    damaged = make.document(dossier["meeting"], make_pdf(pages=2, text="sẽ hỏng"))
    sha = damaged.versions[0].sha256
    path = Path(app.config["DATA_DIR"]) / "files" / sha[:2] / sha[2:4] / sha
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500)
    auth.login(dossier["delegate"])
    response = client.get(image_url(damaged, width=400, format="jpeg"))
    assert response.status_code == 200
    assert response.headers["X-Page-Placeholder"] == "1"
    assert response.headers["Cache-Control"] == "no-store"
    assert decoded(response).width == 400
    good = client.get(image_url(dossier["document"], width=400, format="jpeg"))
    assert good.status_code == 200 and "X-Page-Placeholder" not in good.headers


def test_a_page_over_the_pixel_budget_is_a_placeholder_while_its_neighbour_renders(
        client: Any, auth: Any, make: Any, dossier: dict) -> None:
    # a 100 × 14 000 pt strip at 1 200 px wide would be 168 000 px tall: 200 megapixels
    document = make.document(dossier["meeting"], make_pdf(sizes=[A4, (100, 14000)]))
    auth.login(dossier["delegate"])
    strip = client.get(image_url(document, 2, width=1200))
    assert strip.status_code == 200 and strip.headers["X-Page-Placeholder"] == "1"
    assert decoded(strip).height <= 2400
    first = client.get(image_url(document, 1, width=1200))
    assert first.status_code == 200 and "X-Page-Placeholder" not in first.headers


@pytest.mark.app_config(RENDER_TIMEOUT_S=1.0, RENDER_WORKERS=1)
def test_a_page_over_the_time_budget_is_a_placeholder_and_the_worker_is_replaced(
        app: Flask, client: Any, auth: Any, make: Any, dossier: dict) -> None:
    document = make.document(dossier["meeting"], heavy_pdf())
    pool = app.extensions["paperless.renderer"].pool
    auth.login(dossier["delegate"])
    # the light page first: the worker is up, so the budget below is the render's alone
    assert "X-Page-Placeholder" not in client.get(image_url(document, 2, width=200)).headers
    before = pool.call({"op": "ping"})["pid"]
    slow = client.get(image_url(document, 1, width=2400, format="jpeg"))
    assert slow.status_code == 200 and slow.headers["X-Page-Placeholder"] == "1"
    after = pool.call({"op": "ping"})["pid"]
    assert after != before, "the stuck worker was not replaced"
    # the next page, and other documents, render normally on the new worker
    light = client.get(image_url(document, 2, width=400, format="jpeg"))
    assert light.status_code == 200 and "X-Page-Placeholder" not in light.headers
    other = client.get(image_url(dossier["document"], 1, width=400, format="jpeg"))
    assert other.status_code == 200 and "X-Page-Placeholder" not in other.headers


@pytest.mark.committed_database  # requests in threads of their own
def test_many_requests_for_one_uncached_page_cause_one_render(app: Flask, auth: Any, dossier: dict,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    real_call = RenderPool.call

    def counting_call(self: RenderPool, request: dict[str, Any], timeout: float | None = None, **turn: Any) -> Any:
        calls.append(request)
        time.sleep(0.2)  # hold the render open so that every client arrives while it runs
        return real_call(self, request, timeout, **turn)

    monkeypatch.setattr(RenderPool, "call", counting_call)
    clients = [auth.client_for(dossier["delegate"]) for _ in range(8)]
    statuses: list[int] = []
    barrier = threading.Barrier(len(clients))

    def ask(client: Any) -> None:
        barrier.wait()
        statuses.append(client.get(image_url(dossier["document"], 3, width=1600)).status_code)

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * len(clients)
    renders = [c for c in calls if c["op"] == "render" and c["page"] == 2 and c["width"] == 1600]
    assert len(renders) == 1


def test_confidential_pages_carry_each_readers_own_watermark(app: Flask, auth: Any, make: Any,
                                                            dossier: dict) -> None:
    meeting = dossier["meeting"]
    pdf = make_pdf(pages=1, text="Báo cáo mật")
    plain = make.document(meeting, pdf)
    secret = make.document(meeting, pdf, confidentiality=Confidentiality.CONFIDENTIAL)
    other = make.user(full_name="Phạm Thị Thu Trang")
    make.participant(meeting, other)
    first, second = auth.client_for(dossier["delegate"]), auth.client_for(other)
    base = decoded(first.get(image_url(plain, width=800, format="webp"))).convert("L")
    mine_response = first.get(image_url(secret, width=800, format="webp"))
    theirs_response = second.get(image_url(secret, width=800, format="webp"))
    mine, theirs = decoded(mine_response).convert("L"), decoded(theirs_response).convert("L")
    assert mine.size == theirs.size == base.size

    def differs(a: Image.Image, b: Image.Image) -> int:
        """How many pixels of two grey images differ visibly."""
        return sum(1 for x, y in zip(a.tobytes(), b.tobytes(), strict=True) if abs(x - y) > 8)

    assert differs(mine, base) > 2000, "the watermark is not on the page"
    assert differs(mine, theirs) > 2000, "two delegates got the same watermark"
    assert mine_response.headers["ETag"] != theirs_response.headers["ETag"]
    # faint: the page's text still dominates; most pixels are as they were
    assert differs(mine, base) < 0.25 * base.width * base.height


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_publishing_pre_renders_the_dossier_with_progress(app: Flask, client: Any, auth: Any, make: Any) -> None:
    meeting = make.meeting()
    documents = [make.document(meeting, make_pdf(pages=2)), make.document(meeting, make_pdf(pages=1))]
    auth.login(make.user("secretary"))
    json_of(client.post(f"/api/v1/meetings/{meeting.id}/publish"), 200)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        progress = json_of(client.get(f"/api/v1/meetings/{meeting.id}/rendering"), 200)
        if all(p["state"] == "done" for p in progress):
            break
        time.sleep(0.2)
    by_document = {p["document_id"]: p for p in progress}
    for document in documents:
        row = by_document[document.id]
        pages = document.versions[0].page_count
        assert row["state"] == "done" and row["done"] == row["total"] == pages * len(PRERENDER)
        sha = document.versions[0].sha256
        for page in range(pages):
            for width, fmt in PRERENDER:
                assert (Path(app.config["DATA_DIR"]) / "pages" / sha[:2] / sha / f"p{page}-w{width}.{fmt}").exists()


def test_render_progress_is_for_secretaries_only(auth: Any, dossier: dict) -> None:
    client = auth.client_for(dossier["delegate"])
    assert error_of(client.get(f"/api/v1/meetings/{dossier['meeting'].id}/rendering"), 403)


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_an_older_version_keeps_its_own_pages(app: Flask, client: Any, auth: Any, make: Any, dossier: dict) -> None:
    auth.login(make.user("secretary"))
    document = dossier["document"]
    second = make_pdf(pages=1, text="Phiên bản thứ hai")
    response = client.post(f"/api/v1/documents/{document.id}/versions",
                           data={"file": (io.BytesIO(second), "v2.pdf")}, content_type="multipart/form-data")
    assert json_of(response, 201)["version"] == 2
    assert client.get(image_url(document, 3)).status_code == 404  # version 2 has one page
    assert client.get(image_url(document, 3, version=1)).status_code == 200
    words = json_of(client.get(f"/api/v1/documents/{document.id}/pages/1/text"), 200)["words"]
    assert [w["text"] for w in words][:3] == ["Phiên", "bản", "thứ"]
    # the dossier stayed published and the document is the same one, now at version 2
    meeting = json_of(client.get(f"/api/v1/meetings/{dossier['meeting'].id}"), 200)
    assert meeting["status"] == MeetingStatus.PUBLISHED.value
    assert [d["id"] for d in meeting["documents"]] == [document.id] and meeting["documents"][0]["version"] == 2
