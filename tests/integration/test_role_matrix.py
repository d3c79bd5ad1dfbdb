"""Who may call what: every operation of the API, for every kind of caller, on a published and on a
draft meeting. A new operation without a row here fails test_every_operation_has_a_row."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import update as sa_update

from meetings.accounts.models import Role, User
from meetings.db import db
from meetings.dossiers.models import AgendaItem, Document, Meeting, MeetingStatus, Sitting
from meetings.participants.models import Group
from tests.client import LOGIN, ApiClient, error_of
from tests.factories import PASSWORD, Factories, unique
from tests.pdfs import make_pdf

#: callers, managers last because what they do (publishing, deleting) must not change what others see
ROLES = ["anonymous", "outsider", "observer", "delegate", "chair", "admin", "secretary"]
MANAGERS = {"admin", "secretary"}
PARTICIPANTS = {"observer", "delegate", "chair"}


@dataclass
class World:
    """A meeting with three participants (chair, delegate, observer), a sitting, an agenda item, a
    document, a group whose rapporteur is the delegate, and an open discussion round; plus an
    outsider who takes part in another meeting only, and the managers."""

    app: Any
    make: Factories
    meeting: Meeting
    sitting: Sitting
    item: AgendaItem
    document: Document
    group: Group
    discussion: Any
    users: dict[str, User]


def build_world(app: Any, make: Factories, status: MeetingStatus) -> World:
    users = {
        "admin": make.user(Role.ADMIN),
        "secretary": make.user(Role.SECRETARY),
        "chair": make.user(Role.CHAIR),
        "delegate": make.user(Role.DELEGATE),
        "observer": make.user(Role.OBSERVER),
        "outsider": make.user(Role.DELEGATE),
    }
    meeting = make.meeting(status)
    for role in PARTICIPANTS:
        make.participant(meeting, users[role])
    make.participant(make.published_meeting(), users["outsider"])
    sitting = make.sitting(meeting)
    item = make.agenda_item(meeting)
    document = make.document(meeting, agenda_item=item)
    group = make.group(meeting, members=[users["delegate"]], rapporteur=users["delegate"])
    discussion = make.discussion(meeting)
    return World(app, make, meeting, sitting, item, document, group, discussion, users)


Call = Callable[[ApiClient, World, "User | None"], Any]


@dataclass(frozen=True)
class Row:
    call: Call
    managers: int
    participants: int
    outsiders: int
    anonymous: int = 401
    #: what managers get on a draft meeting, where it differs
    draft_managers: int | None = None
    #: about one meeting: on a draft, nobody but managers gets past 404
    scoped: bool = True
    #: where one role differs from its kind (the chair moderates; the rapporteur summarises)
    roles: dict[str, int] = field(default_factory=dict)

    def expected(self, role: str, status: MeetingStatus) -> int:
        draft = status is MeetingStatus.DRAFT
        if role == "anonymous":
            return self.anonymous
        if role in MANAGERS:
            if draft and self.draft_managers is not None:
                return self.draft_managers
            return self.roles.get(role, self.managers)
        if role == "outsider":
            return self.outsiders
        return 404 if draft and self.scoped else self.roles.get(role, self.participants)


def _pdf_upload(**fields: Any) -> dict[str, Any]:
    return {"file": (io.BytesIO(make_pdf(text=unique("Báo cáo "))), "bao-cao.pdf"), **fields}


def _agenda_order(w: World) -> list[dict[str, Any]]:
    with w.app.app_context():
        items = db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == w.meeting.id)
            .order_by(AgendaItem.parent_id.is_not(None), AgendaItem.position)
        )
        return [{"id": i.id, "parent_id": i.parent_id} for i in items]


def _fresh_participant_id(w: World) -> int:
    return w.make.participant(w.meeting, w.make.user()).id


def _fresh_participant_user_id(w: World) -> int:
    return w.make.participant(w.meeting, w.make.user()).user_id


def _without_open_rounds(w: World) -> str:
    """The discussions URL of the meeting, once its open rounds are closed (one is open at a time)."""
    from meetings.db import utcnow
    from meetings.discussion.models import Discussion

    with w.app.app_context():
        db.session.execute(
            sa_update(Discussion).where(Discussion.meeting_id == w.meeting.id).values(closed_at=utcnow())
        )
        db.session.commit()
    return f"{M}/{w.meeting.id}/discussions"


#: the chair moderates: attendance, discussions, presence
CHAIR_MODERATES = {"chair": 200}


M = "/api/v1/meetings"
D = "/api/v1/documents"

MATRIX: dict[str, Row] = {
    # -- accounts: anyone signed in, for themselves --
    "login": Row(
        lambda c, w, me: c.post(LOGIN, json={"username": me.username if me else "khach-la", "password": PASSWORD}),
        200,
        200,
        200,
        anonymous=401,
        scoped=False,
    ),
    # signing out when nobody is signed in is harmless
    "logout": Row(lambda c, w, me: c.post("/api/v1/auth/logout"), 204, 204, 204, anonymous=204, scoped=False),
    "whoami": Row(lambda c, w, me: c.get("/api/v1/auth/whoami"), 200, 200, 200, scoped=False),
    "listApiTokens": Row(lambda c, w, me: c.get("/api/v1/auth/tokens"), 200, 200, 200, scoped=False),
    "createApiToken": Row(
        lambda c, w, me: c.post("/api/v1/auth/tokens", json={"name": "Cổng dữ liệu"}),
        201,
        201,
        201,
        scoped=False,
    ),
    "revokeApiToken": Row(
        lambda c, w, me: c.delete(f"/api/v1/auth/tokens/{w.make.api_token(me or w.users['delegate'])[0].id}"),
        204,
        204,
        204,
        scoped=False,
    ),
    # -- meetings --
    "listMeetings": Row(lambda c, w, me: c.get(M), 200, 200, 200, scoped=False),
    "createMeeting": Row(lambda c, w, me: c.post(M, json={"title": unique("Kỳ họp ")}), 201, 403, 403, scoped=False),
    "getMeeting": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}"), 200, 200, 404),
    "updateMeeting": Row(
        lambda c, w, me: c.patch(f"{M}/{w.meeting.id}", json={"place": "Hội trường B"}), 200, 403, 404
    ),
    "publishMeeting": Row(lambda c, w, me: c.post(f"{M}/{w.meeting.id}/publish"), 200, 403, 404),
    "createSitting": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/sittings",
            json={
                "date": "2027-01-05",
                "starts_at": "08:00:00",
                "ends_at": "11:30:00",
                "room": "Phòng họp 2",
            },
        ),
        201,
        403,
        404,
    ),
    # -- agenda --
    "createAgendaItem": Row(
        lambda c, w, me: c.post(f"{M}/{w.meeting.id}/agenda", json={"title": unique("Mục ")}), 201, 403, 404
    ),
    "reorderAgenda": Row(
        lambda c, w, me: c.put(f"{M}/{w.meeting.id}/agenda/order", json={"items": _agenda_order(w)}),
        200,
        403,
        404,
    ),
    "updateAgendaItem": Row(
        lambda c, w, me: c.patch(f"{M}/{w.meeting.id}/agenda/{w.item.id}", json={"presenter": "Ban Pháp chế"}),
        200,
        403,
        404,
    ),
    "deleteAgendaItem": Row(
        lambda c, w, me: c.delete(f"{M}/{w.meeting.id}/agenda/{w.make.agenda_item(w.meeting).id}"),
        204,
        403,
        404,
    ),
    # -- documents --
    "uploadDocument": Row(lambda c, w, me: c.post(f"{M}/{w.meeting.id}/documents", data=_pdf_upload()), 201, 403, 404),
    "createLinkDocument": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/links", json={"url": "https://vbpl.vn/", "title": unique("Luật ")}
        ),
        201,
        403,
        404,
    ),
    "getDocument": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}"), 200, 200, 404),
    "updateDocument": Row(
        lambda c, w, me: c.patch(f"{D}/{w.document.id}", json={"issuing_body": "UBND quận"}), 200, 403, 404
    ),
    # a published document is never deleted (409): what matters here is who gets that far
    "deleteDocument": Row(
        lambda c, w, me: c.delete(f"{D}/{w.make.document(w.meeting).id}"), 409, 403, 404, draft_managers=204
    ),
    "uploadDocumentVersion": Row(
        lambda c, w, me: c.post(f"{D}/{w.document.id}/versions", data=_pdf_upload()), 201, 403, 404
    ),
    "listDocumentVersions": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}/versions"), 200, 200, 404),
    # the world's document is not offered for download
    "downloadOriginal": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}/versions/1/original"), 200, 403, 404),
    # -- pages --
    "getPageImage": Row(
        lambda c, w, me: c.get(f"{D}/{w.document.id}/pages/1/image", query_string={"width": 200}),
        200,
        200,
        404,
    ),
    "getPageText": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}/pages/1/text"), 200, 200, 404),
    "getDocumentOutline": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}/outline"), 200, 200, 404),
    "getRenderProgress": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/rendering"), 200, 403, 404),
    # -- annotations --
    "listAnnotations": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/annotations"), 200, 200, 404),
    "exportAnnotationsW3C": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/annotations/w3c"), 200, 200, 404),
    "exportAnnotatedPdf": Row(lambda c, w, me: c.get(f"{D}/{w.document.id}/annotated.pdf"), 200, 200, 404),
    # -- search --
    "searchMeeting": Row(
        lambda c, w, me: c.get(f"{M}/{w.meeting.id}/search", query_string={"q": "ngân sách"}), 200, 200, 404
    ),
    # -- access: the hall's QR code, delegate cards, attendance, read receipts --
    "getSittingQr": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/sittings/{w.sitting.id}/qr"), 200, 200, 404),
    "getDelegateCards": Row(
        lambda c, w, me: c.get(f"{M}/{w.meeting.id}/cards", query_string={"user_id": _fresh_participant_user_id(w)}),
        200,
        403,
        404,
    ),
    "revokeDelegateCard": Row(
        lambda c, w, me: c.post(f"{M}/{w.meeting.id}/cards/{w.users['delegate'].id}/revoke"), 200, 403, 404
    ),
    "getAttendance": Row(
        lambda c, w, me: c.get(f"{M}/{w.meeting.id}/sittings/{w.sitting.id}/attendance"),
        200,
        403,
        404,
        roles=CHAIR_MODERATES,
    ),
    "markAttendance": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/sittings/{w.sitting.id}/attendance",
            json={"items": [{"user_id": w.users["delegate"].id, "status": "present_in_hall"}]},
        ),
        200,
        403,
        404,
    ),
    "setQuorum": Row(
        lambda c, w, me: c.patch(f"{M}/{w.meeting.id}/quorum", json={"numerator": 1, "denominator": 2}),
        200,
        403,
        404,
    ),
    "getReadReceipts": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/read-receipts"), 200, 403, 404),
    # -- comments and group discussion --
    "listComments": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/comments"), 200, 200, 404),
    "countComments": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/comments/counts"), 200, 200, 404),
    "listDiscussions": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/discussions"), 200, 200, 404),
    # only a published meeting holds discussions (409 on a draft)
    "openDiscussion": Row(
        lambda c, w, me: c.post(_without_open_rounds(w), json={"topic": unique("Thảo luận "), "minutes": 15}),
        201,
        403,
        404,
        draft_managers=409,
        roles={"chair": 201},
    ),
    "closeDiscussion": Row(
        lambda c, w, me: c.post(f"/api/v1/discussions/{w.discussion.id}/close"),
        200,
        403,
        404,
        roles=CHAIR_MODERATES,
    ),
    # members read their group's room; moderators any group's; the observer is in no group
    "listGroupMessages": Row(
        lambda c, w, me: c.get(f"/api/v1/discussions/{w.discussion.id}/messages", query_string={"group": w.group.id}),
        200,
        200,
        404,
        roles={"observer": 404},
    ),
    # only the group's rapporteur (the delegate) submits its summary, not even a manager
    "submitGroupSummary": Row(
        lambda c, w, me: c.post(f"/api/v1/discussions/{w.discussion.id}/summary", json={"body": "Tổ thống nhất."}),
        403,
        403,
        404,
        roles={"delegate": 200},
    ),
    "listGroupSummaries": Row(
        lambda c, w, me: c.get(f"/api/v1/discussions/{w.discussion.id}/summaries"),
        200,
        403,
        404,
        roles=CHAIR_MODERATES,
    ),
    # moderators see everyone online; a participant sees their own groups' part
    "getPresence": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/presence"), 200, 200, 404),
    # -- participants and groups --
    "listParticipants": Row(lambda c, w, me: c.get(f"{M}/{w.meeting.id}/participants"), 200, 403, 404),
    "addParticipants": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/participants",
            json={"items": [{"username": w.make.user().username, "role": "delegate"}]},
        ),
        201,
        403,
        404,
    ),
    "importParticipants": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/participants/import",
            data={"file": (io.BytesIO(f"username,role\n{w.make.user().username},delegate\n".encode()), "ds.csv")},
        ),
        201,
        403,
        404,
    ),
    "removeParticipant": Row(
        lambda c, w, me: c.delete(f"{M}/{w.meeting.id}/participants/{_fresh_participant_id(w)}"),
        204,
        403,
        404,
    ),
    "createGroup": Row(
        lambda c, w, me: c.post(
            f"{M}/{w.meeting.id}/groups", json={"name": unique("Tổ "), "member_ids": [w.users["delegate"].id]}
        ),
        201,
        403,
        404,
    ),
    "updateGroup": Row(
        lambda c, w, me: c.put(
            f"{M}/{w.meeting.id}/groups/{w.group.id}",
            json={
                "name": w.group.name,
                "member_ids": [w.users["delegate"].id],
                "rapporteur_id": w.users["delegate"].id,
            },
        ),
        200,
        403,
        404,
    ),
}


def _operation_ids(spec: dict[str, Any]) -> set[str]:
    return {op["operationId"] for ops in spec["paths"].values() for key, op in ops.items() if key != "parameters"}


def test_every_operation_has_a_row(client):
    spec = client.get("/api/v1/openapi.json").get_json()

    operations = _operation_ids(spec)

    assert operations - set(MATRIX) == set(), "operations without a row in the role matrix"
    assert set(MATRIX) - operations == set(), "rows for operations the API no longer has"


#: operations that may start pre-rendering, which runs in a thread: their tests need a committed database
PRE_RENDERING = {"publishMeeting", "uploadDocumentVersion"}

#: every operation on a published meeting, and those about one meeting on a draft as well
CASES = [
    pytest.param(
        operation,
        status,
        id=f"{operation}-{status.value}",
        marks=[pytest.mark.committed_database] if operation in PRE_RENDERING else [],
    )
    for operation in sorted(MATRIX)
    for status in (MeetingStatus.PUBLISHED, MeetingStatus.DRAFT)
    if MATRIX[operation].scoped or status is MeetingStatus.PUBLISHED
]


@pytest.mark.parametrize(("operation", "status"), CASES)
def test_each_role_gets_the_expected_status(app, make, auth, operation, status):
    world = build_world(app, make, status)
    row = MATRIX[operation]
    got, expected = {}, {}

    for role in ROLES:
        user = world.users.get(role)
        with row.call(auth.client_for(user), world, user) as response:
            got[role], expected[role] = response.status_code, row.expected(role, status)
            if response.status_code >= 400:
                error_of(response, response.status_code)

    assert got == expected


def test_anonymous_unsafe_calls_are_401_not_a_csrf_failure(client, make):
    meeting = make.published_meeting()

    assert error_of(client.post(M, json={"title": "Kỳ họp"}), 401)["code"] == "unauthorized"
    assert error_of(client.delete(f"{M}/{meeting.id}/agenda/1"), 401)["code"] == "unauthorized"
