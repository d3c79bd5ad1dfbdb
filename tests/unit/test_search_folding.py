"""Folding, query parsing and snippets: what makes "hop" find "họp", without a database."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from meetings.search.engine import InvalidQuery, PostgresBackend, Query, SqliteBackend
from meetings.search.folding import fold, normalize, terms
from meetings.search.snippets import holds_phrase, make_snippet

#: every vowel with every tone, in both cases, and đ
VOWELS = "aăâeêioôơuưy"
TONED = "".join(
    unicodedata.normalize("NFC", v + mark)
    for v in VOWELS
    for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
)
VIETNAMESE = [
    "Dự toán ngân sách địa phương năm 2027 — Hội đồng nhân dân quận thảo luận, biểu quyết.",
    "ĐỒNG Ý THÔNG QUA NGHỊ QUYẾT VỀ KẾ HOẠCH ĐẦU TƯ CÔNG TRUNG HẠN",
    "Nguyễn Thị Hường, Trần Đức Thắng: ý kiến về tờ trình số 45/TTr-UBND",
    TONED + TONED.upper() + "đĐ",
]


@pytest.mark.parametrize("text", VIETNAMESE)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_folding_keeps_one_character_for_one(text, form):
    given = normalize(unicodedata.normalize(form, text))

    assert len(fold(given)) == len(given)


@pytest.mark.parametrize("text", VIETNAMESE)
def test_precomposed_and_decomposed_input_fold_alike(text):
    assert fold(normalize(unicodedata.normalize("NFD", text))) == fold(normalize(text))


def test_every_tone_and_vowel_mark_folds_to_the_plain_letter():
    folded = fold(TONED + TONED.upper())

    assert folded == "".join(letter * 6 for letter in "aaaeeiooouuy") * 2


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cuộc HỌP thường kỳ", "cuoc hop thuong ky"),
        ("ngân sách", "ngan sach"),
        ("đồng Đồng", "dong dong"),
        ("45/TTr-UBND", "45 ttr ubnd"),
        ("a_b", "a b"),
        ("«Tổng»: 1.234,5 tỷ", " tong   1 234 5 ty"),
    ],
)
def test_folding_lowers_strips_marks_and_blanks_punctuation(text, folded):
    assert fold(text) == folded


def test_a_mark_nfc_cannot_attach_becomes_a_space():
    text = normalize("q\u0301uy")  # no precomposed q with acute

    assert fold(text) == "q uy"
    assert len(fold(text)) == len(text)


def test_normalizing_removes_nul_which_postgresql_refuses():
    assert normalize("a\x00b") == "a b"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Ngân sách", ["ngan", "sach"]),
        ('"hop" AND (NEAR*', ["hop", "and", "near"]),
        ("'; drop table", ["drop", "table"]),
        ("?!…", []),
    ],
)
def test_query_words_are_folded_letters_and_digits(query, words):
    assert terms(query) == words


@pytest.mark.parametrize("query", ["", "   ", "?!", "\"'()*-", "…—"])
def test_a_query_without_words_is_invalid(query):
    with pytest.raises(InvalidQuery):
        Query.parse(query)


def test_the_last_word_is_a_prefix_unless_the_query_ends_after_it():
    assert Query.parse("ngan sa").prefix
    assert not Query.parse("ngan sach ").prefix
    assert not Query.parse("“ngân sách”").prefix


NASTY = [
    '"',
    '""',
    "(",
    ")",
    "AND",
    "OR",
    "NOT",
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "-",
    "a -b",
    "^a",
    "a:b",
    "col:hop",
    "'; drop table page_texts; --",
    "{a b}",
    "a + b",
    "đ*",
    "hop AND OR NOT",
    "ngân\\",
    "%_",
]


@pytest.mark.parametrize("query", NASTY)
def test_fts5_expressions_are_valid_whatever_the_user_typed(query):
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(folded, tokenize='unicode61 remove_diacritics 0')")
    connection.execute("INSERT INTO t VALUES (?)", (fold("Hội đồng nhân dân họp và biểu quyết ngân sách"),))
    try:
        parsed = Query.parse(query)
    except InvalidQuery:
        return
    connection.execute(
        "SELECT rowid FROM t WHERE t MATCH ?", (SqliteBackend.match_expression(parsed),)
    ).fetchall()


@pytest.mark.parametrize("query", NASTY)
def test_tsqueries_hold_only_words_and_operators(query):
    try:
        every, boosts = PostgresBackend.tsqueries(Query.parse(query))
    except InvalidQuery:
        return
    for tsquery in [every, *boosts]:
        words = [w.removesuffix(":*") for w in tsquery.replace(" <-> ", " & ").split(" & ")]
        assert all(w.isalnum() for w in words), tsquery


def test_pages_must_hold_every_word_and_rank_higher_for_the_phrase():
    assert (
        SqliteBackend.match_expression(Query.parse("ngan sa"))
        == '("ngan" "sa"*) OR ("ngan" + "sa"*) OR ("ngan" + "sa")'
    )
    assert SqliteBackend.match_expression(Query.parse("họp ")) == '("hop")'
    assert PostgresBackend.tsqueries(Query.parse("Ngân sa")) == (
        "ngan & sa:*",
        ["ngan <-> sa:*", "ngan <-> sa"],
    )
    assert PostgresBackend.tsqueries(Query.parse("hop")) == ("hop:*", ["hop"])


def test_snippet_is_original_text_around_the_phrase_with_its_offsets():
    text = normalize(
        "Phần I. "
        + "Tình hình kinh tế xã hội. " * 6
        + "Dự toán Ngân sách địa phương năm 2027. "
        + "Các giải pháp. " * 6
    )
    snippet = make_snippet(text, fold(text), ["ngan", "sach"], prefix=False)

    assert snippet.text in text
    assert 60 <= len(snippet.text) <= 100
    assert snippet.more_before and snippet.more_after
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["Ngân sách"]


def test_snippet_highlights_every_word_when_they_are_apart():
    text = "Ngân hàng và sách giáo khoa"
    snippet = make_snippet(text, fold(text), ["ngan", "sach"], prefix=False)

    assert snippet.text == text
    assert [text[s:e] for s, e in snippet.highlights] == ["Ngân", "sách"]
    assert not snippet.more_before and not snippet.more_after


def test_snippet_of_a_prefix_highlights_the_whole_word():
    text = "Dự toán ngân sách năm 2027"
    snippet = make_snippet(text, fold(text), ["ngan", "sa"], prefix=True)

    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["ngân sách"]


def test_snippet_does_not_cut_words():
    text = normalize(" ".join(["thường"] * 40) + " họp " + " ".join(["xuyên"] * 40))
    snippet = make_snippet(text, fold(text), ["hop"], prefix=False)

    assert snippet.text.split()[0] == "thường" and snippet.text.split()[-1] == "xuyên"
    assert text.index(snippet.text) > 0


def test_a_phrase_is_whole_words_in_order_the_last_perhaps_a_prefix():
    folded = fold("Hội đồng nhân dân họp, bầu bổ sung")

    assert holds_phrase(folded, ["hop"], prefix=False)
    assert holds_phrase(folded, ["nhan", "dan"], prefix=False)
    assert holds_phrase(folded, ["hop", "bau"], prefix=False)
    assert not holds_phrase(folded, ["dan", "nhan"], prefix=False)
    assert not holds_phrase(folded, ["ho"], prefix=False)
    assert holds_phrase(folded, ["ho"], prefix=True)
    assert not holds_phrase(folded, ["op"], prefix=True)
    assert not holds_phrase(folded, ["nhan", "su"], prefix=True)
