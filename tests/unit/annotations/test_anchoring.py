"""Re-anchoring onto a new version: where it was, where the quote now is (the occurrence whose
context matches), nearly the quote after a small edit, or an orphan; shapes keep their page.

The pages of words come from PDFs made here and read back with PyMuPDF, as the text layer is."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.anchoring import Placement, quote_from, reanchor_shape, reanchor_text, rects_of
from tests.unit.annotations.textpdf import pdf_of, span_of, words_of

BUDGET = "Điều 2. Tổng thu ngân sách nhà nước trên địa bàn quận năm 2027 là 1.250 tỷ đồng."
SCHOOLS = "Điều 3. Ưu tiên vốn đầu tư công cho trường học và trạm y tế phường."
ROADS = "Điều 4. Giao Ủy ban nhân dân quận tổ chức thực hiện Nghị quyết này."
FILLER = [f"Căn cứ văn bản số {n}/2026 của Hội đồng nhân dân thành phố về kế hoạch." for n in range(1, 6)]


def marked(
    pages: list[list[list[Any]]], page: int, first: int, last: int
) -> tuple[list[list[float]], dict[str, str]]:
    """What a client stores when a delegate marks words first..last of page (from 1)."""
    words = pages[page - 1]
    return rects_of(words[first : last + 1]), quote_from(words, first, last)


def words_under(words: list[list[Any]], rects: list[list[float]]) -> str:
    """The text of the words whose centres lie in rects (what the delegate sees highlighted)."""
    inside = [
        w
        for w in words
        if any(r[0] <= (w[0] + w[2]) / 2 <= r[2] and r[1] <= (w[1] + w[3]) / 2 <= r[3] for r in rects)
    ]
    return " ".join(str(w[4]) for w in inside)


# -- what a client stores --------------------------------------------------------------------------


def test_a_quote_is_the_marked_words_with_a_little_context() -> None:
    [words] = words_of(pdf_of([BUDGET]))
    first, last = span_of(words, "ngân sách nhà nước")

    quote = quote_from(words, first, last, context=12)

    assert quote == {"exact": "ngân sách nhà nước", "prefix": " 2. Tổng thu", "suffix": "trên địa bàn"}


def test_marked_words_give_one_rectangle_per_line() -> None:
    [words] = words_of(pdf_of([BUDGET, SCHOOLS]))
    first, _ = span_of(words, "1.250 tỷ đồng.")
    _, last = span_of(words, "Ưu tiên vốn")

    rects = rects_of(words[first : last + 1])

    assert len(rects) == 2
    assert rects[0][3] <= rects[1][1]  # the first line is above the second
    assert words_under(words, rects) == "1.250 tỷ đồng. Điều 3. Ưu tiên vốn"


# -- placing text-anchored annotations -------------------------------------------------------------


def test_unchanged_text_keeps_its_place() -> None:
    old = words_of(pdf_of(FILLER, [BUDGET, SCHOOLS]))
    rects, quote = marked(old, 2, *span_of(old[1], "vốn đầu tư công"))
    new = words_of(pdf_of(FILLER, [BUDGET, SCHOOLS], [ROADS]))  # a page added at the end

    placement = reanchor_text(2, rects, quote, new)

    assert placement == Placement(2, rects, "position")


def test_text_moved_to_another_page_is_found_there() -> None:
    old = words_of(pdf_of([BUDGET, SCHOOLS, ROADS]))
    rects, quote = marked(old, 1, *span_of(old[0], "trường học và trạm y tế"))
    new = words_of(pdf_of([BUDGET, *FILLER], [ROADS], [*FILLER[:2], SCHOOLS]))

    placement = reanchor_text(1, rects, quote, new)

    assert placement is not None
    assert (placement.page, placement.how) == (3, "exact")
    assert words_under(new[2], placement.rects) == "trường học và trạm y tế"
    assert placement.rects != rects


def test_text_moved_down_its_page_is_found_there() -> None:
    old = words_of(pdf_of([BUDGET, SCHOOLS]))
    rects, quote = marked(old, 1, *span_of(old[0], "Tổng thu ngân sách"))
    new = words_of(pdf_of([*FILLER, BUDGET, SCHOOLS]))

    placement = reanchor_text(1, rects, quote, new)

    assert placement is not None and placement.page == 1
    assert words_under(new[0], placement.rects) == "Tổng thu ngân sách"
    assert placement.rects[0][1] > rects[0][1]


def test_of_several_occurrences_the_one_whose_context_matches_is_chosen() -> None:
    lines = [
        "Ủy ban đề nghị điều chỉnh dự toán chi thường xuyên năm 2027.",
        "Ban Kinh tế đề nghị giữ nguyên dự toán chi đầu tư phát triển năm 2027.",
        "Tổ đại biểu số 3 đề nghị tăng dự toán chi cho giáo dục năm 2027.",
    ]
    old = words_of(pdf_of(lines))
    rects, quote = marked(old, 1, *span_of(old[0], "đề nghị", occurrence=1))  # Ban Kinh tế's
    assert quote["prefix"].endswith("Ban Kinh tế") and quote["suffix"].startswith("giữ nguyên")
    new = words_of(pdf_of([FILLER[0], lines[2], lines[0], lines[1]]))  # reordered, and pushed down

    placement = reanchor_text(1, rects, quote, new)

    assert placement is not None and placement.how == "exact"
    line_of_ban_kinh_te = [w for w in new[0] if w[4] == "Kinh"][0]
    assert len(placement.rects) == 1
    assert (
        placement.rects[0][1]
        <= (line_of_ban_kinh_te[1] + line_of_ban_kinh_te[3]) / 2
        <= placement.rects[0][3]
    )
    assert words_under(new[0], placement.rects) == "đề nghị"


def test_matching_context_wins_over_a_nearer_page() -> None:
    lines = ["Phòng Tài chính đề nghị bổ sung kinh phí.", "Ban Pháp chế đề nghị làm rõ căn cứ pháp lý."]
    old = words_of(pdf_of([lines[1]], [lines[0]]))
    rects, quote = marked(old, 1, *span_of(old[0], "đề nghị"))  # Ban Pháp chế's, on page 1
    new = words_of(pdf_of([lines[0]], [ROADS], [ROADS], [FILLER[0], lines[1]]))

    placement = reanchor_text(1, rects, quote, new)

    assert placement is not None and (placement.page, placement.how) == (4, "exact")


def test_with_equal_context_the_occurrence_nearest_the_old_page_is_chosen() -> None:
    old = words_of(pdf_of([ROADS], [ROADS], [SCHOOLS], [ROADS]))
    rects, quote = marked(old, 3, *span_of(old[2], "trường học"))
    # the same sentence, moved off page 3, on pages 1 and 4 with the same surroundings
    new = words_of(pdf_of([FILLER[0], SCHOOLS], [ROADS], [ROADS], [FILLER[0], SCHOOLS]))

    placement = reanchor_text(3, rects, quote, new)

    assert placement is not None and (placement.page, placement.how) == (4, "exact")


def test_after_a_small_edit_of_the_quoted_text_a_near_match_is_placed() -> None:
    old = words_of(pdf_of([BUDGET, SCHOOLS]))
    rects, quote = marked(old, 1, *span_of(old[0], "quận năm 2027 là 1.250 tỷ đồng."))
    edited = BUDGET.replace("1.250", "1.320")
    new = words_of(pdf_of([*FILLER[:2], SCHOOLS], [edited]))

    placement = reanchor_text(1, rects, quote, new)

    assert placement is not None and (placement.page, placement.how) == (2, "fuzzy")
    assert words_under(new[1], placement.rects) == "quận năm 2027 là 1.320 tỷ đồng."


def test_a_near_match_is_looked_for_only_near_the_old_page() -> None:
    old = words_of(pdf_of([BUDGET]))
    rects, quote = marked(old, 1, *span_of(old[0], "quận năm 2027 là 1.250 tỷ đồng."))
    far = [[ROADS]] * 5 + [[BUDGET.replace("1.250", "1.320")]]

    assert reanchor_text(1, rects, quote, words_of(pdf_of(*far))) is None


def test_removed_text_becomes_an_orphan() -> None:
    old = words_of(pdf_of([BUDGET, SCHOOLS], [ROADS]))
    rects, quote = marked(old, 1, *span_of(old[0], "trường học và trạm y tế"))
    new = words_of(pdf_of([BUDGET, FILLER[0]], [ROADS]))

    assert reanchor_text(1, rects, quote, new) is None


def test_a_version_with_fewer_pages_or_none_orphans_what_it_lacks() -> None:
    old = words_of(pdf_of([BUDGET], [SCHOOLS]))
    rects, quote = marked(old, 2, *span_of(old[1], "trường học"))

    assert reanchor_text(2, rects, quote, words_of(pdf_of([BUDGET]))) is None
    assert reanchor_text(2, rects, quote, words_of(pdf_of([]))) is None  # a scan without a text layer
    assert reanchor_text(2, rects, quote, []) is None


@pytest.mark.parametrize("old_page", [0, 9])
def test_an_old_page_outside_the_new_version_is_no_obstacle(old_page: int) -> None:
    old = words_of(pdf_of([SCHOOLS]))
    rects, quote = marked(old, 1, *span_of(old[0], "trường học"))

    placement = reanchor_text(old_page, rects, quote, words_of(pdf_of([ROADS], [SCHOOLS])))

    assert placement is not None and placement.page == 2


# -- shapes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "page_count", "expected"), [(1, 1, 1), (3, 5, 3), (5, 5, 5), (6, 5, None), (2, 1, None)]
)
def test_shapes_keep_their_page_while_it_exists(page: int, page_count: int, expected: int | None) -> None:
    assert reanchor_shape(page, page_count) == expected
