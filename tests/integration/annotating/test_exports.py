"""exportAnnotatedPdf: the caller's annotated copy, with the annotations they may see as real PDF
annotations; the original underneath only when it is offered for download, page images otherwise
(watermarked when confidential); nobody's private notes in anyone else's copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from flask import Flask
from PIL import Image, ImageChops

from meetings.accounts.models import User
from meetings.dossiers.models import Confidentiality, Document
from tests.client import error_of
from tests.factories import Factories
from tests.integration.annotating.council import BUDGET, ROADS, SCHOOLS, Council
from tests.unit.annotations.textpdf import pdf_of

D = "/api/v1/documents"
PRIVATE_NOTES = {"anh": "RIÊNG của Anh", "binh": "RIÊNG của Bình"}


def export(auth: Any, user: User, document: Document) -> bytes:
    response = auth.client_for(user).get(f"{D}/{document.id}/annotated.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    data: bytes = response.get_data()
    return data


def annotations_in(data: bytes) -> list[tuple[int, str, str, str]]:
    """(page from 1, PDF annotation type, author, content) for each annotation of the PDF."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [
            (page.number + 1, a.type[1], a.info["title"], a.info["content"])
            for page in doc
            for a in page.annots()
        ]


def page_texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def page_images(data: bytes) -> list[bytes]:
    """The one image each page of a copy made of page images consists of."""
    found = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            [image] = page.get_images()
            found.append(doc.extract_image(image[0])["image"])
    return found


def marked_share(plain: bytes, marked: bytes) -> float:
    """The share of the page's pixels that the mark changed visibly (by more than a tenth of the range)."""
    a, b = (Image.open(io.BytesIO(x)).convert("L") for x in (plain, marked))
    assert a.size == b.size
    histogram = ImageChops.difference(a, b).histogram()
    return sum(histogram[24:]) / (a.width * a.height)


@pytest.fixture
def budget_annotations(make: Factories, council: Council) -> Council:
    """On the budget: Anh's private highlight, Anh's team A underline, Chi's meeting-wide note and
    strike-out, Bình's private ink."""
    return _annotate(make, council, council.budget)


def _annotate(make: Factories, c: Council, document: Document) -> Council:
    c.notes.update(
        {
            "anh_private": make.annotation(document, c.anh, note=PRIVATE_NOTES["anh"]).id,
            "anh_team_a": make.annotation(
                document, c.anh, "underline", page=2, visibility="group", note="NHÓM A: cần làm rõ"
            ).id,
            "chi_meeting": make.annotation(
                document, c.chi, "note", page=3, visibility="meeting", note="Ý kiến chung: đề nghị bổ sung"
            ).id,
            "chi_strike": make.annotation(
                document, c.chi, "strikeout", visibility="meeting", note="bỏ câu này"
            ).id,
            "binh_private": make.annotation(document, c.binh, "ink", page=2, note=PRIVATE_NOTES["binh"]).id,
        }
    )
    return c


def _downloadable(app: Flask, document: Document, **fields: Any) -> None:
    from meetings.db import db

    with app.app_context():
        row = db.session.get(Document, document.id)
        for key, value in {"downloadable": True, **fields}.items():
            setattr(row, key, value)
        db.session.commit()


def test_a_downloadable_documents_copy_is_the_original_with_the_annotations(
    app: Flask, auth: Any, budget_annotations: Council
) -> None:
    c = budget_annotations
    _downloadable(app, c.budget)

    data = export(auth, c.binh, c.budget)

    texts = page_texts(data)
    assert len(texts) == 3
    assert "Tổng thu ngân sách nhà nước" in texts[0] and "trường học và trạm y tế" in texts[0]
    assert "tổ chức thực hiện Nghị quyết" in texts[1]
    assert sorted(annotations_in(data)) == sorted(
        [
            (2, "Underline", "Nguyễn Văn Anh", "NHÓM A: cần làm rõ"),
            (3, "Text", "Phạm Minh Chi", "Ý kiến chung: đề nghị bổ sung"),
            (1, "StrikeOut", "Phạm Minh Chi", "bỏ câu này"),
            (2, "Ink", "Lê Thị Bình", PRIVATE_NOTES["binh"]),
        ]
    )


def test_a_non_downloadable_documents_copy_has_page_images_and_no_original_text(
    auth: Any, budget_annotations: Council
) -> None:
    c = budget_annotations
    assert not c.budget.downloadable

    data = export(auth, c.chi, c.budget)

    assert [text.strip() for text in page_texts(data)] == ["", "", ""]
    assert len(page_images(data)) == 3
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert [[round(p.rect.width), round(p.rect.height)] for p in doc] == [[595, 842]] * 3
    assert sorted(annotations_in(data)) == sorted(
        [
            (3, "Text", "Phạm Minh Chi", "Ý kiến chung: đề nghị bổ sung"),
            (1, "StrikeOut", "Phạm Minh Chi", "bỏ câu này"),
        ]
    )


def test_a_secretary_gets_the_original_underneath_even_when_not_downloadable(
    auth: Any, budget_annotations: Council
) -> None:
    data = export(auth, budget_annotations.secretary, budget_annotations.budget)

    assert "Tổng thu ngân sách nhà nước" in page_texts(data)[0]
    assert {a[3] for a in annotations_in(data)} == {"Ý kiến chung: đề nghị bổ sung", "bỏ câu này"}


def test_a_confidential_documents_pages_are_watermarked(
    app: Flask, auth: Any, make: Factories, council: Council
) -> None:
    pdf = pdf_of([BUDGET, SCHOOLS], [ROADS])
    plain = make.document(council.meeting, pdf, title="Bản thường")
    confidential = make.document(
        council.meeting, pdf, title="Bản mật", confidentiality=Confidentiality.CONFIDENTIAL
    )
    make.annotation(confidential, council.chi, "rect", visibility="meeting", note="trên bản mật")

    plain_pages = page_images(export(auth, council.binh, plain))
    marked_copy = export(auth, council.binh, confidential)
    marked_pages = page_images(marked_copy)

    rendered = Path(app.config["DATA_DIR"]) / "pages"
    cached = sorted(rendered.glob("*/*/p0-w1600.jpeg"))
    assert [p.read_bytes() for p in cached] == [plain_pages[0]]  # the plain copy is the plain render
    for plain_page, marked_page in zip(plain_pages, marked_pages, strict=True):
        assert marked_page != plain_page
        assert marked_share(plain_page, marked_page) > 0.005  # a visible mark, not re-encoding noise
    assert [text.strip() for text in page_texts(marked_copy)] == ["", ""]
    assert [(a[0], a[1], a[3]) for a in annotations_in(marked_copy)] == [(1, "Square", "trên bản mật")]


@pytest.mark.parametrize("downloadable", [True, False], ids=["original", "images"])
def test_nobodys_private_annotations_are_in_anyone_elses_copy(
    app: Flask, auth: Any, budget_annotations: Council, downloadable: bool
) -> None:
    c = budget_annotations
    if downloadable:
        _downloadable(app, c.budget)

    for who in ("anh", "binh", "chi", "secretary"):
        contents = {a[3] for a in annotations_in(export(auth, getattr(c, who), c.budget))}
        others_private = {note for author, note in PRIVATE_NOTES.items() if author != who}
        assert not contents & others_private, who
        if who in PRIVATE_NOTES:
            assert PRIVATE_NOTES[who] in contents, who


def test_group_annotations_stay_in_their_groups_copies(auth: Any, budget_annotations: Council) -> None:
    c = budget_annotations

    assert "NHÓM A: cần làm rõ" in {a[3] for a in annotations_in(export(auth, c.binh, c.budget))}
    assert "NHÓM A: cần làm rõ" not in {a[3] for a in annotations_in(export(auth, c.chi, c.budget))}


def test_orphans_come_along_as_notes_on_page_one(
    app: Flask, auth: Any, make: Factories, council: Council
) -> None:
    from annotations import Annotation
    from tests.factories import session_of

    made = make.annotation(
        council.budget,
        council.anh,
        page=2,
        note="đoạn đã bị bỏ",
        quote={"exact": "Điều 5. Kinh phí dự phòng"},
    )
    with session_of(app) as session:
        session.get(Annotation, made.id).orphaned = True  # type: ignore[union-attr]

    [(page, kind, author, content)] = annotations_in(export(auth, council.anh, council.budget))

    assert (page, kind, author) == (1, "Text", "Nguyễn Văn Anh")
    assert "Điều 5. Kinh phí dự phòng" in content and "đoạn đã bị bỏ" in content


def test_who_may_not_read_the_document_gets_no_copy(auth: Any, make: Factories, council: Council) -> None:
    make.annotation(council.secret, council.anh, visibility="meeting", note="trên tài liệu mật")
    link = make.link(council.meeting)

    for user in (council.binh, council.outsider):
        assert error_of(auth.client_for(user).get(f"{D}/{council.secret.id}/annotated.pdf"), 404)
    assert error_of(auth.client_for(council.outsider).get(f"{D}/{council.budget.id}/annotated.pdf"), 404)
    assert error_of(auth.client_for(council.anh).get(f"{D}/{link.id}/annotated.pdf"), 404)
    assert [a[3] for a in annotations_in(export(auth, council.anh, council.secret))] == ["trên tài liệu mật"]
