"""Signing out ends the session on the server (a copied cookie is worth nothing after), on that
device only, and every sign-in gets a new CSRF token. Cards: tests/integration/attendance/test_delegate_cards.py."""

from __future__ import annotations

from typing import Any

WHOAMI = "/api/v1/auth/whoami"


def cookie_of(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return str(cookie.value)


def test_a_session_cookie_copied_before_signing_out_is_refused_after(auth: Any, make: Any) -> None:
    user = make.user()
    client = auth.client_for(user)
    stolen = cookie_of(client)
    assert client.post("/api/v1/auth/logout", headers={"X-CSRFToken": client.csrf_token}).status_code == 204

    thief = auth.client_for(None)
    thief.set_cookie("session", stolen)
    assert thief.get(WHOAMI).status_code == 401


def test_signing_out_on_one_device_leaves_the_others_signed_in(auth: Any, make: Any) -> None:
    user = make.user()
    tablet, phone = auth.client_for(user), auth.client_for(user)
    tablet.post("/api/v1/auth/logout", headers={"X-CSRFToken": tablet.csrf_token})
    assert tablet.get(WHOAMI).status_code == 401
    assert phone.get(WHOAMI).status_code == 200


def test_every_sign_in_gets_a_new_csrf_token(auth: Any, make: Any) -> None:
    user = make.user()
    client = auth.client_for(None)
    first = client.login(user)["csrf_token"]
    second = client.login(user)["csrf_token"]
    assert first != second
    # the old one no longer passes for the session
    stale = client.post("/api/v1/auth/tokens", json={"name": "x"}, headers={"X-CSRFToken": first})
    assert stale.status_code == 400 and stale.get_json()["error"]["code"] == "csrf_failed"


def test_the_language_chosen_before_signing_in_stays_after(auth: Any, make: Any) -> None:
    user = make.user()
    client = auth.client_for(None)
    client.get("/login?lang=en")
    client.login(user)
    assert "lang=\"en\"" in client.get("/").get_data(as_text=True)
