"""The folding table shared with the browser's tests (tests/js/folding.test.mjs): the server's
search and the reader's search on a page must fold text alike, or a word the server finds is
not highlighted on the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meetings.search.folding import fold, normalize

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "folding.json"
CASES = json.loads(FIXTURE.read_text(encoding="utf-8"))["cases"]


def test_the_table_holds_the_vietnamese_basics():
    table = {case["input"]: case["folded"] for case in CASES}

    assert table["họp"] == "hop"
    assert table["Đ"] == "d"
    assert table["NGÂN SÁCH"] == "ngan sach"


@pytest.mark.parametrize("case", CASES, ids=[repr(case["input"]) for case in CASES])
def test_the_server_folds_as_the_shared_table_says(case):
    text = normalize(case["input"])

    assert fold(text) == case["folded"]
    assert len(fold(text)) == len(text)
