"""The annotated PDF: each annotation a real PDF annotation of the matching type, on its page, with
its author and note; orphans gathered on page 1; Vietnamese intact."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from PIL import Image

from annotations import Kind, present
from annotations.pdf_export import ORPHAN_LABEL, annotate, from_page_images
from tests.unit.annotations.samples import GEOMETRY, annotation
from tests.unit.annotations.textpdf import pdf_of

AUTHORS = {3: "Nguyễn Văn An", 4: "Trần Thị Bích Ngọc"}
PDF_TYPE = {
    Kind.HIGHLIGHT: "Highlight",
    Kind.UNDERLINE: "Underline",
    Kind.STRIKEOUT: "StrikeOut",
    Kind.INK: "Ink",
    Kind.NOTE: "Text",
    Kind.RECT: "Square",
}
LINES = ["Dự toán ngân sách địa phương năm 2027.", "Hội đồng nhân dân quận thảo luận, biểu quyết."]


def exported(items: list[dict[str, Any]], pages: int = 3) -> list[list[dict[str, Any]]]:
    """Annotate a fresh PDF of pages pages; return each page's annotations as plain data."""
    data = annotate(pymupdf.open(stream=pdf_of(*[LINES] * pages), filetype="pdf"), items, AUTHORS)
    return annotations_of(data)


def annotations_of(data: bytes) -> list[list[dict[str, Any]]]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [
            [
                {"type": a.type[1], "title": a.info["title"], "content": a.info["content"], "rect": a.rect}
                for a in page.annots()
            ]
            for page in doc
        ]


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_becomes_its_pdf_annotation_on_its_page(kind: Kind) -> None:
    note = f"Ghi chú về {kind.value}: đề nghị làm rõ"

    pages = exported([present(annotation(kind, page=2, note=note, author_id=4))])

    assert pages[0] == [] and pages[2] == []
    [made] = pages[1]
    assert made["type"] == PDF_TYPE[kind]
    assert made["title"] == "Trần Thị Bích Ngọc"
    assert made["content"] == note


def test_text_marks_cover_their_rectangles() -> None:
    item = present(annotation(Kind.UNDERLINE))

    [[made], *_] = exported([item])

    x0, y0, x1, y1 = GEOMETRY[Kind.UNDERLINE]["rects"][0]
    assert made["rect"].intersects(pymupdf.Rect(x0, y0, x1, y1))
    assert abs(made["rect"].x0 - x0) < 3 and abs(made["rect"].x1 - x1) < 3


def test_shapes_stand_where_they_were_drawn() -> None:
    [[square, ink], *_] = exported([present(annotation(Kind.RECT)), present(annotation(Kind.INK))])

    assert square["rect"].contains(pymupdf.Rect(GEOMETRY[Kind.RECT]["rect"]).irect + (2, 2, -2, -2))
    assert ink["rect"].contains(pymupdf.Point(150, 340))


def test_many_annotations_land_on_their_own_pages() -> None:
    items = [
        present(annotation(Kind.HIGHLIGHT, page=1)),
        present(annotation(Kind.STRIKEOUT, page=3)),
        present(annotation(Kind.NOTE, page=3, note="Trang 3")),
        present(annotation(Kind.INK, page=2)),
    ]

    pages = exported(items)

    assert [sorted(a["type"] for a in page) for page in pages] == [
        ["Highlight"],
        ["Ink"],
        ["StrikeOut", "Text"],
    ]


def test_orphans_are_notes_on_page_one_with_their_quote() -> None:
    orphan = present(
        annotation(
            Kind.HIGHLIGHT,
            page=3,
            orphaned=True,
            note="Đoạn này đã bị bỏ",
            quote={"exact": "Điều 5. Kinh phí dự phòng", "prefix": "", "suffix": ""},
        )
    )

    pages = exported([orphan])

    assert pages[1] == [] and pages[2] == []
    [made] = pages[0]
    assert made["type"] == "Text"
    assert made["title"] == "Nguyễn Văn An"
    assert ORPHAN_LABEL in made["content"]
    assert "Điều 5. Kinh phí dự phòng" in made["content"] and "Đoạn này đã bị bỏ" in made["content"]


def test_an_annotation_past_the_last_page_is_kept_as_an_orphan() -> None:
    pages = exported([present(annotation(Kind.RECT, page=9, note="Hình vẽ ở trang 9"))], pages=2)

    [made] = pages[0]
    assert made["type"] == "Text" and "Hình vẽ ở trang 9" in made["content"]


def test_deleted_annotations_are_left_out() -> None:
    import datetime as dt

    gone = present(annotation(Kind.HIGHLIGHT, deleted_at=dt.datetime(2027, 3, 2, tzinfo=dt.UTC)))

    assert exported([gone]) == [[], [], []]


def test_vietnamese_notes_and_names_survive_the_round_trip() -> None:
    note = "Đề nghị Ủy ban làm rõ: vốn đầu tư công ưu tiên trường học, trạm y tế — ổn định, bền vững."

    data = annotate(
        pymupdf.open(stream=pdf_of(LINES), filetype="pdf"),
        [present(annotation(Kind.NOTE, note=note))],
        AUTHORS,
    )

    [[made]] = annotations_of(data)
    assert made["content"] == note and made["title"] == "Nguyễn Văn An"


def test_the_original_text_stays_in_an_annotated_copy_of_the_pdf() -> None:
    data = annotate(pymupdf.open(stream=pdf_of(LINES), filetype="pdf"), [present(annotation())], AUTHORS)

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert "Dự toán ngân sách địa phương" in doc[0].get_text()


def test_a_copy_made_of_page_images_has_their_sizes_and_no_text(tmp_path: Path) -> None:
    paths = []
    for number in range(2):
        path = tmp_path / f"p{number}.jpeg"
        Image.new("RGB", (600, 848 if number == 0 else 424), (250, 250, 240)).save(path, "JPEG")
        paths.append(str(path))
    sizes = [[595.0, 842.0], [842.0, 595.0]]

    doc = from_page_images(paths, sizes)
    data = annotate(doc, [present(annotation(Kind.HIGHLIGHT, page=2, note="trên ảnh"))], AUTHORS)

    with pymupdf.open(stream=data, filetype="pdf") as copy:
        assert [[round(p.rect.width), round(p.rect.height)] for p in copy] == [[595, 842], [842, 595]]
        assert all(page.get_text().strip() == "" for page in copy)
        assert all(len(page.get_images()) == 1 for page in copy)
    assert [[a["type"] for a in page] for page in annotations_of(data)] == [[], ["Highlight"]]


def test_colours_are_kept() -> None:
    data = annotate(
        pymupdf.open(stream=pdf_of(LINES), filetype="pdf"),
        [present(annotation(Kind.RECT, color="#0000ff"))],
        AUTHORS,
    )

    with pymupdf.open(stream=data, filetype="pdf") as doc:
        [made] = list(doc[0].annots())
        assert made.colors["stroke"] == pytest.approx([0.0, 0.0, 1.0])


def test_the_result_is_a_sound_pdf() -> None:
    data = annotate(
        pymupdf.open(stream=pdf_of(LINES, LINES), filetype="pdf"),
        [present(annotation(kind, page=1 + n % 2)) for n, kind in enumerate(Kind)],
        AUTHORS,
    )

    assert data.startswith(b"%PDF-")
    with pymupdf.open(stream=io.BytesIO(data), filetype="pdf") as doc:
        assert doc.page_count == 2 and not doc.is_repaired
