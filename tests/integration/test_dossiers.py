"""Building a dossier through the API: meetings, sittings, the agenda and its order, documents and
their versions in the content-addressed store, publishing, and the audit trail of it all."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from meetings.accounts.models import Role
from meetings.audit.models import AuditEntry
from meetings.db import db
from tests.client import error_of, json_of
from tests.pdfs import A4, make_pdf, page_sizes_of

M = "/api/v1/meetings"
D = "/api/v1/documents"


@pytest.fixture
def secretary(make_user):
    return make_user(role=Role.SECRETARY)


@pytest.fixture
def desk(auth, secretary):
    """The secretary's client, signed in."""
    auth.login(secretary)
    return auth.client


def _upload(client, meeting_id: int, pdf: bytes, filename: str = "to-trinh.pdf", **fields):
    return client.post(f"{M}/{meeting_id}/documents", data={"file": (io.BytesIO(pdf), filename), **fields})


def _stored_files(app) -> list[Path]:
    root = Path(app.config["DATA_DIR"]) / "files"
    return sorted(p for p in root.rglob("*") if p.is_file() and "incoming" not in p.relative_to(root).parts)


def _audit(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(
            db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
        )


# -- meetings and sittings -------------------------------------------------------------------------


def test_a_new_meeting_is_a_draft_and_its_creation_is_audited(app, desk, secretary):
    fields = {
        "title": "Kỳ họp thứ mười ba",
        "body": "Hội đồng nhân dân quận",
        "term": "Khóa XVI",
        "place": "Hội trường tầng 3",
        "description": "Kỳ họp chuyên đề về ngân sách.",
    }

    meeting = json_of(desk.post(M, json=fields), 201)

    assert {k: meeting[k] for k in fields} == fields
    assert meeting["status"] == "draft" and meeting["published_at"] is None
    assert meeting["can_manage"] is True
    [entry] = _audit(app, "meeting.create")
    assert (entry.actor_id, entry.meeting_id, entry.target_id) == (secretary.id, meeting["id"], meeting["id"])


def test_a_meeting_needs_a_title(desk):
    error = error_of(desk.post(M, json={"place": "Hội trường"}), 422)

    assert "title" in error["fields"]


def test_a_sitting_is_added_and_listed_with_the_meeting(desk, make):
    meeting = make.meeting()
    sitting = {
        "title": "Phiên khai mạc",
        "date": "2027-01-05",
        "starts_at": "08:00:00",
        "ends_at": "11:30:00",
        "room": "Hội trường",
    }

    created = json_of(desk.post(f"{M}/{meeting.id}/sittings", json=sitting), 201)

    assert {k: created[k] for k in sitting} == sitting
    detail = json_of(desk.get(f"{M}/{meeting.id}"), 200)
    assert [s["id"] for s in detail["sittings"]] == [created["id"]]
    assert detail["first_sitting"] == "2027-01-05"


@pytest.mark.parametrize("ends_at", ["07:59:00", "08:00:00"], ids=["before", "same time"])
def test_a_sitting_that_ends_before_it_starts_is_refused(desk, make, ends_at):
    meeting = make.meeting()

    response = desk.post(
        f"{M}/{meeting.id}/sittings", json={"date": "2027-01-05", "starts_at": "08:00:00", "ends_at": ends_at}
    )

    assert error_of(response, 422)["code"] == "invalid"
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["sittings"] == []


# -- the agenda ------------------------------------------------------------------------------------


def test_agenda_items_nest_under_a_top_item(desk, make):
    meeting = make.meeting()
    top = json_of(desk.post(f"{M}/{meeting.id}/agenda", json={"title": "Dự toán ngân sách 2027"}), 201)

    child = json_of(
        desk.post(f"{M}/{meeting.id}/agenda", json={"title": "Báo cáo thẩm tra", "parent_id": top["id"]}), 201
    )

    agenda = json_of(desk.get(f"{M}/{meeting.id}"), 200)["agenda"]
    assert [i["id"] for i in agenda] == [top["id"]]
    assert [c["id"] for c in agenda[0]["children"]] == [child["id"]]


def test_an_agenda_item_under_a_sub_item_is_refused(desk, make):
    meeting = make.meeting()
    child = make.agenda_item(meeting, parent=make.agenda_item(meeting))

    response = desk.post(f"{M}/{meeting.id}/agenda", json={"title": "Cháu", "parent_id": child.id})

    assert error_of(response, 422)["code"] == "invalid"


def test_an_agenda_item_under_another_meetings_item_is_refused(desk, make):
    meeting, other = make.meeting(), make.meeting()
    foreign = make.agenda_item(other)

    response = desk.post(f"{M}/{meeting.id}/agenda", json={"title": "Lạc", "parent_id": foreign.id})

    assert error_of(response, 422)["code"] == "invalid"


def test_new_agenda_items_go_to_the_end(desk, make):
    meeting = make.meeting()
    titles = ["Khai mạc", "Kinh tế - xã hội", "Bế mạc"]

    for title in titles:
        desk.post(f"{M}/{meeting.id}/agenda", json={"title": title})

    agenda = json_of(desk.get(f"{M}/{meeting.id}"), 200)["agenda"]
    assert [i["title"] for i in agenda] == titles
    assert [i["position"] for i in agenda] == list(range(len(titles)))


def _reorder(desk, meeting_id, entries):
    return desk.put(f"{M}/{meeting_id}/agenda/order", json={"items": entries})


def test_reordering_sets_positions_and_nesting_from_the_list(desk, make):
    meeting = make.meeting()
    a, b, c = (make.agenda_item(meeting) for _ in range(3))
    a1 = make.agenda_item(meeting, parent=a)
    # c first; b moves under c; a1 leaves a to become a top item at the end; a stays between
    order = [{"id": c.id}, {"id": b.id, "parent_id": c.id}, {"id": a.id}, {"id": a1.id}]

    agenda = json_of(_reorder(desk, meeting.id, order), 200)["agenda"]

    assert [(i["id"], i["position"]) for i in agenda] == [(c.id, 0), (a.id, 1), (a1.id, 2)]
    assert [(i["id"], i["position"], i["parent_id"]) for i in agenda[0]["children"]] == [(b.id, 0, c.id)]
    assert agenda[1]["children"] == [] and agenda[2]["children"] == []
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["agenda"] == agenda


@pytest.mark.parametrize("problem", ["an item left out", "an item twice", "an unknown item"])
def test_reordering_needs_every_item_exactly_once(desk, make, problem):
    meeting = make.meeting()
    a, b = make.agenda_item(meeting), make.agenda_item(meeting)
    stranger = make.agenda_item(make.meeting())
    order = {
        "an item left out": [{"id": a.id}],
        "an item twice": [{"id": a.id}, {"id": b.id}, {"id": a.id}],
        "an unknown item": [{"id": a.id}, {"id": b.id}, {"id": stranger.id}],
    }[problem]

    assert error_of(_reorder(desk, meeting.id, order), 422)["code"] == "invalid_order"
    assert [i["id"] for i in json_of(desk.get(f"{M}/{meeting.id}"), 200)["agenda"]] == [a.id, b.id]


@pytest.mark.parametrize("problem", ["under a sub-item", "under itself", "under a stranger"])
def test_reordering_keeps_nesting_to_one_level(desk, make, problem):
    meeting = make.meeting()
    a, b, c = (make.agenda_item(meeting) for _ in range(3))
    stranger = make.agenda_item(make.meeting())
    order = {
        "under a sub-item": [{"id": a.id}, {"id": b.id, "parent_id": a.id}, {"id": c.id, "parent_id": b.id}],
        "under itself": [{"id": a.id, "parent_id": a.id}, {"id": b.id}, {"id": c.id}],
        "under a stranger": [{"id": a.id}, {"id": b.id, "parent_id": stranger.id}, {"id": c.id}],
    }[problem]

    assert error_of(_reorder(desk, meeting.id, order), 422)["code"] == "invalid_order"


def test_deleting_an_agenda_item_removes_its_sub_items_and_unfiles_their_documents(desk, make):
    meeting = make.meeting()
    top = make.agenda_item(meeting)
    child = make.agenda_item(meeting, parent=top)
    document = make.document(meeting, agenda_item=child)

    assert desk.delete(f"{M}/{meeting.id}/agenda/{top.id}").status_code == 204

    detail = json_of(desk.get(f"{M}/{meeting.id}"), 200)
    assert detail["agenda"] == []
    assert [d["id"] for d in detail["documents"]] == [document.id]


# -- documents and versions ------------------------------------------------------------------------


def test_an_uploaded_pdf_reports_its_pages_sizes_and_sha256(desk, make):
    meeting = make.meeting()
    pdf = make_pdf(sizes=[A4, (A4[1], A4[0]), (420.0, 595.0)])

    document = json_of(_upload(desk, meeting.id, pdf, "To_trinh_ngan_sach.pdf"), 201)

    shown = json_of(desk.get(f"{D}/{document['id']}"), 200)
    assert shown["page_count"] == 3
    assert shown["page_sizes"] == page_sizes_of(pdf)
    assert shown["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert shown["version"] == 1 and [v["number"] for v in shown["versions"]] == [1]
    assert shown["versions"][0]["size_bytes"] == len(pdf)
    assert shown["versions"][0]["original_filename"] == "To_trinh_ngan_sach.pdf"
    assert shown["title"] == "To trinh ngan sach"


def test_upload_keeps_the_descriptive_fields(desk, make):
    meeting = make.meeting()
    item = make.agenda_item(meeting)
    fields = {
        "title": "Tờ trình về dự toán ngân sách",
        "category": "reference",
        "agenda_item_id": str(item.id),
        "number": "45",
        "symbol": "TTr-UBND",
        "issuing_body": "Ủy ban nhân dân quận",
        "issued_on": "2026-11-20",
        "confidentiality": "confidential",
        "downloadable": "true",
    }

    document = json_of(_upload(desk, meeting.id, make_pdf(), **fields), 201)

    assert {
        k: str(document[k]).lower() if k in ("agenda_item_id", "downloadable") else document[k]
        for k in fields
    } == fields


def test_an_uploaded_file_is_stored_under_its_sha256(app, desk, make):
    meeting = make.meeting()
    pdf = make_pdf(pages=2)
    digest = hashlib.sha256(pdf).hexdigest()

    json_of(_upload(desk, meeting.id, pdf), 201)

    path = Path(app.config["DATA_DIR"]) / "files" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == pdf
    assert _stored_files(app) == [path]
    assert list((Path(app.config["DATA_DIR"]) / "files" / "incoming").iterdir()) == []


def test_the_same_bytes_uploaded_twice_are_stored_once(app, desk, make):
    meeting = make.meeting()
    pdf = make_pdf()

    first = json_of(_upload(desk, meeting.id, pdf, "ban-goc.pdf"), 201)
    second = json_of(_upload(desk, meeting.id, pdf, "ban-sao.pdf"), 201)

    assert first["id"] != second["id"]
    assert first["sha256"] == second["sha256"]
    assert len(_stored_files(app)) == 1


def test_a_new_version_keeps_the_old_one_retrievable(app, desk, make):
    meeting = make.meeting()
    first, second = make_pdf(pages=1, text="Dự thảo lần 1"), make_pdf(pages=2, text="Dự thảo lần 2")
    document = json_of(_upload(desk, meeting.id, first), 201)

    updated = desk.post(
        f"{D}/{document['id']}/versions", data={"file": (io.BytesIO(second), "du-thao-2.pdf")}
    )

    updated = json_of(updated, 201)
    assert updated["version"] == 2 and updated["page_count"] == 2
    assert updated["sha256"] == hashlib.sha256(second).hexdigest()
    versions = json_of(desk.get(f"{D}/{document['id']}/versions"), 200)
    assert [(v["number"], v["sha256"]) for v in versions] == [
        (1, hashlib.sha256(first).hexdigest()),
        (2, hashlib.sha256(second).hexdigest()),
    ]
    for number, pdf in ((1, first), (2, second)):
        with desk.get(f"{D}/{document['id']}/versions/{number}/original") as response:
            assert response.get_data() == pdf
    with desk.get(f"{D}/{document['id']}/versions/3/original") as response:
        assert error_of(response, 404)["code"] == "not_found"
    assert len(_stored_files(app)) == 2


def test_a_document_can_be_filed_under_another_item(desk, make):
    meeting = make.meeting()
    first, second = make.agenda_item(meeting), make.agenda_item(meeting)
    document = make.document(meeting, agenda_item=first)

    json_of(desk.patch(f"{D}/{document.id}", json={"agenda_item_id": second.id}), 200)

    agenda = json_of(desk.get(f"{M}/{meeting.id}"), 200)["agenda"]
    assert [[d["id"] for d in i["documents"]] for i in agenda] == [[], [document.id]]


def test_a_document_cannot_be_filed_under_another_meetings_item(desk, make):
    meeting = make.meeting()
    document = make.document(meeting)
    foreign = make.agenda_item(make.meeting())

    assert (
        error_of(desk.patch(f"{D}/{document.id}", json={"agenda_item_id": foreign.id}), 422)["code"]
        == "invalid"
    )


def test_a_link_document_needs_an_http_url(desk, make):
    meeting = make.meeting()

    ok = json_of(
        desk.post(f"{M}/{meeting.id}/links", json={"url": "https://vbpl.vn/tw/Pages/home.aspx"}), 201
    )
    bad = desk.post(f"{M}/{meeting.id}/links", json={"url": "javascript:alert(1)"})

    assert ok["category"] == "link" and ok["page_count"] is None
    assert "url" in error_of(bad, 422)["fields"]


def test_a_draft_document_can_be_deleted_a_published_one_cannot(desk, make):
    draft, published = make.meeting(), make.published_meeting()
    in_draft, in_published = make.document(draft), make.document(published)

    assert desk.delete(f"{D}/{in_draft.id}").status_code == 204
    assert error_of(desk.delete(f"{D}/{in_published.id}"), 409)["code"] == "published"

    assert error_of(desk.get(f"{D}/{in_draft.id}"), 404)["code"] == "not_found"
    assert json_of(desk.get(f"{D}/{in_published.id}"), 200)["id"] == in_published.id


def test_restricted_readers_must_exist(desk, make):
    meeting = make.meeting()

    response = _upload(desk, meeting.id, make_pdf(), confidentiality="restricted", reader_ids="999999")

    assert error_of(response, 422)["code"] == "invalid"


def test_reader_ids_must_be_numbers(desk, make):
    meeting = make.meeting()

    response = _upload(desk, meeting.id, make_pdf(), confidentiality="restricted", reader_ids="một, hai")

    assert error_of(response, 422)["code"] == "invalid"


# -- publishing ------------------------------------------------------------------------------------


def test_publishing_an_empty_dossier_is_a_conflict(desk, make):
    meeting = make.meeting()
    make.agenda_item(meeting)

    assert error_of(desk.post(f"{M}/{meeting.id}/publish"), 409)["code"] == "empty_dossier"
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["status"] == "draft"


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_publishing_opens_the_dossier_to_its_participants(app, auth, desk, make, make_user, secretary):
    meeting = make.meeting()
    make.document(meeting)
    delegate = make_user()
    make.participant(meeting, delegate)

    published = json_of(desk.post(f"{M}/{meeting.id}/publish"), 200)

    assert published["status"] == "published" and published["published_at"]
    assert json_of(auth.client_for(delegate).get(f"{M}/{meeting.id}"), 200)["status"] == "published"
    [entry] = _audit(app, "meeting.publish")
    assert (entry.actor_id, entry.meeting_id) == (secretary.id, meeting.id)


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_publishing_twice_is_harmless(app, desk, make):
    meeting = make.meeting()
    make.document(meeting)
    first = json_of(desk.post(f"{M}/{meeting.id}/publish"), 200)

    again = json_of(desk.post(f"{M}/{meeting.id}/publish"), 200)

    assert again["published_at"] == first["published_at"]
    assert len(_audit(app, "meeting.publish")) == 1


def test_a_dossier_of_links_only_can_be_published(desk, make):
    meeting = make.meeting()
    make.link(meeting)

    assert json_of(desk.post(f"{M}/{meeting.id}/publish"), 200)["status"] == "published"


def test_a_closed_meeting_refuses_changes(desk, make):
    meeting = make.meeting("closed")

    assert (
        error_of(desk.post(f"{M}/{meeting.id}/agenda", json={"title": "Muộn"}), 409)["code"]
        == "meeting_closed"
    )


# -- the audit trail -------------------------------------------------------------------------------


@pytest.mark.committed_database  # pre-rendering after publishing runs in a thread
def test_each_change_to_a_dossier_is_audited_with_its_actor(app, desk, make, secretary):
    meeting = json_of(desk.post(M, json={"title": "Kỳ họp"}), 201)
    json_of(desk.post(f"{M}/{meeting['id']}/sittings", json={"date": "2027-01-05"}), 201)
    item = json_of(desk.post(f"{M}/{meeting['id']}/agenda", json={"title": "Mục 1"}), 201)
    document = json_of(_upload(desk, meeting["id"], make_pdf(), agenda_item_id=str(item["id"])), 201)
    json_of(
        desk.post(f"{D}/{document['id']}/versions", data={"file": (io.BytesIO(make_pdf(pages=2)), "v2.pdf")}),
        201,
    )
    json_of(desk.post(f"{M}/{meeting['id']}/publish"), 200)

    with app.app_context():
        entries = list(
            db.session.scalars(
                select(AuditEntry).where(AuditEntry.meeting_id == meeting["id"]).order_by(AuditEntry.id)
            )
        )

    assert [e.action for e in entries] == [
        "meeting.create",
        "sitting.create",
        "agenda.create",
        "document.upload",
        "document.version",
        "meeting.publish",
    ]
    assert {e.actor_id for e in entries} == {secretary.id}
    upload = entries[3]
    assert (upload.target_type, upload.target_id) == ("Document", document["id"])
    assert upload.details == {"filename": "to-trinh.pdf"}
    assert entries[4].details == {"version": 2, "filename": "v2.pdf"}
