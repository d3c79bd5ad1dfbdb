"""Personal cards: a sheet of cards whose codes each sign their own holder in, and refusals that say
why when a card is expired, revoked, tampered with or its meeting closed."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pymupdf
import pytest
import sqlalchemy as sa

from meetings.accounts.models import SignIn
from meetings.attendance.models import Attendance, AttendanceStatus, DelegateCard
from meetings.db import db, utcnow
from meetings.dossiers.models import Meeting, MeetingStatus
from tests.client import error_of
from tests.integration.attendance.conftest import BASE, path_of, pdf_pages

WHOAMI = "/api/v1/auth/whoami"


def cards_url(hall, *user_ids):
    query = "&".join(f"user_id={u}" for u in user_ids)
    return f"/api/v1/meetings/{hall.meeting.id}/cards" + (f"?{query}" if query else "")


def revoke_url(hall, user):
    return f"/api/v1/meetings/{hall.meeting.id}/cards/{user.id}/revoke"


def print_cards(auth, hall, *users):
    answer = auth.client_for(hall.secretary).get(cards_url(hall, *(u.id for u in users)))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert answer.mimetype == "application/pdf"
    return answer


def card_links(pdf: bytes) -> list[str]:
    return [url for codes, _ in pdf_pages(pdf) for url in codes]


def scan(auth, url):
    """Open a card's link on a fresh device; return the device and the answer."""
    phone = auth.client_for(None)
    return phone, phone.get(path_of(url), headers={"Accept": "text/html"})


def run(app, statement):
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()


def test_each_card_signs_in_its_own_holder_and_no_one_else(auth, hall):
    answer = print_cards(auth, hall)

    with pymupdf.open(stream=answer.data, filetype="pdf") as doc:
        assert all(round(p.rect.width) == 595 and round(p.rect.height) == 842 for p in doc)
        assert len(doc[0].get_drawings()) >= 4  # cut marks
    pages = pdf_pages(answer.data)
    links = [url for codes, _ in pages for url in codes]
    assert len(links) == len(hall.participants) == len(set(links))
    assert all(url.startswith(f"{BASE}/card/") for url in links)
    text = " ".join(" ".join(t.split()) for _, t in pages)
    for user in hall.participants:
        assert user.full_name in text
    assert "Tổ 1" in text and "Chủ tọa Nguyễn Thị Hằng" in text

    signed_in = []
    for url in links:
        phone, opened = scan(auth, url)
        assert opened.status_code == 302
        assert opened.location == f"/meetings/{hall.meeting.id}"
        signed_in.append(phone.get(WHOAMI).get_json()["id"])
        assert phone.get(opened.location).status_code == 200
    assert sorted(signed_in) == sorted(u.id for u in hall.participants)


def test_a_replacement_card_is_its_holders_and_the_old_one_stops_working(app, auth, hall):
    delegate = hall.delegates[1]
    [old] = card_links(print_cards(auth, hall, delegate).data)

    answer = auth.client_for(hall.secretary).post(revoke_url(hall, delegate))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    [new] = card_links(answer.data)
    assert new != old

    phone, opened = scan(auth, new)
    assert opened.status_code == 302
    assert phone.get(WHOAMI).get_json()["id"] == delegate.id
    with app.app_context():
        card = db.session.get(DelegateCard, int(answer.headers["X-Card-Id"]))
        assert card.user_id == delegate.id and card.last_used_at is not None

    refused_phone, refused = scan(auth, old)
    assert refused.status_code == 410
    assert 'data-reason="revoked"' in refused.get_data(as_text=True)
    error_of(refused_phone.get(WHOAMI), 401)


def test_cards_are_printed_once_until_revoked(auth, hall):
    print_cards(auth, hall)
    again = auth.client_for(hall.secretary).get(cards_url(hall))
    assert error_of(again, 409)["code"] == "cards_already_issued"
    newcomer = hall.make.user(full_name="Đại biểu mới Lý Thanh")
    hall.make.participant(hall.meeting, newcomer)
    answer = print_cards(auth, hall)
    assert answer.headers["X-Cards-Issued"] == "1"
    assert answer.headers["X-Cards-Skipped"] == str(len(hall.participants))
    assert "Lý Thanh" in " ".join(pdf_pages(answer.data)[0][1].split())


def test_tokens_are_stored_only_as_hashes(app, auth, hall):
    links = card_links(print_cards(auth, hall).data)
    tokens = [path_of(url).removeprefix("/card/") for url in links]

    with app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM delegate_cards")).mappings().all()
    stored = " ".join(str(value) for row in rows for value in row.values())
    for token in tokens:
        assert token not in stored
        assert token.split(".")[0] not in stored
    assert {row["token_hash"] for row in rows} == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}


@pytest.mark.parametrize("change", ["first", "last", "signature"])
def test_a_tampered_link_is_refused(auth, hall, change):
    [url] = card_links(print_cards(auth, hall, hall.delegates[0]).data)
    random_part, signature = path_of(url).removeprefix("/card/").split(".")
    flip = {"A": "B"}.get
    if change == "first":
        token = (flip(random_part[0]) or "A") + random_part[1:] + "." + signature
    elif change == "last":
        token = random_part + "." + signature[:-1] + (flip(signature[-1]) or "A")
    else:
        token = random_part + "." + signature[::-1]

    phone, refused = scan(auth, f"{BASE}/card/{token}")

    assert refused.status_code == 404
    assert 'data-reason="invalid"' in refused.get_data(as_text=True)
    error_of(phone.get(WHOAMI), 401)


def test_an_expired_card_is_refused(app, auth, hall):
    [url] = card_links(print_cards(auth, hall, hall.delegates[0]).data)
    run(app, sa.update(DelegateCard).values(expires_at=utcnow() - dt.timedelta(minutes=1)))

    phone, refused = scan(auth, url)

    assert refused.status_code == 410
    assert 'data-reason="expired"' in refused.get_data(as_text=True)
    error_of(phone.get(WHOAMI), 401)


def test_a_card_is_refused_once_the_meeting_is_closed(app, auth, hall):
    [url] = card_links(print_cards(auth, hall, hall.delegates[0]).data)
    run(app, sa.update(Meeting).where(Meeting.id == hall.meeting.id).values(status=MeetingStatus.CLOSED))

    phone, refused = scan(auth, url)

    assert refused.status_code == 410
    assert 'data-reason="closed"' in refused.get_data(as_text=True)
    error_of(phone.get(WHOAMI), 401)


def test_the_refusal_is_in_the_users_language(auth, hall):
    phone = auth.client_for(None)
    answer = phone.get("/card/abc.def", headers={"Accept": "text/html", "Accept-Language": "vi"})
    assert answer.status_code == 404
    assert "<html lang=\"vi\"" in answer.get_data(as_text=True)


def test_default_expiry_is_the_end_of_the_last_sitting(app, auth, hall):
    hall.make.sitting(hall.meeting, date=dt.date.today() + dt.timedelta(days=3), ends_at=dt.time(17, 0))
    print_cards(auth, hall, hall.delegates[0])
    with app.app_context():
        card = db.session.scalar(sa.select(DelegateCard))
    local = card.expires_at.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert (local.date(), local.time()) == (dt.date.today() + dt.timedelta(days=3), dt.time(17, 0))


def test_default_expiry_without_sittings_is_a_week(app, auth, hall):
    print_cards(auth, hall, hall.delegates[0])
    with app.app_context():
        card = db.session.scalar(sa.select(DelegateCard))
    assert dt.timedelta(days=6, hours=23) < card.expires_at - utcnow() <= dt.timedelta(days=7)


@pytest.mark.app_config(CARD_TTL_HOURS=2)
def test_card_lifetime_is_configurable(app, auth, hall):
    print_cards(auth, hall, hall.delegates[0])
    with app.app_context():
        card = db.session.scalar(sa.select(DelegateCard))
    assert dt.timedelta(hours=1, minutes=59) < card.expires_at - utcnow() <= dt.timedelta(hours=2)


def test_scanning_a_card_during_a_sitting_checks_its_holder_in(app, auth, hall):
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    under_way = hall.make.sitting(hall.meeting, date=today)  # no times: it lasts the day
    later = hall.make.sitting(hall.meeting, date=today + dt.timedelta(days=2))
    delegate = hall.delegates[2]
    [url] = card_links(print_cards(auth, hall, delegate).data)
    before = utcnow()

    scan(auth, url)

    with app.app_context():
        rows = db.session.scalars(sa.select(Attendance)).all()
    assert [(r.sitting_id, r.user_id, r.status, r.marked_by_id) for r in rows] == [
        (under_way.id, delegate.id, AttendanceStatus.PRESENT_IN_HALL, delegate.id)]
    assert rows[0].marked_at >= before - dt.timedelta(seconds=1)
    assert later.id not in {r.sitting_id for r in rows}


def test_scanning_outside_any_sitting_only_signs_in(app, auth, hall):
    hall.make.sitting(hall.meeting, date=dt.date.today() + dt.timedelta(days=5))
    [url] = card_links(print_cards(auth, hall, hall.delegates[0]).data)

    _, opened = scan(auth, url)

    assert opened.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


@pytest.mark.app_config(CARD_RATE_LIMIT="3 per minute")
def test_card_links_are_rate_limited(auth, hall):
    phone = auth.client_for(None)
    answers = [phone.get(f"/card/guess{n}.x", headers={"Accept": "text/html"}).status_code for n in range(4)]
    assert answers == [404, 404, 404, 429]


def test_only_secretaries_print_and_revoke_cards(auth, hall):
    delegate = hall.delegates[0]
    for method, url in (("get", cards_url(hall)), ("post", revoke_url(hall, delegate))):
        error_of(getattr(auth.client_for(None), method)(url), 401)
        error_of(getattr(auth.client_for(hall.outsider), method)(url), 404)
        for user in (delegate, hall.chair, hall.observer):
            error_of(getattr(auth.client_for(user), method)(url), 403)
    error_of(auth.client_for(hall.secretary).post(revoke_url(hall, hall.outsider)), 404)
    error_of(auth.client_for(hall.secretary).get(cards_url(hall, hall.outsider.id)), 422)


# -- what a card's sign-in may do, and when it ends ------------------------------------------------


def test_revoking_a_card_signs_out_the_browser_it_opened_and_a_card_cannot_mint_tokens(
        app: Any, auth: Any, hall: Any) -> None:
    delegate = hall.delegates[0]
    phone, answer = scan(auth, card_links(print_cards(auth, hall, delegate).get_data())[0])
    assert answer.status_code == 302
    assert phone.get("/api/v1/auth/whoami").status_code == 200
    csrf = phone.get("/api/v1/auth/whoami").get_json()["csrf_token"]
    refused = phone.post("/api/v1/auth/tokens", json={"name": "mãi mãi"}, headers={"X-CSRFToken": csrf})
    assert refused.status_code == 403

    revoke = auth.client_for(hall.secretary)
    assert revoke.post(revoke_url(hall, delegate), headers={"X-CSRFToken": revoke.csrf_token}).status_code == 200
    assert phone.get("/api/v1/auth/whoami").status_code == 401


def test_a_cards_browser_signs_out_when_the_card_expires(app: Any, auth: Any, hall: Any) -> None:
    phone, answer = scan(auth, card_links(print_cards(auth, hall, hall.delegates[1]).get_data())[0])
    assert phone.get("/api/v1/auth/whoami").status_code == 200
    with app.app_context():
        db.session.execute(sa.update(SignIn).where(SignIn.card_id.is_not(None))
                           .values(expires_at=utcnow() - dt.timedelta(minutes=1)))
        db.session.commit()
    assert phone.get("/api/v1/auth/whoami").status_code == 401
