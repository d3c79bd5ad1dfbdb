"""Signing in and out, sessions and their CSRF token, bearer tokens, and the sign-in page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from meetings.accounts.models import ApiToken, Role, User
from meetings.db import db
from tests.client import LOGIN, error_of, json_of
from tests.factories import PASSWORD

WHOAMI = "/api/v1/auth/whoami"
LOGOUT = "/api/v1/auth/logout"
TOKENS = "/api/v1/auth/tokens"
MEETINGS = "/api/v1/meetings"
CATALOG = Path(__file__).parents[2] / "meetings" / "translations" / "vi" / "LC_MESSAGES"


# -- signing in and out -----------------------------------------------------------------------------


def test_login_returns_the_user_and_a_csrf_token_and_sets_the_session_cookie(client, make_user):
    user = make_user(role=Role.DELEGATE)

    response = client.post(LOGIN, json={"username": user.username, "password": PASSWORD})

    body = json_of(response, 200)
    assert body["user"]["id"] == user.id and body["user"]["username"] == user.username
    assert body["user"]["role"] == "delegate"
    assert len(body["csrf_token"]) > 20
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert json_of(client.get(WHOAMI), 200)["username"] == user.username


def test_login_ignores_case_and_surrounding_spaces_in_the_username(client, make_user):
    user = make_user()

    response = client.post(LOGIN, json={"username": f"  {user.username.upper()} ", "password": PASSWORD})

    assert json_of(response, 200)["user"]["id"] == user.id


@pytest.mark.parametrize("who", ["wrong password", "unknown user"])
def test_wrong_password_and_unknown_user_get_the_same_401(client, make_user, who):
    user = make_user()
    credentials = (
        {"username": user.username, "password": PASSWORD + "x"}
        if who == "wrong password"
        else {"username": "khong-ton-tai", "password": PASSWORD}
    )

    error = error_of(client.post(LOGIN, json=credentials), 401)

    assert error["code"] == "invalid_credentials"
    assert error_of(client.get(WHOAMI), 401)["code"] == "unauthorized"


def test_failed_login_is_audited_without_the_password(app, client, make_user):
    from meetings.audit.models import AuditEntry

    user = make_user()
    client.post(LOGIN, json={"username": user.username, "password": "đoán-thử"})

    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).one()
        assert entry.details == {"username": user.username}
        assert entry.actor_id is None


@pytest.mark.app_config(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute")
def test_behind_a_trusted_proxy_each_tablet_has_its_own_address_and_throttle(app, client, make_user):
    from meetings.audit.models import AuditEntry

    user = make_user()
    for tablet in ("10.8.0.21", "10.8.0.21", "10.8.0.22"):
        answer = client.post(LOGIN, json={"username": user.username, "password": "sai"},
                             headers={"X-Forwarded-For": tablet})
        assert answer.status_code == 401  # the second tablet is not throttled by the first one's tries
    assert client.post(LOGIN, json={"username": user.username, "password": "sai"},
                       headers={"X-Forwarded-For": "10.8.0.21"}).status_code == 429
    with app.app_context():
        addresses = db.session.scalars(select(AuditEntry.ip).where(AuditEntry.action == "login.failed")).all()
    assert sorted(addresses) == ["10.8.0.21", "10.8.0.21", "10.8.0.22"]


def test_an_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(active=False)

    error = error_of(client.post(LOGIN, json={"username": user.username, "password": PASSWORD}), 401)

    assert error["code"] == "invalid_credentials"


def test_a_deactivated_account_loses_its_open_session(app, auth, make_user):
    user = make_user()
    auth.login(user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()

    assert error_of(auth.client.get(WHOAMI), 401)["code"] == "unauthorized"


def test_logout_ends_the_session(auth, make_user):
    auth.login(make_user())

    assert auth.client.post(LOGOUT).status_code == 204

    assert error_of(auth.client.get(WHOAMI), 401)["code"] == "unauthorized"


def test_whoami_without_signing_in_is_401_with_the_envelope(client):
    assert error_of(client.get(WHOAMI), 401)["code"] == "unauthorized"


def test_passwords_are_stored_hashed_never_in_clear(app, make_user):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        row.set_password("Mật khẩu mới 2027")
        db.session.commit()
        stored = db.session.get(User, user.id).password_hash

        assert stored and "Mật khẩu mới 2027" not in stored
        assert row.check_password("Mật khẩu mới 2027")
        assert not row.check_password("mật khẩu mới 2027")


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_login_is_rate_limited_with_the_envelope(client, make_user):
    user = make_user()
    for _ in range(3):
        error_of(client.post(LOGIN, json={"username": user.username, "password": "sai"}), 401)

    error = error_of(client.post(LOGIN, json={"username": user.username, "password": PASSWORD}), 429)

    assert error["code"] == "rate_limited"


# -- CSRF ------------------------------------------------------------------------------------------


def test_an_unsafe_call_with_the_session_cookie_but_no_csrf_token_is_refused(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))

    error = error_of(auth.client.post(MEETINGS, json={"title": "Kỳ họp bất thường"}, csrf=False), 400)

    assert error["code"] == "csrf_failed"


def test_an_unsafe_call_with_a_wrong_csrf_token_is_refused(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))

    response = auth.client.post(
        MEETINGS, json={"title": "Kỳ họp bất thường"}, csrf=False, headers={"X-CSRFToken": "giả-mạo"}
    )

    assert error_of(response, 400)["code"] == "csrf_failed"


def test_an_unsafe_call_with_the_csrf_token_from_login_succeeds(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))

    response = auth.client.post(MEETINGS, json={"title": "Kỳ họp bất thường"})

    assert json_of(response, 201)["title"] == "Kỳ họp bất thường"


def test_whoami_hands_a_session_its_csrf_token(auth, make_user):
    auth.login(make_user(role=Role.SECRETARY))
    token = json_of(auth.client.get(WHOAMI), 200)["csrf_token"]

    response = auth.client.post(
        MEETINGS, json={"title": "Kỳ họp"}, csrf=False, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 201


# -- bearer tokens ---------------------------------------------------------------------------------


def test_a_new_api_token_is_shown_once_and_only_its_hash_is_stored(app, auth, make_user):
    auth.login(make_user())

    created = json_of(auth.client.post(TOKENS, json={"name": "Cổng thông tin"}), 201)
    listed = json_of(auth.client.get(TOKENS), 200)

    assert created["token"].startswith(ApiToken.PREFIX)
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    with app.app_context():
        row = db.session.get(ApiToken, created["id"])
        assert row.token_hash == ApiToken.digest(created["token"]) != created["token"]


def test_a_bearer_token_authenticates_without_cookie_or_csrf(app, auth, make_user):
    secretary = make_user(role=Role.SECRETARY)
    auth.login(secretary)
    token = json_of(auth.client.post(TOKENS, json={"name": "Hệ thống văn bản"}), 201)["token"]
    integration = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}

    me = json_of(integration.get(WHOAMI, headers=bearer), 200)
    created = integration.post(MEETINGS, json={"title": "Kỳ họp chuyên đề"}, headers=bearer)

    assert me["username"] == secretary.username and me["via"] == "token" and me["csrf_token"] is None
    assert json_of(created, 201)["title"] == "Kỳ họp chuyên đề"
    # the token signs in each call, and leaves no session behind
    assert error_of(integration.get(WHOAMI), 401)["code"] == "unauthorized"


def test_a_revoked_bearer_token_is_refused(app, auth, make_user):
    auth.login(make_user())
    created = json_of(auth.client.post(TOKENS, json={"name": "Tạm thời"}), 201)
    bearer = {"Authorization": f"Bearer {created['token']}"}
    assert app.test_client().get(WHOAMI, headers=bearer).status_code == 200

    assert auth.client.delete(f"{TOKENS}/{created['id']}").status_code == 204

    assert error_of(app.test_client().get(WHOAMI, headers=bearer), 401)["code"] == "unauthorized"
    assert json_of(auth.client.get(TOKENS), 200) == []


def test_nobody_revokes_another_users_token(auth, make, make_user):
    row, _ = make.api_token(make_user())
    auth.login(make_user())

    assert error_of(auth.client.delete(f"{TOKENS}/{row.id}"), 404)["code"] == "not_found"


def test_a_bearer_token_of_an_inactive_account_is_refused(app, make, make_user):
    user = make_user()
    _, token = make.api_token(user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()

    error_of(app.test_client().get(WHOAMI, headers={"Authorization": f"Bearer {token}"}), 401)


def test_a_bearer_token_sent_with_a_session_cookie_does_not_bypass_csrf(auth, make, make_user):
    secretary = make_user(role=Role.SECRETARY)
    _, token = make.api_token(secretary)
    auth.login(secretary)

    response = auth.client.post(
        MEETINGS, json={"title": "Kỳ họp"}, csrf=False, headers={"Authorization": f"Bearer {token}"}
    )

    assert error_of(response, 400)["code"] == "csrf_failed"


def test_an_unknown_bearer_token_is_401(client):
    response = client.get(WHOAMI, headers={"Authorization": "Bearer pm_không-có-thật"})

    assert error_of(response, 401)["code"] == "unauthorized"


# -- the sign-in page ------------------------------------------------------------------------------


def _html_lang(page: str) -> str:
    match = re.search(r'<html lang="([a-z-]+)"', page)
    assert match, page[:200]
    return match.group(1)


def test_the_sign_in_page_is_vietnamese_by_default(client):
    response = client.get("/login")

    assert response.status_code == 200
    assert _html_lang(response.get_data(as_text=True)) == "vi"


@pytest.mark.skipif(
    not (CATALOG / "messages.po").exists(),
    reason="no Vietnamese catalog yet (meetings/translations/vi/LC_MESSAGES/messages.po); "
    "the maintainer adds it, `make setup` compiles it",
)
def test_the_sign_in_page_speaks_vietnamese_by_default(client):
    assert (CATALOG / "messages.mo").exists(), "the Vietnamese catalog is not compiled: run `make setup`"

    page = client.get("/login").get_data(as_text=True)

    assert "Đăng nhập" in page
    assert "Sign in" not in page


@pytest.mark.parametrize(
    "ask",
    [{"query_string": {"lang": "en"}}, {"headers": {"Accept-Language": "en-GB,en;q=0.9"}}],
    ids=["lang=en", "Accept-Language"],
)
def test_the_sign_in_page_speaks_english_when_asked(client, ask):
    page = client.get("/login", **ask).get_data(as_text=True)

    assert _html_lang(page) == "en"
    assert "Sign in" in page


def test_the_language_chosen_with_lang_sticks_for_the_session(client):
    client.get("/login", query_string={"lang": "en"})

    assert _html_lang(client.get("/login").get_data(as_text=True)) == "en"


def _csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page
    )
    assert match, "the sign-in form carries a CSRF token"
    return match.group(1)


def _web_login(client, user, next_url: str):
    token = _csrf_of(client.get("/login", query_string={"next": next_url}).get_data(as_text=True))
    return client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "next": next_url, "csrf_token": token},
    )


def test_web_sign_in_follows_a_same_site_next(client, make_user):
    response = _web_login(client, make_user(), "/meetings/7?tab=agenda")

    assert response.status_code == 302
    assert response.headers["Location"] == "/meetings/7?tab=agenda"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phishing",
        "//evil.example/phishing",
        "///evil.example/phishing",
        "/\\evil.example/phishing",
        "\\\\evil.example/phishing",
        "https:evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
def test_web_sign_in_never_redirects_off_site(client, make_user, next_url):
    response = _web_login(client, make_user(), next_url)

    assert response.status_code == 302
    assert _where_a_browser_goes(response.headers["Location"]).netloc == "localhost"


def _where_a_browser_goes(location: str, page: str = "http://localhost/login"):
    """Resolve a Location header as browsers do: tabs and newlines dropped, backslashes read as slashes."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin(page, cleaned))


def test_web_sign_in_without_the_forms_csrf_token_is_refused(client, make_user):
    user = make_user()

    response = client.post("/login", data={"username": user.username, "password": PASSWORD})

    assert response.status_code != 302
    assert client.get(WHOAMI).status_code == 401


def test_web_sign_in_with_a_wrong_password_shows_the_form_again_with_401(client, make_user):
    user = make_user()
    token = _csrf_of(client.get("/login").get_data(as_text=True))

    response = client.post("/login", data={"username": user.username, "password": "sai", "csrf_token": token})

    assert response.status_code == 401
    assert 'role="alert"' in response.get_data(as_text=True)
    assert client.get(WHOAMI).status_code == 401


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_the_form_and_the_api_share_one_sign_in_budget_and_429_says_when_to_retry(client, make_user):
    user = make_user()
    for _ in range(2):
        error_of(client.post(LOGIN, json={"username": user.username, "password": "sai"}), 401)
    # the third try through the sign-in form spends the same budget
    client.post("/login", data={"username": user.username, "password": "sai"})

    refused = client.post(LOGIN, json={"username": user.username, "password": PASSWORD})
    assert error_of(refused, 429)["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
