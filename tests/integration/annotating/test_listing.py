"""listAnnotations and exportAnnotationsW3C answer exactly what the caller may see: their own, their
groups', the meeting's, and nothing on a document they may not read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotations import AnnotationStore, Reader
from meetings.accounts.models import User
from tests.client import error_of, json_of
from tests.factories import Factories, session_of
from tests.integration.annotating.council import Council

M = "/api/v1/meetings"

SEES_ALL_OF_THE_BUDGET = {
    "anh_private",
    "anh_team_a",
    "anh_meeting",
    "binh_private",
    "chi_team_b",
    "secretary_meeting",
}
#: what each may see with scope=all: their own; their team's; the meeting's on documents they may read
EXPECTED = {
    "anh": {
        "anh_private",
        "anh_team_a",
        "anh_meeting",
        "secretary_meeting",
        "anh_meeting_on_secret",
        "anh_private_on_secret",
    },
    "binh": {"anh_team_a", "anh_meeting", "binh_private", "secretary_meeting"},
    "chi": {"anh_meeting", "chi_team_b", "secretary_meeting"},
    "secretary": {"anh_meeting", "secretary_meeting", "anh_meeting_on_secret"},
}


def listed(auth: Any, user: User, meeting_id: int, **query: Any) -> list[dict[str, Any]]:
    response = auth.client_for(user).get(f"{M}/{meeting_id}/annotations", query_string=query)
    items: list[dict[str, Any]] = json_of(response, 200)["items"]
    return items


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_each_caller_lists_exactly_what_they_may_see(auth: Any, annotated: Council, who: str) -> None:
    items = listed(auth, getattr(annotated, who), annotated.meeting.id)

    assert annotated.names(i["id"] for i in items) == EXPECTED[who]
    assert len(items) == len(EXPECTED[who])


def test_a_delegate_never_sees_anothers_private_annotation_nor_another_groups(
    auth: Any, annotated: Council
) -> None:
    for user in (annotated.binh, annotated.chi, annotated.secretary):
        names = annotated.names(i["id"] for i in listed(auth, user, annotated.meeting.id))
        assert not names & {"anh_private", "anh_private_on_secret"}, user.username
    assert "chi_team_b" not in annotated.names(
        i["id"] for i in listed(auth, annotated.binh, annotated.meeting.id)
    )
    assert "anh_team_a" not in annotated.names(
        i["id"] for i in listed(auth, annotated.chi, annotated.meeting.id)
    )


def test_a_non_reader_of_a_restricted_document_sees_none_of_its_annotations(
    auth: Any, annotated: Council
) -> None:
    secret = annotated.secret.id

    assert listed(auth, annotated.binh, annotated.meeting.id, document=secret) == []
    assert annotated.names(
        i["id"] for i in listed(auth, annotated.anh, annotated.meeting.id, document=secret)
    ) == {"anh_meeting_on_secret", "anh_private_on_secret"}


def test_a_non_participant_gets_404(auth: Any, annotated: Council) -> None:
    client = auth.client_for(annotated.outsider)

    assert error_of(client.get(f"{M}/{annotated.meeting.id}/annotations"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{M}/{annotated.meeting.id}/annotations/w3c"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{M}/{annotated.meeting.id + 1000}/annotations"), 404)["code"] == "not_found"


def test_signing_in_is_required(auth: Any, annotated: Council) -> None:
    response = auth.client_for(None).get(f"{M}/{annotated.meeting.id}/annotations")

    assert response.status_code == 401


def test_a_draft_meetings_annotations_stay_with_the_secretaries(
    auth: Any, make: Factories, council: Council
) -> None:
    draft = make.meeting()
    make.participant(draft, council.anh)
    document = make.document(draft)
    made = make.annotation(document, council.secretary, visibility="meeting")

    assert (
        error_of(auth.client_for(council.anh).get(f"{M}/{draft.id}/annotations"), 404)["code"] == "not_found"
    )
    assert [i["id"] for i in listed(auth, council.secretary, draft.id)] == [made.id]


def test_scope_mine_and_group_narrow_the_list(auth: Any, annotated: Council) -> None:
    meeting = annotated.meeting.id

    mine = listed(auth, annotated.binh, meeting, scope="mine")
    group = listed(auth, annotated.binh, meeting, scope="group")

    assert annotated.names(i["id"] for i in mine) == {"binh_private"}
    assert annotated.names(i["id"] for i in group) == {"anh_team_a"}
    assert annotated.names(i["id"] for i in listed(auth, annotated.anh, meeting, scope="mine")) == {
        "anh_private",
        "anh_team_a",
        "anh_meeting",
        "anh_meeting_on_secret",
        "anh_private_on_secret",
    }
    assert annotated.names(i["id"] for i in listed(auth, annotated.chi, meeting, scope="group")) == {
        "chi_team_b"
    }


def test_document_and_page_narrow_the_list(auth: Any, annotated: Council) -> None:
    meeting, budget = annotated.meeting.id, annotated.budget.id

    on_budget = listed(auth, annotated.anh, meeting, document=budget)
    on_page_2 = listed(auth, annotated.binh, meeting, document=budget, page=2)

    assert annotated.names(i["id"] for i in on_budget) == EXPECTED["anh"] - {
        "anh_meeting_on_secret",
        "anh_private_on_secret",
    }
    assert annotated.names(i["id"] for i in on_page_2) == {"anh_team_a"}
    assert all(i["document"] == budget for i in on_budget)


def test_a_document_of_another_meeting_lists_nothing(auth: Any, make: Factories, annotated: Council) -> None:
    elsewhere = make.published_meeting()
    make.participant(elsewhere, annotated.anh)
    foreign = make.document(elsewhere)
    make.annotation(foreign, annotated.anh, visibility="meeting")

    assert listed(auth, annotated.anh, annotated.meeting.id, document=foreign.id) == []


@pytest.mark.parametrize("query", [{"scope": "everyone"}, {"page": 0}, {"document": "budget"}])
def test_bad_filters_are_refused(auth: Any, annotated: Council, query: dict[str, Any]) -> None:
    response = auth.client_for(annotated.anh).get(
        f"{M}/{annotated.meeting.id}/annotations", query_string=query
    )

    assert error_of(response, 422)


def test_listed_annotations_carry_their_shape_quote_revision_and_author(
    auth: Any, annotated: Council
) -> None:
    [item] = [
        i
        for i in listed(auth, annotated.binh, annotated.meeting.id)
        if i["id"] == annotated.notes["anh_team_a"]
    ]

    assert item["kind"] == "underline" and item["visibility"] == "group"
    assert item["group_id"] == annotated.team_a.id
    assert item["author_id"] == annotated.anh.id and item["author_name"] == "Nguyễn Văn Anh"
    assert item["document"] == annotated.budget.id and item["page"] == 2
    assert item["geometry"] == {"rects": [[36.0, 38.0, 300.0, 52.0]]}
    assert item["quote"]["exact"] == "Dự toán ngân sách"
    assert item["note"] == "NHÓM A" and item["revision"] == 1 and item["orphaned"] is False


def test_deleted_annotations_are_not_listed(app: Any, auth: Any, annotated: Council) -> None:
    with session_of(app) as session:
        AnnotationStore(session).delete(
            annotated.notes["anh_meeting"],
            Reader(annotated.anh.id, frozenset()),
            {"client_id": "xoá-0000001", "revision": 1},
        )

    for user in (annotated.anh, annotated.chi):
        assert "anh_meeting" not in annotated.names(i["id"] for i in listed(auth, user, annotated.meeting.id))


# -- W3C -------------------------------------------------------------------------------------------


def w3c(auth: Any, user: User, meeting_id: int, **query: Any) -> dict[str, Any]:
    response = auth.client_for(user).get(f"{M}/{meeting_id}/annotations/w3c", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/ld+json"
    body: dict[str, Any] = json.loads(response.get_data(as_text=True))
    return body


def ids_of(collection: dict[str, Any]) -> set[int]:
    return {int(item["id"].rsplit("/", 1)[1]) for item in collection["first"]["items"]}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_w3c_export_holds_what_the_caller_may_see(auth: Any, annotated: Council, who: str) -> None:
    user = getattr(annotated, who)

    body = w3c(auth, user, annotated.meeting.id)

    assert body["@context"] == "http://www.w3.org/ns/anno.jsonld" and body["type"] == "AnnotationCollection"
    assert annotated.names(ids_of(body)) == EXPECTED[who]
    assert body["total"] == len(EXPECTED[who])
    assert ids_of(body) == {i["id"] for i in listed(auth, user, annotated.meeting.id)}


def test_w3c_items_point_at_the_document_and_page_with_the_note_as_plain_text(
    auth: Any, annotated: Council
) -> None:
    body = w3c(auth, annotated.binh, annotated.meeting.id, document=annotated.budget.id)

    items = {int(i["id"].rsplit("/", 1)[1]): i for i in body["first"]["items"]}
    item = items[annotated.notes["anh_team_a"]]
    assert item["type"] == "Annotation"
    assert item["target"]["source"] == f"http://meetings.test/api/v1/documents/{annotated.budget.id}"
    selectors = item["target"]["selector"]
    assert {s["type"] for s in selectors} == {"FragmentSelector", "TextQuoteSelector"}
    assert any(s["value"].startswith("page=2&") for s in selectors if s["type"] == "FragmentSelector")
    assert item["body"] == {
        "type": "TextualBody",
        "value": "NHÓM A",
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert item["creator"]["name"] == "Nguyễn Văn Anh"


def test_the_w3c_export_leaves_out_a_restricted_documents_annotations(auth: Any, annotated: Council) -> None:
    assert ids_of(w3c(auth, annotated.binh, annotated.meeting.id, document=annotated.secret.id)) == set()
    assert annotated.names(
        ids_of(w3c(auth, annotated.anh, annotated.meeting.id, document=annotated.secret.id))
    ) == {"anh_meeting_on_secret", "anh_private_on_secret"}


def test_everything_on_the_budget_is_listed_for_someone(auth: Any, annotated: Council) -> None:
    """Nothing the factories stored is lost between the store and the lists."""
    seen: set[str] = set()
    for who in ("anh", "binh", "chi", "secretary"):
        seen |= annotated.names(
            i["id"]
            for i in listed(auth, getattr(annotated, who), annotated.meeting.id, document=annotated.budget.id)
        )
    assert seen == SEES_ALL_OF_THE_BUDGET
