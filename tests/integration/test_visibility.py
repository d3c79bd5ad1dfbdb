"""What each caller sees of meetings and documents: drafts stay with the secretaries, restricted
documents with their named readers, originals with those allowed to download them."""

from __future__ import annotations

import io

import pytest

from meetings.accounts.models import Role
from tests.client import error_of, json_of
from tests.pdfs import make_pdf

M = "/api/v1/meetings"
D = "/api/v1/documents"


def _all_documents(detail: dict) -> list[dict]:
    """Every document of a getMeeting answer: unfiled ones and those under items and sub-items."""
    found = list(detail["documents"])
    stack = list(detail["agenda"])
    while stack:
        item = stack.pop()
        found += item["documents"]
        stack += item["children"]
    return found


def test_list_meetings_shows_each_caller_only_what_they_may_open(auth, make, make_user):
    delegate, outsider, secretary = make_user(), make_user(), make_user(role=Role.SECRETARY)
    published, draft, elsewhere = make.published_meeting(), make.meeting(), make.published_meeting()
    for meeting in (published, draft):
        make.participant(meeting, delegate)

    def listed(user):
        return {m["id"] for m in json_of(auth.client_for(user).get(M), 200)}

    assert listed(delegate) == {published.id}
    assert listed(outsider) == set()
    assert listed(secretary) == {published.id, draft.id, elsewhere.id}


def test_a_draft_is_invisible_even_to_its_participants(auth, make, make_user):
    chair = make_user(role=Role.CHAIR)
    draft = make.meeting()
    make.participant(draft, chair)
    document = make.document(draft)
    client = auth.client_for(chair)

    assert error_of(client.get(f"{M}/{draft.id}"), 404)["code"] == "not_found"
    assert error_of(client.get(f"{D}/{document.id}"), 404)["code"] == "not_found"


def test_a_missing_meeting_and_a_foreign_one_look_the_same(auth, make, make_user):
    foreign = make.published_meeting()
    client = auth.client_for(make_user())

    missing = error_of(client.get(f"{M}/{foreign.id + 1000}"), 404)

    assert error_of(client.get(f"{M}/{foreign.id}"), 404) == missing


def test_restricted_document_is_shown_only_to_its_readers_and_managers(auth, make, make_user):
    meeting = make.published_meeting()
    reader, other, admin = make_user(), make_user(role=Role.OBSERVER), make_user(role=Role.ADMIN)
    for user in (reader, other):
        make.participant(meeting, user)
    item = make.agenda_item(meeting)
    child = make.agenda_item(meeting, parent=item)
    restricted = make.restricted_document(meeting, readers=[reader], agenda_item=child)
    ordinary = make.document(meeting)

    def documents_seen(user):
        detail = json_of(auth.client_for(user).get(f"{M}/{meeting.id}"), 200)
        return {d["id"] for d in _all_documents(detail)}

    assert documents_seen(reader) == {restricted.id, ordinary.id}
    assert documents_seen(admin) == {restricted.id, ordinary.id}
    assert documents_seen(other) == {ordinary.id}


@pytest.mark.parametrize("path", ["", "/versions", "/versions/1/original", "/pages/1/text"])
def test_restricted_document_is_404_for_participants_who_are_not_readers(auth, make, make_user, path):
    meeting = make.published_meeting()
    reader, other = make_user(), make_user()
    for user in (reader, other):
        make.participant(meeting, user)
    restricted = make.restricted_document(meeting, readers=[reader], downloadable=True)

    with auth.client_for(reader).get(f"{D}/{restricted.id}{path}") as response:
        assert response.status_code == 200
    with auth.client_for(other).get(f"{D}/{restricted.id}{path}") as response:
        assert error_of(response, 404)["code"] == "not_found"


def test_restricted_document_stays_hidden_from_search_of_non_readers(auth, make, make_user):
    meeting = make.published_meeting()
    reader, other = make_user(), make_user()
    for user in (reader, other):
        make.participant(meeting, user)
    secretary = auth.client_for(make_user(role=Role.SECRETARY))
    upload = secretary.post(
        f"{M}/{meeting.id}/documents",
        data={
            "file": (io.BytesIO(make_pdf(text="Phương án nhân sự bí mật")), "nhan-su.pdf"),
            "confidentiality": "restricted",
            "reader_ids": str(reader.id),
        },
    )
    document = json_of(upload, 201)

    def found(user):
        answer = json_of(
            auth.client_for(user).get(f"{M}/{meeting.id}/search", query_string={"q": "nhân sự"}), 200
        )
        return {hit["document_id"] for hit in answer["items"]}

    assert found(reader) == {document["id"]}
    assert found(other) == set()


def test_the_original_is_offered_to_participants_only_when_downloadable(auth, make, make_user):
    meeting = make.published_meeting()
    delegate = make_user()
    make.participant(meeting, delegate)
    pdf = make_pdf(pages=2)
    offered, kept = make.document(meeting, pdf, downloadable=True), make.document(meeting)
    client = auth.client_for(delegate)

    with client.get(f"{D}/{offered.id}/versions/1/original") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert response.get_data() == pdf
    with client.get(f"{D}/{kept.id}/versions/1/original") as response:
        assert error_of(response, 403)["code"] == "not_downloadable"


def test_managers_download_any_original(auth, make, make_user):
    meeting = make.published_meeting()
    pdf = make_pdf()
    kept = make.document(meeting, pdf, downloadable=False)

    with auth.client_for(make_user(role=Role.SECRETARY)).get(
        f"{D}/{kept.id}/versions/1/original"
    ) as response:
        assert response.get_data() == pdf


def test_participants_see_only_their_own_participant_row_and_groups(auth, make, make_user):
    meeting = make.published_meeting()
    me, neighbour = make_user(), make_user()
    for user in (me, neighbour):
        make.participant(meeting, user)
    mine, theirs = make.group(meeting, members=[me]), make.group(meeting, members=[neighbour])

    detail = json_of(auth.client_for(me).get(f"{M}/{meeting.id}"), 200)

    assert [p["user_id"] for p in detail["participants"]] == [me.id]
    assert [g["id"] for g in detail["groups"]] == [mine.id]
    assert theirs.id not in {g["id"] for g in detail["groups"]}
    assert detail["can_manage"] is False and detail["my_role"] == "delegate"


def test_a_closed_meeting_stays_readable_by_its_participants(auth, make, make_user):
    meeting = make.meeting("closed")
    delegate = make_user()
    make.participant(meeting, delegate)

    assert json_of(auth.client_for(delegate).get(f"{M}/{meeting.id}"), 200)["status"] == "closed"
