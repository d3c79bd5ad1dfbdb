"""What a client may send as an annotation: each kind's shape, its quote, colour, note and ids."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest

from annotations import Annotation, AnnotationError, Kind, present
from annotations.schema import MAX_NOTE, MAX_POINTS, MAX_RECTS, parse_changes, parse_new
from annotations.visibility import Visibility

QUOTE = {"exact": "Dự toán ngân sách", "prefix": "Điều 1. ", "suffix": " địa phương"}
GOOD_GEOMETRY: dict[Kind, dict[str, Any]] = {
    Kind.HIGHLIGHT: {"rects": [[72, 88.2, 180.5, 103.2], [72, 112, 140, 127]]},
    Kind.UNDERLINE: {"rects": [[72, 88, 180, 103]]},
    Kind.STRIKEOUT: {"rects": [[72, 88, 180, 103]]},
    Kind.INK: {"strokes": [[[10, 10], [20, 25.5], [30, 12]], [[50, 50], [60, 60]]], "width": 2.5},
    Kind.NOTE: {"point": [300, 420]},
    Kind.RECT: {"rect": [50, 60, 250, 160]},
}
TEXT_KINDS = [Kind.HIGHLIGHT, Kind.UNDERLINE, Kind.STRIKEOUT]


def payload(kind: Kind = Kind.HIGHLIGHT, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": kind.value,
        "page": 2,
        "client_id": "c-1a2b3c4d",
        "geometry": GOOD_GEOMETRY[kind],
    }
    if kind in TEXT_KINDS:
        body["quote"] = QUOTE
    return {**body, **fields}


def refused(body: Any) -> AnnotationError:
    with pytest.raises(AnnotationError) as caught:
        parse_new(body)
    assert caught.value.code == "invalid"
    assert caught.value.message
    return caught.value


# -- every kind's shape ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_is_accepted_with_its_own_shape(kind: Kind) -> None:
    fields = parse_new(payload(kind))

    assert fields["kind"] is kind
    assert fields["page"] == 2
    assert fields["client_id"] == "c-1a2b3c4d"
    assert fields["visibility"] is Visibility.PRIVATE
    expected = GOOD_GEOMETRY[kind]
    if kind is Kind.INK:
        assert fields["geometry"] == {"strokes": expected["strokes"], "width": 2.5}
    else:
        assert fields["geometry"] == expected
    json.dumps(fields["geometry"])  # stored as JSON: plain lists of floats


def test_ink_width_defaults_to_two_points() -> None:
    strokes = [[[1, 1], [2, 2]]]

    assert parse_new(payload(Kind.INK, geometry={"strokes": strokes}))["geometry"]["width"] == 2.0


@pytest.mark.parametrize("kind", [k for k in Kind if k not in TEXT_KINDS])
def test_a_shape_carries_no_quote_even_if_sent_one(kind: Kind) -> None:
    assert parse_new(payload(kind, quote=QUOTE))["quote"] is None


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "12", None, True])
def test_non_finite_or_non_numeric_coordinates_are_refused(kind: Kind, bad: Any) -> None:
    geometry = json.loads(json.dumps(GOOD_GEOMETRY[kind]))
    if "rects" in geometry:
        geometry["rects"][0][2] = bad
    elif "strokes" in geometry:
        geometry["strokes"][1][0][1] = bad
    elif "point" in geometry:
        geometry["point"][0] = bad
    else:
        geometry["rect"][3] = bad

    refused(payload(kind, geometry=geometry))


@pytest.mark.parametrize("bad_width", [math.nan, 0, 0.05, 51, "2"])
def test_an_ink_width_outside_reason_is_refused(bad_width: Any) -> None:
    refused(payload(Kind.INK, geometry={"strokes": [[[1, 1], [2, 2]]], "width": bad_width}))


@pytest.mark.parametrize("inverted", [[180, 88, 72, 103], [72, 103, 180, 88]])
def test_inverted_rectangles_are_refused(inverted: list[float]) -> None:
    refused(payload(Kind.HIGHLIGHT, geometry={"rects": [[72, 88, 180, 103], inverted]}))
    refused(payload(Kind.RECT, geometry={"rect": inverted}))


@pytest.mark.parametrize("rect", [[1, 2, 3], [1, 2, 3, 4, 5], "0,0,1,1", {"x0": 0}])
def test_a_rectangle_has_exactly_four_numbers(rect: Any) -> None:
    refused(payload(Kind.RECT, geometry={"rect": rect}))
    refused(payload(Kind.UNDERLINE, geometry={"rects": [rect]}))


def test_a_degenerate_rectangle_is_a_rectangle() -> None:
    assert parse_new(payload(Kind.RECT, geometry={"rect": [5, 5, 5, 5]}))["geometry"] == {
        "rect": [5, 5, 5, 5]
    }


def test_text_kinds_need_one_to_the_maximum_of_rects() -> None:
    refused(payload(Kind.HIGHLIGHT, geometry={"rects": []}))
    refused(payload(Kind.HIGHLIGHT, geometry={"rects": [[0, 0, 1, 1]] * (MAX_RECTS + 1)}))
    refused(payload(Kind.HIGHLIGHT, geometry={}))

    many = parse_new(payload(Kind.HIGHLIGHT, geometry={"rects": [[0, 0, 1, 1]] * MAX_RECTS}))
    assert len(many["geometry"]["rects"]) == MAX_RECTS


def test_ink_with_too_many_points_is_refused() -> None:
    half = MAX_POINTS // 2
    just_right = {"strokes": [[[1, 1]] * half, [[2, 2]] * (MAX_POINTS - half)]}
    one_too_many = {"strokes": [[[1, 1]] * half, [[2, 2]] * (MAX_POINTS - half + 1)]}

    assert (
        sum(map(len, parse_new(payload(Kind.INK, geometry=just_right))["geometry"]["strokes"])) == MAX_POINTS
    )
    refused(payload(Kind.INK, geometry=one_too_many))


@pytest.mark.parametrize(
    "geometry",
    [
        {"strokes": []},
        {"strokes": [[]]},
        {"strokes": [[[1, 1]], []]},
        {"strokes": [[1, 1]]},
        {"strokes": [[[1, 1, 1]]]},
        {"strokes": "M 0 0 L 1 1"},
        {},
    ],
)
def test_ink_strokes_are_lists_of_points(geometry: dict[str, Any]) -> None:
    refused(payload(Kind.INK, geometry=geometry))


@pytest.mark.parametrize("point", [None, [1], [1, 2, 3], "1,2"])
def test_a_note_is_pinned_at_one_point(point: Any) -> None:
    refused(payload(Kind.NOTE, geometry={"point": point}))


@pytest.mark.parametrize("kind", list(Kind))
def test_geometry_must_be_an_object(kind: Kind) -> None:
    refused(payload(kind, geometry=[[0, 0, 1, 1]]))
    refused(payload(kind, geometry=None))


# -- the quote of text kinds -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", TEXT_KINDS)
@pytest.mark.parametrize("quote", [None, {}, {"exact": ""}, {"exact": "   "}, {"exact": 42}, "Dự toán"])
def test_text_kinds_need_the_text_they_mark(kind: Kind, quote: Any) -> None:
    body = payload(kind, quote=quote)
    if quote is None:
        del body["quote"]

    assert "quote" in refused(body).message


def test_a_quote_keeps_exact_prefix_and_suffix_only_and_bounded() -> None:
    fields = parse_new(payload(quote={"exact": "ngân sách " * 500, "suffix": 7, "author": "x"}))

    assert set(fields["quote"]) == {"exact", "prefix", "suffix"}
    assert len(fields["quote"]["exact"]) == 2000
    assert fields["quote"]["prefix"] == "" and fields["quote"]["suffix"] == "7"


# -- colour, note, page, kind, visibility, group ---------------------------------------------------


@pytest.mark.parametrize("color", ["#FFD400", "#ffd40080", "#00aA99"])
def test_colours_are_hex_and_stored_lower_case(color: str) -> None:
    assert parse_new(payload(color=color))["color"] == color.lower()


@pytest.mark.parametrize(
    "color",
    ["red", "#fff", "#12345", "#1234567", "#gggggg", "ffd400", "#ffd400\n", "rgb(1,2,3)", 0xFFD400, None],
)
def test_bad_colours_are_refused(color: Any) -> None:
    refused(payload(color=color))


def test_a_note_is_text_of_bounded_length() -> None:
    vietnamese = "Đề nghị làm rõ nguồn vốn — ưu tiên trường học, trạm y tế."
    assert parse_new(payload(note=vietnamese))["note"] == vietnamese
    assert parse_new(payload(note="x" * MAX_NOTE))["note"] == "x" * MAX_NOTE
    refused(payload(note="x" * (MAX_NOTE + 1)))
    refused(payload(note=["not", "text"]))


@pytest.mark.parametrize("page", [0, -1, True, "1", 1.0, None])
def test_pages_are_numbered_from_one(page: Any) -> None:
    refused(payload(page=page))


@pytest.mark.parametrize("kind", ["circle", "", None, "HIGHLIGHT"])
def test_unknown_kinds_are_refused(kind: Any) -> None:
    refused({**payload(), "kind": kind})


@pytest.mark.parametrize("client_id", [None, "", "short", "x" * 65, 12345678, ["c-1a2b3c4d"]])
def test_a_client_id_is_a_string_of_8_to_64_characters(client_id: Any) -> None:
    body = payload(client_id=client_id)
    if client_id is None:
        del body["client_id"]

    assert "client_id" in refused(body).message


@pytest.mark.parametrize("client_id", ["x" * 8, "x" * 64, "8f14e45f-ceea-467f-a0e6-8f0b1c2d3e4f"])
def test_client_ids_of_8_to_64_characters_are_accepted(client_id: str) -> None:
    assert parse_new(payload(client_id=client_id))["client_id"] == client_id


@pytest.mark.parametrize("visibility", ["public", "PRIVATE", 1])
def test_visibility_is_private_group_or_meeting(visibility: Any) -> None:
    refused(payload(visibility=visibility))


@pytest.mark.parametrize("group_id", ["3", True, 2.0, [3]])
def test_a_group_id_is_an_integer_or_null(group_id: Any) -> None:
    refused(payload(group_id=group_id))


@pytest.mark.parametrize("body", [None, [], "highlight", 42])
def test_the_payload_must_be_an_object(body: Any) -> None:
    refused(body)


def test_changes_carry_only_the_fields_present() -> None:
    assert parse_changes({"revision": 3, "client_id": "c-2b3c4d5e"}) == {}
    assert parse_changes({"note": "", "color": "#00FF00"}) == {"note": "", "color": "#00ff00"}
    assert parse_changes({"visibility": "group", "group_id": None}) == {
        "visibility": Visibility.GROUP,
        "group_id": None,
    }


# -- presenting ------------------------------------------------------------------------------------


def test_present_gives_json_ready_data_with_utc_times() -> None:
    naive = dt.datetime(2027, 3, 1, 8, 30)  # what SQLite gives back for a UTC time
    annotation = Annotation(
        id=7,
        meeting_id=1,
        document_id=2,
        version_id=3,
        page=4,
        kind=Kind.HIGHLIGHT,
        visibility=Visibility.GROUP,
        group_id=5,
        author_id=6,
        client_id="c-1a2b3c4d",
        color="#ffd400",
        note="Ghi chú",
        geometry={"rects": [[1.0, 2.0, 3.0, 4.0]]},
        quote=QUOTE,
        orphaned=False,
        revision=2,
        created_at=naive,
        updated_at=dt.datetime(2027, 3, 1, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )

    shown = present(annotation)

    assert json.loads(json.dumps(shown)) == shown
    assert shown["kind"] == "highlight" and shown["visibility"] == "group"
    assert shown["created_at"] == "2027-03-01T08:30:00+00:00"
    assert shown["updated_at"] == "2027-03-01T08:30:00+00:00"
    assert shown["deleted"] is False
    assert {
        shown[k] for k in ("id", "meeting", "document", "version_id", "page", "group_id", "author_id")
    } == {7, 1, 2, 3, 4, 5, 6}
