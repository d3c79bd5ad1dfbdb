"""Errors are JSON envelopes with the right 4xx for the API, friendly pages for browsers, and never
a 500 for anything a client can send."""

from __future__ import annotations

import io

import pytest

from meetings.accounts.models import Role, User
from meetings.db import db
from tests.client import LOGIN, error_of, json_of
from tests.pdfs import make_pdf

M = "/api/v1/meetings"


@pytest.fixture
def desk(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))
    return auth.client


def test_health_answers_ok_once_the_database_answers(client):
    assert json_of(client.get("/healthz"), 200) == {"status": "ok"}


@pytest.mark.parametrize("path", ["/api/v1/khong-co", "/api/v1/meetings/1/khong-co", "/api/v2/meetings"])
def test_an_unknown_api_path_is_a_404_envelope(client, path):
    assert error_of(client.get(path), 404)["code"] == "not_found"


def test_an_unknown_api_path_is_json_even_for_a_browser(client):
    response = client.get("/api/v1/khong-co", headers={"Accept": "text/html"})

    assert error_of(response, 404)["code"] == "not_found"


def test_a_method_not_allowed_is_a_405_envelope_with_allow(desk):
    response = desk.delete(M)

    assert error_of(response, 405)["code"] == "method_not_allowed"
    assert {"GET", "POST"} <= {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize(
    "body", [b"{", b'{"title": ', b"\xff\xfe", b"null"], ids=["brace", "cut", "bytes", "null"]
)
def test_a_malformed_json_body_is_a_4xx_envelope(desk, body):
    response = desk.post(M, data=body, content_type="application/json")

    assert response.status_code in (400, 422)
    error_of(response, response.status_code)


def test_a_malformed_login_body_is_a_4xx_envelope(client):
    response = client.post(LOGIN, data=b"{", content_type="application/json")

    assert error_of(response, 400)["code"] == "bad_request"


@pytest.mark.parametrize(
    "body", [[1, 2], {"title": 12}, {"title": ""}, {"title": "x" * 501}, {"title": "Kỳ họp", "extra": 1}]
)
def test_a_body_of_the_wrong_shape_is_a_422_envelope_naming_the_field(desk, body):
    error = error_of(desk.post(M, json=body), 422)

    assert error["code"] == "invalid" and error["fields"]


@pytest.mark.parametrize(
    "path",
    [
        f"{M}/99999999999999999999999",
        f"{M}/2147483648",
        "/api/v1/documents/9223372036854775808",
        "/api/v1/documents/99999999999999999999/versions/99999999999999999999/original",
    ],
)
def test_an_absurdly_large_id_is_a_404_not_a_500(desk, path):
    with desk.get(path) as response:
        assert error_of(response, 404)["code"] == "not_found"


def test_a_negative_id_is_a_404(desk):
    assert error_of(desk.get(f"{M}/-1"), 404)["code"] == "not_found"


def test_a_query_argument_of_the_wrong_type_is_a_422(desk, make):
    document = make.document(make.published_meeting())

    response = desk.get(f"/api/v1/documents/{document.id}/pages/1/image", query_string={"width": "rộng"})

    assert "width" in error_of(response, 422)["fields"]


def test_a_browser_gets_a_friendly_page_without_a_stack_trace(client):
    response = client.get("/khong-co-trang-nay", headers={"Accept": "text/html"})

    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and "<html" in page


def test_api_answers_are_never_cached_and_never_sniffed(desk):
    response = desk.get(M)

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_openapi_document_names_every_operation_once(client):
    spec = json_of(client.get("/api/v1/openapi.json"), 200)

    ids = [
        op["operationId"] for ops in spec["paths"].values() for key, op in ops.items() if key != "parameters"
    ]
    assert len(ids) == len(set(ids))
    assert {
        "login",
        "logout",
        "whoami",
        "listMeetings",
        "createMeeting",
        "getMeeting",
        "createSitting",
        "createAgendaItem",
        "uploadDocument",
        "uploadDocumentVersion",
        "getDocument",
        "addParticipants",
        "createGroup",
        "publishMeeting",
    } <= set(ids)


BIG = 2**70


@pytest.mark.parametrize(
    "call",
    [
        lambda c, m, d: c.post(f"{M}/{m.id}/agenda", json={"title": "Mục", "parent_id": BIG}),
        lambda c, m, d: c.put(f"{M}/{m.id}/agenda/order", json={"items": [{"id": BIG}]}),
        lambda c, m, d: c.patch(f"/api/v1/documents/{d.id}", json={"agenda_item_id": BIG}),
        lambda c, m, d: c.patch(f"/api/v1/documents/{d.id}", json={"reader_ids": [BIG]}),
        lambda c, m, d: c.post(
            f"{M}/{m.id}/documents", data={"file": (io.BytesIO(make_pdf()), "a.pdf"), "reader_ids": str(BIG)}
        ),
        lambda c, m, d: c.post(
            f"{M}/{m.id}/documents",
            data={"file": (io.BytesIO(make_pdf()), "a.pdf"), "agenda_item_id": str(BIG)},
        ),
        lambda c, m, d: c.post(f"{M}/{m.id}/links", json={"url": "https://vbpl.vn/", "agenda_item_id": BIG}),
        lambda c, m, d: c.post(f"{M}/{m.id}/groups", json={"name": "Tổ", "member_ids": [BIG]}),
        lambda c, m, d: c.post(f"{M}/{m.id}/groups", json={"name": "Tổ", "rapporteur_id": BIG}),
        lambda c, m, d: c.get(f"{M}/{m.id}/search", query_string={"q": "ngân sách", "document": BIG}),
    ],
    ids=[
        "parent",
        "order",
        "filing",
        "readers",
        "upload readers",
        "upload filing",
        "link filing",
        "members",
        "rapporteur",
        "search",
    ],
)
def test_an_absurdly_large_id_in_a_request_is_a_422_not_a_500(desk, make, call):
    meeting = make.meeting()
    document = make.document(meeting)

    assert error_of(call(desk, meeting, document), 422)["code"] in {"invalid", "invalid_order"}


def test_an_unexpected_database_error_still_answers_with_the_envelope(app, auth, make_user):
    """A failed flush must not break the error answer itself (its language is looked up on the user)."""
    user = make_user()

    @app.get("/api/v1/_probe/duplicate-user")
    def duplicate_user():
        db.session.add(User(username=user.username, full_name="Trùng tên"))
        db.session.flush()

    auth.login(user)

    response = auth.client.get("/api/v1/_probe/duplicate-user")

    assert error_of(response, 500)["code"] == "internal_error"
    assert "Trùng" not in response.get_data(as_text=True)
    assert json_of(auth.client.get("/api/v1/auth/whoami"), 200)["id"] == user.id
