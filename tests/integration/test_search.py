"""Searching a meeting's documents: accent- and case-insensitive, page by page, with snippets, only in
what the caller may see; on SQLite (FTS5) and PostgreSQL (full-text search) alike."""

from __future__ import annotations

import io
import time
from typing import Any

import pymupdf
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from meetings.accounts.models import Role
from meetings.db import db
from meetings.search.folding import fold, normalize
from meetings.search.models import PageText
from tests.client import error_of, json_of

#: one document's pages: different words on each
PAGES = [
    "Kỳ họp thường lệ của quận khai mạc lúc 8 giờ sáng.",
    "Dự toán ngân sách địa phương năm 2027 được trình bày tại phiên thứ hai.",
    "Tổng thu trên địa bàn ước đạt 1.234 tỷ đồng, vượt kế hoạch giao.",
    "Ý kiến thảo luận của các vị đại biểu về chương trình giám sát.",
]


def pdf_of(pages: list[str]) -> bytes:
    """A PDF with each string on its own page, in Noto Sans (which has every Vietnamese letter)."""
    font = pymupdf.Font("notos")
    with pymupdf.open() as doc:
        for text in pages:
            page = doc.new_page()
            writer = pymupdf.TextWriter(page.rect)
            for line, chunk in enumerate(text.split("\n")):
                writer.append((72, 72 + 16 * line), chunk, font=font, fontsize=11)
            writer.write_text(page)
        return doc.tobytes(garbage=3, deflate=True)


class Dossier:
    """A meeting built through the API by its secretary, with participants made by factories."""

    def __init__(self, app: Any, make: Any, auth: Any, status: str = "published") -> None:
        self.make = make
        self.secretary = make.user(Role.SECRETARY)
        self.meeting = make.meeting(status)
        self.office = auth.client_for(self.secretary)
        self.auth = auth

    def upload(self, pages: list[str], **fields: Any) -> dict[str, Any]:
        form = {"file": (io.BytesIO(pdf_of(pages)), "tai-lieu.pdf"), **fields}
        return json_of(self.office.post(f"/api/v1/meetings/{self.meeting.id}/documents", data=form), 201)

    def new_version(self, document: dict[str, Any], pages: list[str]) -> dict[str, Any]:
        form = {"file": (io.BytesIO(pdf_of(pages)), "tai-lieu-v2.pdf")}
        return json_of(self.office.post(f"/api/v1/documents/{document['id']}/versions", data=form), 201)

    def delegate(self) -> Any:
        user = self.make.user(Role.DELEGATE)
        self.make.participant(self.meeting, user)
        return user

    def search(self, client: Any, q: str, status: int = 200, **args: Any) -> Any:
        response = client.get(f"/api/v1/meetings/{self.meeting.id}/search", query_string={"q": q, **args})
        return json_of(response, status) if status == 200 else error_of(response, status)

    def pages_found(self, client: Any, q: str, **args: Any) -> list[tuple[int, int]]:
        items = self.search(client, q, **args)["items"]
        return sorted((hit["document_id"], hit["page"]) for hit in items if hit["match"] == "page")


@pytest.fixture
def dossier(app, make, auth) -> Dossier:
    return Dossier(app, make, auth)


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ("hop", [1]),
        ("họp", [1]),
        ("Ngan sach", [2]),
        ("NGÂN SÁCH", [2]),
        ("ngân sách địa phương", [2]),
        ("dong", [3]),
        ("ĐỒNG", [3]),
        ("dai bieu", [4]),
        ("dia", [2, 3]),
        ("2027", [2]),
    ],
)
def test_words_are_found_on_their_pages_whatever_their_marks_and_case(dossier, query, pages):
    document = dossier.upload(PAGES, title="Báo cáo tổng hợp")
    reader = dossier.auth.client_for(dossier.delegate())

    assert dossier.pages_found(reader, query) == [(document["id"], page) for page in pages]


def test_the_last_word_may_be_the_start_of_a_word(dossier):
    document = dossier.upload(PAGES, title="Báo cáo")

    hits = dossier.search(dossier.office, "ngan sa")["items"]

    assert [(h["document_id"], h["page"]) for h in hits] == [(document["id"], 2)]
    start, end = hits[0]["highlights"][0]
    assert hits[0]["snippet"][start:end] == "ngân sách"


def test_every_word_must_be_on_the_page(dossier):
    dossier.upload(PAGES, title="Báo cáo")

    assert dossier.pages_found(dossier.office, "ngân sách giám sát") == []


def test_snippet_is_the_original_text_and_highlights_point_at_the_match(dossier):
    long_page = (
        " ".join(["Căn cứ Luật Tổ chức chính quyền địa phương."] * 3)
        + "\nTheo đề nghị của Ủy ban về Ngân sách"
        + " nhà nước năm 2027, Hội đồng quyết nghị."
        + "\n"
        + "Điều khoản thi hành và hiệu lực." * 2
    )
    document = dossier.upload([PAGES[0], long_page], title="Nghị quyết")
    text = normalize(" ".join(long_page.split()))

    hit = dossier.search(dossier.office, "ngan sach")["items"][0]

    assert (hit["document_id"], hit["page"], hit["version"], hit["match"]) == (document["id"], 2, 1, "page")
    assert hit["document_title"] == "Nghị quyết"
    assert hit["snippet"] in text
    assert len(hit["snippet"]) <= 100
    assert hit["more_before"] and hit["more_after"]
    assert hit["highlights"], hit
    for start, end in hit["highlights"]:
        assert fold(hit["snippet"][start:end]) == "ngan sach"
        assert hit["snippet"][start:end] == "Ngân sách"


def test_pages_holding_the_words_together_come_first(dossier):
    apart = dossier.upload(["Báo cáo về ngân hàng chính sách và sách giáo khoa."], title="Phụ lục")
    together = dossier.upload(
        ["Dự toán ngân sách năm 2027 và quyết toán ngân sách năm 2025."], title="Tờ trình"
    )

    hits = dossier.search(dossier.office, "ngan sach")["items"]

    assert [h["document_id"] for h in hits] == [together["id"], apart["id"]]
    assert hits[0]["rank"] > hits[1]["rank"]
    assert [hits[1]["snippet"][s:e] for s, e in hits[1]["highlights"]] == ["ngân", "sách", "sách"]


def test_whole_words_rank_above_words_that_only_start_with_the_last_one(dossier):
    document = dossier.upload(
        ["Bầu bổ sung Ủy viên Ủy ban nhân dân quận.", "Hồ sơ nhân sự kèm theo."], title="Tờ trình"
    )

    hits = dossier.search(dossier.office, "nhan su")["items"]

    assert [(h["document_id"], h["page"]) for h in hits] == [(document["id"], 2), (document["id"], 1)]
    assert hits[0]["rank"] > hits[1]["rank"]


def test_a_title_holding_the_words_is_found_even_if_no_page_is(dossier):
    document = dossier.upload(PAGES[3:], title="Báo cáo thẩm tra dự toán Ngân sách")
    dossier.upload(["Ngân hàng chính sách xã hội."], title="Phụ lục sách trắng")

    hits = dossier.search(dossier.office, "ngan sach")["items"]

    assert [(h["document_id"], h["match"], h["page"]) for h in hits][0] == (document["id"], "title", 1)
    assert [h["match"] for h in hits] == ["title", "page"]  # the other title has the words, not the phrase
    start, end = hits[0]["highlights"][0]
    assert hits[0]["snippet"][start:end] == "Ngân sách"
    assert hits[0]["rank"] > hits[1]["rank"]


def test_search_can_be_narrowed_to_one_document(dossier):
    first = dossier.upload(PAGES, title="Một")
    second = dossier.upload(PAGES, title="Hai")

    assert dossier.pages_found(dossier.office, "hop") == [(first["id"], 1), (second["id"], 1)]
    assert dossier.pages_found(dossier.office, "hop", document=second["id"]) == [(second["id"], 1)]


def test_narrowing_to_a_document_of_another_meeting_is_404(dossier, make):
    other = make.document(make.published_meeting())

    assert dossier.search(dossier.office, "hop", 404, document=other.id)["code"] == "not_found"


def test_restricted_pages_are_found_only_by_their_readers(dossier):
    reader, other = dossier.delegate(), dossier.delegate()
    restricted = dossier.upload(
        ["Nhân sự: đề xuất miễn nhiệm chức vụ Phó Chủ tịch."],
        title="Tờ trình nhân sự",
        confidentiality="restricted",
        reader_ids=str(reader.id),
    )
    public = dossier.upload(["Chương trình kỳ họp và nhân sự phục vụ."], title="Chương trình")

    def documents_found(user: Any) -> set[int]:
        items = dossier.search(dossier.auth.client_for(user), "nhan su")["items"]
        return {hit["document_id"] for hit in items}

    assert documents_found(other) == {public["id"]}
    assert documents_found(reader) == {restricted["id"], public["id"]}
    assert documents_found(dossier.secretary) == {restricted["id"], public["id"]}
    assert dossier.search(dossier.auth.client_for(other), "mien nhiem")["items"] == []


def test_people_outside_the_meeting_get_404_and_strangers_401(dossier, make):
    dossier.upload(PAGES, title="Báo cáo")
    outsider = make.user(Role.DELEGATE)
    make.participant(make.published_meeting(), outsider)

    assert dossier.search(dossier.auth.client_for(outsider), "hop", 404)["code"] == "not_found"
    assert dossier.search(dossier.auth.client_for(None), "hop", 401)["code"] == "unauthorized"


def test_a_draft_is_searchable_by_its_secretary_but_hidden_from_delegates(app, make, auth):
    dossier = Dossier(app, make, auth, status="draft")
    document = dossier.upload(PAGES, title="Dự thảo")

    assert dossier.pages_found(dossier.office, "ngan sach") == [(document["id"], 2)]
    assert dossier.search(auth.client_for(dossier.delegate()), "ngan sach", 404)["code"] == "not_found"


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_a_new_version_replaces_the_old_ones_hits(dossier):
    document = dossier.upload(["Phương án cũ: xây trường học."], title="Tờ trình")
    dossier.new_version(document, ["Phương án mới: mở rộng bệnh viện.", "Phụ lục kinh phí."])

    assert dossier.pages_found(dossier.office, "truong hoc") == []
    hits = dossier.search(dossier.office, "benh vien")["items"]
    assert [(h["document_id"], h["version"], h["page"]) for h in hits] == [(document["id"], 2, 1)]
    assert dossier.pages_found(dossier.office, "kinh phi") == [(document["id"], 2)]


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_publishing_indexes_documents_that_were_not_yet(app, make, auth):
    dossier = Dossier(app, make, auth, status="draft")
    document = make.document(dossier.meeting, pdf_of(PAGES), title="Báo cáo")  # stored without the API
    assert dossier.pages_found(dossier.office, "ngan sach") == []

    json_of(dossier.office.post(f"/api/v1/meetings/{dossier.meeting.id}/publish"), 200)

    deadline = time.monotonic() + 60
    while not (found := dossier.pages_found(dossier.office, "ngan sach")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert found == [(document.id, 2)]


def test_the_reindex_command_indexes_documents_stored_before_search_existed(dossier, make, runner):
    document = make.document(dossier.meeting, pdf_of(PAGES), title="Báo cáo")  # stored without the API
    assert dossier.pages_found(dossier.office, "ngan sach") == []

    result = runner.invoke(args=["search-reindex"])

    assert result.exit_code == 0, result.output
    assert "Indexed 1 of 1" in result.output
    assert dossier.pages_found(dossier.office, "ngan sach") == [(document.id, 2)]
    assert "Indexed 0 of 0" in runner.invoke(args=["search-reindex"]).output


def test_deleting_a_document_removes_its_pages_from_the_index(app, make, auth):
    dossier = Dossier(app, make, auth, status="draft")
    document = dossier.upload(PAGES, title="Báo cáo")

    assert dossier.office.delete(f"/api/v1/documents/{document['id']}").status_code == 204

    assert dossier.pages_found(dossier.office, "hop") == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PageText)) == 0
        if db.engine.dialect.name == "sqlite":  # the FTS5 table agrees with its content table
            db.session.execute(
                sa.text("INSERT INTO page_texts_fts(page_texts_fts, rank) VALUES ('integrity-check', 1)")
            )


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "(",
        ")",
        "AND",
        "OR hop",
        "NEAR(",
        "NEAR(hop dong, 2)",
        "*",
        "-",
        "-hop",
        "hop*",
        "'; drop table page_texts; --",
        "hop:1",
        "col:hop",
        "{hop}",
        "\\",
        "%",
        "^hop",
        "hop & dong | !x",
        "<->",
        "ngân\u0000sách",
        "a" * 200,
        "² ① ǅ ﬁ ß 𝐀",
        "会议 ٣ Ⅻ",
    ],
)
def test_whatever_is_typed_the_answer_is_results_or_422_never_500(dossier, query):
    document = dossier.upload(PAGES, title="Báo cáo")

    response = dossier.office.get(f"/api/v1/meetings/{dossier.meeting.id}/search", query_string={"q": query})

    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 422:
        # a NUL character is refused at the edge for every request (tests/integration/test_small_trust.py)
        assert error_of(response, 422)["code"] == ("invalid" if "\x00" in query else "invalid_query")
    assert dossier.pages_found(dossier.office, "hop") == [(document["id"], 1)]


@pytest.mark.parametrize("query", ["", "   ", "?!", "“”", "...", "a" * 201])
def test_a_query_without_words_or_too_long_is_422(dossier, query):
    assert dossier.search(dossier.office, query, 422)["code"] == "invalid_query"


def test_a_missing_query_is_422(dossier):
    response = dossier.office.get(f"/api/v1/meetings/{dossier.meeting.id}/search")

    assert error_of(response, 422)["code"] == "invalid"


def test_the_answer_echoes_the_query(dossier):
    assert dossier.search(dossier.office, "Ngân sách") == {"query": "Ngân sách", "items": []}


def test_the_operation_is_described_as_search_meeting(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operation = spec["paths"]["/api/v1/meetings/{meeting_id}/search"]["get"]
    assert operation["operationId"] == "searchMeeting"
    assert {p["name"] for p in operation["parameters"]} >= {"q", "document"}


def test_search_tables_match_the_models_and_full_text_structures_stay_out_of_comparisons(app):
    with app.app_context(), db.engine.connect() as connection:
        include_name = app.extensions["migrate"].configure_args["include_name"]
        context = MigrationContext.configure(connection, opts={"include_name": include_name})

        differences = compare_metadata(context, db.metadata)

    # the whole schema is another test's concern: here, nothing about search may differ
    assert [d for d in differences if "page_texts" in repr(d)] == []
