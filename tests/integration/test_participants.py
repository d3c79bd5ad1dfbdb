"""Who takes part: adding people by username (new ones become accounts), importing a CSV list as
council offices keep them, and forming breakout groups of participants."""

from __future__ import annotations

import io
import unicodedata

import pytest
from sqlalchemy import func, select

from meetings.accounts.models import Role, User
from meetings.db import db
from meetings.participants.models import Participant
from tests.client import LOGIN, error_of, json_of

M = "/api/v1/meetings"


@pytest.fixture
def desk(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))
    return auth.client


def _participants(app, meeting_id: int) -> dict[str, str]:
    """username → role in the meeting, straight from the database."""
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Participant.role)
            .join(Participant.user)
            .where(Participant.meeting_id == meeting_id)
        )
        return {username: role.value for username, role in rows}


def _import(desk, meeting_id: int, content: bytes):
    return desk.post(
        f"{M}/{meeting_id}/participants/import", data={"file": (io.BytesIO(content), "dai-bieu.csv")}
    )


# -- adding by username ----------------------------------------------------------------------------


def test_an_unknown_username_becomes_an_account_whose_initial_password_works_once_shown(
    app, client, desk, make
):
    meeting = make.meeting()

    answer = json_of(
        desk.post(
            f"{M}/{meeting.id}/participants",
            json={"items": [{"username": "tran.thi.mai", "full_name": "Trần Thị Mai", "role": "delegate"}]},
        ),
        201,
    )

    password = answer["created"]["tran.thi.mai"]
    assert [(p["username"], p["full_name"], p["role"]) for p in answer["items"]] == [
        ("tran.thi.mai", "Trần Thị Mai", "delegate")
    ]
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.username == "tran.thi.mai"))
    assert stored and password not in stored
    signed_in = json_of(client.post(LOGIN, json={"username": "tran.thi.mai", "password": password}), 200)
    assert signed_in["user"]["role"] == "delegate"


def test_an_existing_account_is_added_without_a_new_password_and_its_role_updated(app, desk, make, make_user):
    meeting = make.meeting()
    delegate = make_user()
    url = f"{M}/{meeting.id}/participants"

    first = json_of(desk.post(url, json={"items": [{"username": delegate.username}]}), 201)
    again = json_of(
        desk.post(url, json={"items": [{"username": delegate.username, "role": "observer"}]}), 201
    )

    assert first["created"] == {} and again["created"] == {}
    assert _participants(app, meeting.id) == {delegate.username: "observer"}
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(User).where(User.username == delegate.username)
            )
            == 1
        )


def test_a_new_account_needs_a_full_name(app, desk, make):
    meeting = make.meeting()

    response = desk.post(f"{M}/{meeting.id}/participants", json={"items": [{"username": "vo.danh"}]})

    assert error_of(response, 422)["code"] == "invalid"
    assert _participants(app, meeting.id) == {}


@pytest.mark.parametrize("username", ["Nguyễn Văn An", "a", "-dau-gach", "có dấu"])
def test_an_invalid_username_is_refused_naming_its_row(desk, make, make_user, username):
    meeting = make.meeting()
    items = [{"username": make_user().username}, {"username": username, "full_name": "Ai Đó"}]

    error = error_of(desk.post(f"{M}/{meeting.id}/participants", json={"items": items}), 422)

    assert error["code"] in {"invalid_username", "invalid"}
    if error["code"] == "invalid_username":
        assert "2" in error["message"]


def test_adding_with_a_group_name_forms_the_group(desk, make, make_user):
    meeting = make.meeting()
    a, b = make_user(), make_user()

    json_of(
        desk.post(
            f"{M}/{meeting.id}/participants",
            json={
                "items": [
                    {"username": a.username, "group": "Tổ 1"},
                    {"username": b.username, "group": "Tổ 1"},
                ]
            },
        ),
        201,
    )

    groups = json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"]
    assert [(g["name"], sorted(g["member_ids"])) for g in groups] == [("Tổ 1", sorted([a.id, b.id]))]


def test_removing_a_participant_takes_them_out_of_groups_but_keeps_the_account(app, desk, make, make_user):
    meeting = make.meeting()
    leaving, staying = make_user(), make_user()
    participant = make.participant(meeting, leaving)
    make.participant(meeting, staying)
    group = make.group(meeting, members=[leaving, staying])

    assert desk.delete(f"{M}/{meeting.id}/participants/{participant.id}").status_code == 204

    detail = json_of(desk.get(f"{M}/{meeting.id}"), 200)
    assert [g["member_ids"] for g in detail["groups"] if g["id"] == group.id] == [[staying.id]]
    assert _participants(app, meeting.id) == {staying.username: "delegate"}
    with app.app_context():
        assert db.session.get(User, leaving.id) is not None


# -- CSV import ------------------------------------------------------------------------------------

VIETNAMESE_CSV = (
    "Họ và tên;Tên đăng nhập;Vai trò;Tổ\n"
    "Nguyễn Văn Thành;nv.thanh;Chủ tọa;\n"
    "Lê Thị Thu Hà;lt.ha;đại biểu;Tổ 1\n"
    "Phạm Đức Hiếu;pd.hieu;Khách mời;Tổ 2\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"], ids=["with BOM", "without BOM"])
def test_a_csv_with_vietnamese_headers_and_semicolons_is_imported(app, desk, make, encoding):
    meeting = make.meeting()

    answer = json_of(_import(desk, meeting.id, VIETNAMESE_CSV.encode(encoding)), 201)

    assert sorted(answer["created"]) == ["lt.ha", "nv.thanh", "pd.hieu"]
    assert {p["username"]: p["full_name"] for p in answer["items"]} == {
        "nv.thanh": "Nguyễn Văn Thành",
        "lt.ha": "Lê Thị Thu Hà",
        "pd.hieu": "Phạm Đức Hiếu",
    }
    assert _participants(app, meeting.id) == {"nv.thanh": "chair", "lt.ha": "delegate", "pd.hieu": "observer"}
    groups = json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"]
    assert sorted(g["name"] for g in groups) == ["Tổ 1", "Tổ 2"]


def test_a_csv_with_english_headers_and_commas_is_imported(app, desk, make, make_user):
    meeting = make.meeting()
    known = make_user()
    content = f"username,name,role,group\n{known.username},,delegate,Tổ 3\n".encode()

    answer = json_of(_import(desk, meeting.id, content), 201)

    assert answer["created"] == {}
    assert _participants(app, meeting.id) == {known.username: "delegate"}


def test_a_csv_with_an_unknown_role_is_refused_naming_the_line_and_adds_nobody(app, desk, make):
    meeting = make.meeting()
    content = (VIETNAMESE_CSV + "Hoàng Minh Tuấn;hm.tuan;phóng viên;Tổ 1\n").encode("utf-8-sig")

    error = error_of(_import(desk, meeting.id, content), 422)

    assert error["code"] == "invalid_csv"
    assert "5" in error["message"] and "phóng viên" in error["message"]
    assert _participants(app, meeting.id) == {}
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "nv.thanh")) is None


def windows_1258(text: str) -> bytes:
    """text as Windows' Vietnamese code page stores it: â ê ô ă ơ ư precomposed, tone marks combining."""
    out = []
    for char in text:
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in [m for m in marks if m in "\u0302\u0306\u031b"]:
            base = unicodedata.normalize("NFC", base + mark)
        out.append(base + "".join(m for m in marks if m not in "\u0302\u0306\u031b"))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize(
    "encode", [windows_1258, lambda text: text.encode("utf-16")], ids=["Windows-1258", "UTF-16"]
)
def test_a_csv_that_is_not_utf8_is_refused(app, desk, make, encode):
    meeting = make.meeting()
    content = encode(VIETNAMESE_CSV)

    assert error_of(_import(desk, meeting.id, content), 422)["code"] == "invalid_csv"
    assert _participants(app, meeting.id) == {}


def test_a_csv_without_a_username_column_is_refused(desk, make):
    meeting = make.meeting()

    response = _import(desk, meeting.id, "Họ và tên;Tổ\nNguyễn Văn An;Tổ 1\n".encode())

    assert error_of(response, 422)["code"] == "invalid_csv"


def test_an_empty_csv_is_refused(desk, make):
    assert error_of(_import(desk, make.meeting().id, b""), 422)["code"] == "empty_csv"


# -- groups ----------------------------------------------------------------------------------------


def _group(desk, meeting_id, **body):
    return desk.post(f"{M}/{meeting_id}/groups", json=body)


def test_a_group_of_participants_with_a_rapporteur_is_formed(desk, make, make_user):
    meeting = make.meeting()
    a, b = make_user(), make_user()
    for user in (a, b):
        make.participant(meeting, user)

    group = json_of(_group(desk, meeting.id, name="Tổ 1", member_ids=[a.id, b.id], rapporteur_id=b.id), 201)

    assert (group["name"], sorted(group["member_ids"]), group["rapporteur_id"]) == (
        "Tổ 1",
        sorted([a.id, b.id]),
        b.id,
    )
    listed = json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"]
    assert listed == [group]


def test_a_group_member_must_take_part_in_the_meeting(desk, make, make_user):
    meeting = make.meeting()
    member, stranger = make_user(), make_user()
    make.participant(meeting, member)

    error = error_of(_group(desk, meeting.id, name="Tổ 1", member_ids=[member.id, stranger.id]), 422)

    assert error["code"] == "not_participant" and str(stranger.id) in error["message"]
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"] == []


def test_a_rapporteur_must_be_a_member(desk, make, make_user):
    meeting = make.meeting()
    member, other = make_user(), make_user()
    for user in (member, other):
        make.participant(meeting, user)

    error = error_of(
        _group(desk, meeting.id, name="Tổ 1", member_ids=[member.id], rapporteur_id=other.id), 422
    )

    assert error["code"] == "invalid"
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"] == []


def test_a_group_name_is_unique_within_a_meeting(desk, make):
    meeting, other = make.meeting(), make.meeting()
    make.group(meeting, name="Tổ 1")

    assert error_of(_group(desk, meeting.id, name="Tổ 1"), 409)["code"] == "conflict"
    assert error_of(_group(desk, meeting.id, name="  Tổ 1 "), 409)["code"] == "conflict"
    assert json_of(_group(desk, other.id, name="Tổ 1"), 201)["name"] == "Tổ 1"


def test_updating_a_group_keeps_staying_members_and_moves_the_rapporteur(desk, make, make_user):
    meeting = make.meeting()
    staying, leaving, joining = make_user(), make_user(), make_user()
    for user in (staying, leaving, joining):
        make.participant(meeting, user)
    group = make.group(meeting, members=[staying, leaving], rapporteur=staying, name="Tổ 1")

    updated = desk.put(
        f"{M}/{meeting.id}/groups/{group.id}",
        json={"name": "Tổ 1 (mở rộng)", "member_ids": [staying.id, joining.id], "rapporteur_id": joining.id},
    )

    updated = json_of(updated, 200)
    assert (updated["name"], sorted(updated["member_ids"]), updated["rapporteur_id"]) == (
        "Tổ 1 (mở rộng)",
        sorted([staying.id, joining.id]),
        joining.id,
    )
    assert json_of(desk.get(f"{M}/{meeting.id}"), 200)["groups"] == [updated]


@pytest.mark.parametrize("column", ["name", "group", "email"])
def test_a_csv_value_too_long_for_its_column_is_refused_naming_the_line(app, desk, make, column):
    meeting = make.meeting()
    long_value = {"name": "Nguyễn " * 40, "group": "Tổ " * 80, "email": "a" * 200 + "@hdnd.gov.vn"}[column]
    content = f"username,name,{column}\nok.mot,Một,\nqua.dai,Hai,{long_value}\n"
    if column == "name":
        content = f"username,name\nok.mot,Một\nqua.dai,{long_value}\n"

    error = error_of(_import(desk, meeting.id, content.encode()), 422)

    assert error["code"] == "invalid_csv" and "3" in error["message"]
    assert _participants(app, meeting.id) == {}


def test_an_email_too_long_for_its_column_is_refused(desk, make):
    meeting = make.meeting()

    response = desk.post(
        f"{M}/{meeting.id}/participants",
        json={"items": [{"username": "thu.ky", "full_name": "Thư ký", "email": "a" * 200 + "@hdnd.gov.vn"}]},
    )

    assert error_of(response, 422)["code"] == "invalid"
