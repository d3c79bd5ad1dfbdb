"""Uploads a secretary should never get through: each is refused with a clear 4xx naming the problem,
the server stays healthy, and nothing is half-stored (no file in the store, no database row)."""

from __future__ import annotations

import io
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import func, select

from meetings.accounts.models import Role
from meetings.db import db
from meetings.dossiers.models import Document, DocumentVersion
from tests.client import error_of, json_of, multipart
from tests.pdfs import (
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_pdf,
    make_pdf_of_size,
    make_png,
    make_truncated_pdf,
)

M = "/api/v1/meetings"
D = "/api/v1/documents"
MAX_PAGES = 3
ABSURD_SIDE_PT = 20000

BAD_FILES = {
    # name: (bytes, status, code)
    "empty file": (lambda: b"", 422, "empty_file"),
    "PNG image": (make_png, 415, "not_pdf"),
    "text file": (lambda: "Biên bản kỳ họp thứ mười hai\n".encode(), 415, "not_pdf"),
    "truncated PDF": (make_truncated_pdf, 422, "truncated_pdf"),
    "corrupt PDF": (make_corrupt_pdf, 422, "corrupt_pdf"),
    "encrypted PDF": (make_encrypted_pdf, 422, "encrypted_pdf"),
    "too many pages": (lambda: make_pdf(pages=MAX_PAGES + 1), 422, "too_many_pages"),
    "absurd page size": (lambda: make_pdf(size=(ABSURD_SIDE_PT, 600)), 422, "page_size_out_of_bounds"),
}


@pytest.fixture
def desk(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))
    return auth.client


class Store:
    """What an upload may leave behind: files in the store and the incoming folder, database rows."""

    def __init__(self, app):
        self.app = app
        self.root = Path(app.config["DATA_DIR"]) / "files"

    def snapshot(self) -> dict:
        files = sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file())
        with self.app.app_context():
            rows = (
                db.session.scalar(select(func.count()).select_from(Document)),
                db.session.scalar(select(func.count()).select_from(DocumentVersion)),
            )
        return {"files": files, "rows": rows}


def _assert_refused_cleanly(app, client, response, status, code, before):
    error = error_of(response, status)
    assert error["code"] == code, error
    assert json_of(client.get("/healthz"), 200) == {"status": "ok"}
    after = Store(app).snapshot()
    assert after == before
    assert not any(f.startswith("incoming/") for f in after["files"])
    return error


@pytest.mark.app_config(MAX_PDF_PAGES=MAX_PAGES)
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_as_a_new_document(app, desk, make, kind):
    data, status, code = BAD_FILES[kind]
    meeting = make.meeting()
    make.document(meeting)
    before = Store(app).snapshot()

    response = desk.post(
        f"{M}/{meeting.id}/documents",
        data={"file": (io.BytesIO(data()), "tai-lieu.pdf"), "title": "Tài liệu hỏng"},
    )

    _assert_refused_cleanly(app, desk, response, status, code, before)


@pytest.mark.app_config(MAX_PDF_PAGES=MAX_PAGES)
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_as_a_new_version(app, desk, make, kind):
    data, status, code = BAD_FILES[kind]
    document = make.document(make.meeting())
    before = Store(app).snapshot()

    response = desk.post(f"{D}/{document.id}/versions", data={"file": (io.BytesIO(data()), "ban-moi.pdf")})

    _assert_refused_cleanly(app, desk, response, status, code, before)
    assert [v["number"] for v in json_of(desk.get(f"{D}/{document.id}/versions"), 200)] == [1]


def test_the_absurd_page_really_exceeds_the_bound(app):
    """PyMuPDF keeps a 20000 pt side as it is, so the upload test above meets the bound, not a clamp."""
    with pymupdf.open(stream=BAD_FILES["absurd page size"][0](), filetype="pdf") as doc:
        assert doc[0].rect.width == ABSURD_SIDE_PT > app.config["MAX_PAGE_SIDE_PT"]


@pytest.mark.app_config(MAX_PDF_PAGES=MAX_PAGES)
def test_a_pdf_at_the_page_limit_is_accepted(desk, make):
    meeting = make.meeting()

    response = desk.post(
        f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(make_pdf(pages=MAX_PAGES)), "du-trang.pdf")}
    )

    assert json_of(response, 201)["page_count"] == MAX_PAGES


@pytest.mark.app_config(MAX_PAGE_SIDE_PT=1000)
def test_the_page_size_bound_comes_from_the_configuration(app, desk, make):
    meeting = make.meeting()
    before = Store(app).snapshot()
    too_wide = make_pdf(sizes=[(595, 842), (1001, 700)])

    response = desk.post(f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(too_wide), "ban-ve.pdf")})

    error = _assert_refused_cleanly(app, desk, response, 422, "page_size_out_of_bounds", before)
    assert "2" in error["message"]  # the page at fault
    fits = desk.post(
        f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(make_pdf(size=(1000, 700))), "a.pdf")}
    )
    assert fits.status_code == 201


@pytest.mark.app_config(MAX_UPLOAD_MB=1)
def test_a_request_over_the_size_limit_is_413_with_the_envelope(app, desk, make):
    meeting = make.meeting()
    before = Store(app).snapshot()
    upload = multipart(file=(make_pdf_of_size(2 << 20), "qua-lon.pdf"))
    assert len(upload["data"]) > app.config["MAX_CONTENT_LENGTH"]

    response = desk.post(f"{M}/{meeting.id}/documents", **upload)

    _assert_refused_cleanly(app, desk, response, 413, "too_large", before)


@pytest.mark.app_config(MAX_UPLOAD_MB=1)
def test_a_file_just_over_the_file_limit_is_413_naming_the_limit(app, desk, make):
    meeting = make.meeting()
    before = Store(app).snapshot()
    upload = multipart(file=(make_pdf_of_size((1 << 20) + 1), "hoi-lon.pdf"))
    assert len(upload["data"]) < app.config["MAX_CONTENT_LENGTH"]

    response = desk.post(f"{M}/{meeting.id}/documents", **upload)

    error = _assert_refused_cleanly(app, desk, response, 413, "file_too_large", before)
    assert "1 MB" in error["message"]


@pytest.mark.app_config(MAX_UPLOAD_MB=1)
def test_a_file_at_the_file_limit_is_accepted(desk, make):
    meeting = make.meeting()
    pdf = make_pdf_of_size(1 << 20)

    response = desk.post(f"{M}/{meeting.id}/documents", **multipart(file=(pdf, "vua-du.pdf")))

    assert json_of(response, 201)["versions"][0]["size_bytes"] == 1 << 20


def test_an_upload_without_a_file_field_is_422_naming_the_field(app, desk, make):
    meeting = make.meeting()
    before = Store(app).snapshot()

    response = desk.post(f"{M}/{meeting.id}/documents", data={"title": "Quên đính kèm"})

    error = _assert_refused_cleanly(app, desk, response, 422, "invalid", before)
    assert "file" in error["fields"]


def test_a_pdf_named_txt_is_judged_by_its_content(desk, make):
    meeting = make.meeting()
    pdf = make_pdf(pages=2)

    document = json_of(
        desk.post(
            f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(pdf), "ghi-chu.txt", "text/plain")}
        ),
        201,
    )

    assert document["page_count"] == 2


def test_a_pdf_with_only_an_owner_password_opens_without_one_and_is_accepted(desk, make):
    meeting = make.meeting()
    doc = pymupdf.open(stream=make_pdf(), filetype="pdf")
    restricted = doc.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw="",
        owner_pw="chủ-sở-hữu",
        permissions=pymupdf.PDF_PERM_PRINT,
    )
    doc.close()

    response = desk.post(
        f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(restricted), "han-che.pdf")}
    )

    assert json_of(response, 201)["page_count"] == 1


def test_a_link_category_is_refused_for_an_upload(app, desk, make):
    meeting = make.meeting()
    before = Store(app).snapshot()

    response = desk.post(
        f"{M}/{meeting.id}/documents", data={"file": (io.BytesIO(make_pdf()), "a.pdf"), "category": "link"}
    )

    _assert_refused_cleanly(app, desk, response, 422, "invalid", before)
