"""The W3C Web Annotation export: a JSON-LD AnnotationCollection whose items point at the document
and page, quote the marked text, and carry the note as plain text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations import Kind, Visibility
from annotations.w3c import CONTEXT, collection, to_w3c
from tests.unit.annotations.samples import annotation

BASE = "https://hdnd.example.vn"
TEXT_KINDS = [Kind.HIGHLIGHT, Kind.UNDERLINE, Kind.STRIKEOUT]


def selectors(item: dict[str, Any]) -> list[dict[str, Any]]:
    chosen = item["target"]["selector"]
    return chosen if isinstance(chosen, list) else [chosen]


def of_type(item: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in selectors(item) if s["type"] == kind]


def fragment(item: dict[str, Any]) -> dict[str, str]:
    [selector] = of_type(item, "FragmentSelector")
    return dict(part.split("=", 1) for part in selector["value"].split("&"))


def test_the_collection_is_json_ld_with_the_web_annotation_context() -> None:
    items = [annotation(kind, page=n) for n, kind in enumerate(Kind, start=1)]

    body = json.loads(json.dumps(collection(items, BASE, "Kỳ họp thứ 12 HĐND quận")))

    assert body["@context"] == CONTEXT == "http://www.w3.org/ns/anno.jsonld"
    assert body["type"] == "AnnotationCollection"
    assert body["label"] == "Kỳ họp thứ 12 HĐND quận"
    assert body["total"] == len(items)
    assert body["first"]["type"] == "AnnotationPage"
    assert [item["id"] for item in body["first"]["items"]] == [
        f"{BASE}/api/v1/annotations/{a.id}" for a in items
    ]


def test_an_empty_collection_is_still_a_collection() -> None:
    body = collection([], BASE, "Kỳ họp")

    assert body["type"] == "AnnotationCollection" and body["total"] == 0 and body["first"]["items"] == []


@pytest.mark.parametrize("kind", list(Kind))
def test_each_item_targets_its_document_and_page(kind: Kind) -> None:
    item = to_w3c(annotation(kind, page=4, document_id=42), BASE)

    assert item["type"] == "Annotation"
    assert item["@context"] == CONTEXT
    assert item["target"]["source"] == f"{BASE}/api/v1/documents/42"
    assert fragment(item)["page"] == "4"
    [selector] = of_type(item, "FragmentSelector")
    assert selector["conformsTo"] == "http://tools.ietf.org/rfc/rfc3778"


def test_the_fragment_covers_the_marked_area_in_points() -> None:
    item = to_w3c(annotation(Kind.HIGHLIGHT), BASE)  # rects from (72, 88) to (300, 127)

    assert fragment(item)["viewrect"] == "72.00,88.00,228.00,39.00"
    assert fragment(to_w3c(annotation(Kind.INK), BASE))["viewrect"] == "100.00,300.00,100.00,62.00"
    assert fragment(to_w3c(annotation(Kind.NOTE), BASE))["viewrect"] == "500.00,90.00,0.00,0.00"


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_text_kinds_quote_the_marked_text(kind: Kind) -> None:
    item = to_w3c(annotation(kind), BASE)

    [quote] = of_type(item, "TextQuoteSelector")
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Dự toán ngân sách",
        "prefix": "Điều 1. ",
        "suffix": " năm 2027",
    }


@pytest.mark.parametrize("kind", [Kind.INK, Kind.NOTE, Kind.RECT])
def test_shapes_carry_no_text_quote(kind: Kind) -> None:
    assert of_type(to_w3c(annotation(kind), BASE), "TextQuoteSelector") == []


def test_the_note_is_a_plain_text_body_never_html() -> None:
    note = "Đề nghị <b>làm rõ</b> nguồn vốn & tiến độ — <script>alert(1)</script>"

    item = to_w3c(annotation(Kind.NOTE, note=note), BASE)

    assert item["body"] == {
        "type": "TextualBody",
        "value": note,
        "format": "text/plain",
        "purpose": "commenting",
    }


def test_without_a_note_there_is_no_body() -> None:
    assert "body" not in to_w3c(annotation(Kind.HIGHLIGHT, note=""), BASE)


def test_each_kind_has_a_motivation_and_its_style() -> None:
    motivations = {kind: to_w3c(annotation(kind), BASE)["motivation"] for kind in Kind}

    assert motivations[Kind.HIGHLIGHT] == "highlighting"
    assert motivations[Kind.NOTE] == "commenting"
    assert all(motivations.values())
    item = to_w3c(annotation(Kind.UNDERLINE, color="#00aa99"), BASE)
    assert item["target"]["styleClass"] == "underline"
    assert "#00aa99" in item["stylesheet"]["value"]


def test_ink_keeps_its_strokes() -> None:
    item = to_w3c(annotation(Kind.INK), BASE)

    assert item["target"]["renderedVia"]["strokes"] == annotation(Kind.INK).geometry["strokes"]
    assert item["target"]["renderedVia"]["width"] == 3.0


def test_the_creator_times_and_audience_are_given() -> None:
    shared = annotation(Kind.HIGHLIGHT, author_id=9, visibility=Visibility.GROUP, group_id=4)

    body = collection(
        [shared, annotation(Kind.NOTE, author_id=10)],
        BASE,
        "Kỳ họp",
        {9: {"id": f"{BASE}/users/9", "name": "Nguyễn Thị Hương"}},
    )

    first, second = body["first"]["items"]
    assert first["creator"] == {"type": "Person", "id": f"{BASE}/users/9", "name": "Nguyễn Thị Hương"}
    assert "creator" not in second
    assert first["audience"]["visibility"] == "group"
    assert first["created"].startswith("2027-03-01T") and first["created"].endswith("+00:00")
    assert first["modified"] == first["created"]
