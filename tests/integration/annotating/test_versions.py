"""A new version of a document carries its annotations along: each moves to where its text now is,
or becomes an orphan, never lost; deleting a draft document takes its annotations with it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from annotations import Annotation
from annotations.anchoring import quote_from, rects_of
from meetings.accounts.models import User
from meetings.dossiers.models import Document
from tests.client import json_of
from tests.factories import Factories, session_of
from tests.integration.annotating.council import BUDGET, ROADS, SCHOOLS, Council
from tests.unit.annotations.textpdf import pdf_of, span_of

M, D = "/api/v1/meetings", "/api/v1/documents"
FILLER = [
    "Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;",
    "Xét Tờ trình của Ủy ban nhân dân quận và Báo cáo thẩm tra của Ban Kinh tế - Xã hội;",
]


def words_on(client: Any, document: Document, page: int) -> list[list[Any]]:
    """A page's words as the reader gets them (getPageText), in the text layer's list form."""
    body = json_of(client.get(f"{D}/{document.id}/pages/{page}/text"), 200)
    return [[w["x0"], w["y0"], w["x1"], w["y1"], w["text"]] for w in body["words"]]


def highlight(
    make: Factories, client: Any, document: Document, author: User, page: int, phrase: str, **fields: Any
) -> Annotation:
    """What the reader stores when author marks phrase on page: its rectangles and its quote."""
    words = words_on(client, document, page)
    first, last = span_of(words, phrase)
    made: Annotation = make.annotation(
        document,
        author,
        page=page,
        geometry={"rects": rects_of(words[first : last + 1])},
        quote=quote_from(words, first, last),
        **fields,
    )
    return made


def listed(client: Any, document: Document) -> dict[int, dict[str, Any]]:
    body = json_of(
        client.get(f"{M}/{document.meeting_id}/annotations", query_string={"document": document.id}), 200
    )
    return {item["id"]: item for item in body["items"]}


def text_under(words: list[list[Any]], rects: list[list[float]]) -> str:
    return " ".join(
        str(w[4])
        for w in words
        if any(r[0] <= (w[0] + w[2]) / 2 <= r[2] and r[1] <= (w[1] + w[3]) / 2 <= r[3] for r in rects)
    )


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_a_new_version_moves_highlights_with_their_text_and_orphans_removed_text(
    auth: Any, make: Factories, council: Council
) -> None:
    reader = auth.client_for(council.anh)
    budget = council.budget  # page 1: BUDGET, SCHOOLS; page 2: ROADS; page 3: BUDGET
    moved = highlight(
        make,
        reader,
        budget,
        council.anh,
        1,
        "trường học và trạm y tế",
        visibility="meeting",
        note="chuyển trang",
    )
    removed = highlight(make, reader, budget, council.anh, 2, "tổ chức thực hiện Nghị quyết", note="bị bỏ")
    kept = highlight(make, reader, budget, council.anh, 1, "Tổng thu ngân sách nhà nước")
    drawing = make.annotation(budget, council.anh, "ink", page=2, visibility="group")
    past_the_end = make.annotation(budget, council.anh, "rect", page=3)
    before = listed(reader, budget)

    second = pdf_of([BUDGET, *FILLER], [*FILLER, SCHOOLS])  # schools moved to page 2; roads and page 3 gone
    desk = auth.client_for(council.secretary)
    upload = desk.post(f"{D}/{budget.id}/versions", data={"file": (io.BytesIO(second), "du-thao-2.pdf")})
    document = json_of(upload, 201)
    assert document["page_count"] == 2

    after = listed(reader, budget)
    assert set(after) == set(before)  # nothing lost
    new_version = {item["version_id"] for item in after.values()}
    assert len(new_version) == 1 and new_version != {before[moved.id]["version_id"]}

    was, now = before[moved.id], after[moved.id]
    assert (was["page"], now["page"]) == (1, 2)
    assert now["geometry"]["rects"] != was["geometry"]["rects"]
    assert now["revision"] == was["revision"] + 1 and not now["orphaned"]
    assert text_under(words_on(reader, budget, 2), now["geometry"]["rects"]) == "trường học và trạm y tế"
    assert now["note"] == "chuyển trang" and now["quote"] == was["quote"]

    assert (
        after[removed.id]["orphaned"] and after[removed.id]["revision"] == before[removed.id]["revision"] + 1
    )
    assert after[removed.id]["note"] == "bị bỏ"

    assert (after[kept.id]["page"], after[kept.id]["orphaned"]) == (1, False)
    assert after[kept.id]["geometry"] == before[kept.id]["geometry"]

    assert (after[drawing.id]["page"], after[drawing.id]["orphaned"]) == (2, False)
    assert after[past_the_end.id]["orphaned"]

    # others see the moved, meeting-wide highlight where it now is
    assert listed(auth.client_for(council.chi), budget)[moved.id]["page"] == 2


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_a_repeated_version_upload_keeps_annotations_where_they_are(
    auth: Any, make: Factories, council: Council
) -> None:
    reader = auth.client_for(council.anh)
    budget = council.budget
    kept = highlight(make, reader, budget, council.anh, 1, "trường học và trạm y tế")
    before = listed(reader, budget)[kept.id]

    same_text = pdf_of([BUDGET, SCHOOLS], [ROADS], [BUDGET], [*FILLER])  # a page of recitals added at the end
    json_of(
        auth.client_for(council.secretary).post(
            f"{D}/{budget.id}/versions", data={"file": (io.BytesIO(same_text), "du-thao-2.pdf")}
        ),
        201,
    )

    after = listed(reader, budget)[kept.id]
    assert (after["page"], after["geometry"], after["orphaned"]) == (1, before["geometry"], False)
    assert after["revision"] == before["revision"] + 1 and after["version_id"] != before["version_id"]


def test_deleting_a_draft_document_removes_its_annotations(
    app: Flask, auth: Any, make: Factories, council: Council
) -> None:
    draft = make.meeting()
    doomed, spared = make.document(draft), make.document(draft)
    for document in (doomed, spared):
        make.annotation(document, council.secretary, visibility="meeting")
        make.annotation(document, council.secretary, "note")

    response = auth.client_for(council.secretary).delete(f"{D}/{doomed.id}")

    assert response.status_code == 204
    with session_of(app) as session:
        left = dict(
            session.execute(
                select(Annotation.document_id, func.count()).group_by(Annotation.document_id)
            ).all()
        )
    assert left == {spared.id: 2}
