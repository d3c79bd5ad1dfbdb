"""Attendance: bulk marking by the secretary, counts per status, and the quorum of members."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from meetings.db import db
from meetings.live.models import Event
from tests.client import error_of, json_of


def url(hall, sitting):
    return f"/api/v1/meetings/{hall.meeting.id}/sittings/{sitting.id}/attendance"


def mark(client, hall, sitting, users, status, reason=""):
    items = [{"user_id": u.id, "status": status, "reason": reason} for u in users]
    return json_of(client.post(url(hall, sitting), json={"items": items}), 200)


def test_everyone_starts_not_yet_marked_and_the_quorum_is_two_thirds_of_members(auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8))
    auth.login(hall.secretary)

    sheet = json_of(auth.client.get(url(hall, sitting)), 200)

    assert {i["user_id"] for i in sheet["items"]} == {u.id for u in hall.participants}
    assert all(i["status"] is None for i in sheet["items"])
    assert sheet["counts"] == {"present_in_hall": 0, "online": 0, "absent": 0, "excused": 0, "none": 8}
    # six delegates and the chair are members; the observer is not
    assert sheet["quorum"] == {"numerator": 2, "denominator": 3, "members": 7, "required": 5, "present": 0,
                               "met": False}


def test_bulk_marking_counts_and_meets_the_quorum_with_enough_members(app, auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8))
    auth.login(hall.secretary)
    d = hall.delegates

    sheet = mark(auth.client, hall, sitting, [d[0], d[1], d[2]], "present_in_hall")
    sheet = mark(auth.client, hall, sitting, [d[3], hall.observer], "online")
    sheet = mark(auth.client, hall, sitting, [d[4]], "excused", "Đi công tác")
    assert sheet["counts"] == {"present_in_hall": 3, "online": 2, "absent": 0, "excused": 1, "none": 2}
    assert (sheet["quorum"]["present"], sheet["quorum"]["met"]) == (4, False)  # the observer does not count
    excused = next(i for i in sheet["items"] if i["user_id"] == d[4].id)
    assert (excused["status"], excused["reason"]) == ("excused", "Đi công tác")

    sheet = mark(auth.client, hall, sitting, [hall.chair], "present_in_hall")
    assert (sheet["quorum"]["present"], sheet["quorum"]["required"], sheet["quorum"]["met"]) == (5, 5, True)

    # marking again replaces the earlier mark
    sheet = mark(auth.client, hall, sitting, [d[0]], "absent", "Ốm")
    assert (sheet["quorum"]["present"], sheet["quorum"]["met"]) == (4, False)
    assert sheet["counts"]["absent"] == 1 and sheet["counts"]["present_in_hall"] == 3

    with app.app_context():
        kinds = db.session.scalars(sa.select(Event.type).where(Event.meeting_id == hall.meeting.id)).all()
        audiences = db.session.scalars(sa.select(Event.audience_id).where(Event.type == "attendance.changed")).all()
    assert kinds.count("attendance.changed") == 5
    assert set(audiences) == {None}  # replayed to nobody: delegates never see others' attendance


def test_the_quorum_share_is_the_meetings_own(auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8))
    auth.login(hall.secretary)
    mark(auth.client, hall, sitting, hall.delegates[:4], "present_in_hall")

    answer = auth.client.patch(f"/api/v1/meetings/{hall.meeting.id}/quorum", json={"numerator": 1, "denominator": 2})

    assert json_of(answer, 200) == {"numerator": 1, "denominator": 2}
    quorum = json_of(auth.client.get(url(hall, sitting)), 200)["quorum"]
    assert (quorum["required"], quorum["present"], quorum["met"]) == (4, 4, True)
    bad = auth.client.patch(f"/api/v1/meetings/{hall.meeting.id}/quorum", json={"numerator": 3, "denominator": 2})
    error_of(bad, 422)


def test_marks_are_only_for_participants_with_known_statuses(auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8))
    auth.login(hall.secretary)
    stranger = auth.client.post(url(hall, sitting), json={"items": [{"user_id": hall.outsider.id,
                                                                      "status": "online"}]})
    assert error_of(stranger, 422)["code"] == "not_participant"
    unknown = auth.client.post(url(hall, sitting), json={"items": [{"user_id": hall.delegates[0].id,
                                                                     "status": "asleep"}]})
    error_of(unknown, 422)
    error_of(auth.client.post(url(hall, sitting), json={"items": []}), 422)


def test_secretaries_mark_the_chair_watches_delegates_see_nothing(auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8))
    body = {"items": [{"user_id": hall.delegates[0].id, "status": "online"}]}
    page = f"/meetings/{hall.meeting.id}/attendance"

    error_of(auth.client_for(None).get(url(hall, sitting)), 401)
    error_of(auth.client_for(None).post(url(hall, sitting), json=body), 401)
    error_of(auth.client_for(hall.outsider).get(url(hall, sitting)), 404)
    for user in (hall.delegates[0], hall.observer):
        error_of(auth.client_for(user).get(url(hall, sitting)), 403)
        error_of(auth.client_for(user).post(url(hall, sitting), json=body), 403)
        assert auth.client_for(user).get(page).status_code == 403
    chair = auth.client_for(hall.chair)
    json_of(chair.get(url(hall, sitting)), 200)
    error_of(chair.post(url(hall, sitting), json=body), 403)
    error_of(chair.patch(f"/api/v1/meetings/{hall.meeting.id}/quorum", json={"numerator": 1, "denominator": 2}), 403)
    assert chair.get(page).status_code == 200
    assert auth.client_for(hall.secretary).get(page).status_code == 200
    error_of(auth.client_for(hall.secretary).get(url(hall, hall.make.sitting(hall.make.published_meeting()))), 404)


def test_the_attendance_page_shows_every_participant_and_the_quorum(auth, hall):
    sitting = hall.make.sitting(hall.meeting, date=dt.date(2027, 7, 8), title="Phiên bế mạc")
    auth.login(hall.secretary)
    mark(auth.client, hall, sitting, hall.delegates[:2], "present_in_hall")

    html = auth.client.get(f"/meetings/{hall.meeting.id}/attendance?sitting={sitting.id}",
                           headers={"Accept-Language": "en"}).get_data(as_text=True)

    for user in hall.participants:
        assert user.full_name in html
    assert html.count('data-status="present_in_hall"') == 2
    assert "Quorum not met" in html
    assert "<script>" not in html  # CSP: modules from files only
