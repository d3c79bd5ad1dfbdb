"""Sockets keep their user's facts (meetings.live.facts): when the membership or the account changes,
the open sockets concerned are moved out of the rooms they may no longer be in, or disconnected."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from meetings.accounts.models import Role, User
from meetings.db import db
from meetings.live.facts import Pending
from tests.harness import request
from tests.integration.discussion.test_discussion_live import Http
from tests.integration.live.test_live_server import highlight, redis_or_skip
from tests.live import LiveClient, LiveServer
from tests.pdfs import make_pdf

pytestmark = pytest.mark.committed_database


@pytest.fixture
def hall(make: Any) -> dict[str, Any]:
    meeting = make.published_meeting()
    secretary = make.user(Role.SECRETARY, full_name="Thư ký Hương")
    anh, binh, chi = (make.user(full_name=name) for name in ("Nguyễn Văn Anh", "Trần Thị Bình", "Lê Văn Chí"))
    seats = {user.username: make.participant(meeting, user) for user in (anh, binh, chi)}
    group = make.group(meeting, [anh, binh], name="Tổ 1")
    document = make.document(meeting, make_pdf(pages=2))
    return {"meeting": meeting, "secretary": secretary, "anh": anh, "binh": binh, "chi": chi, "seats": seats,
            "group": group, "document": document}


def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Wait for the server's re-check of the sockets (a background task after the change's commit)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the sockets were never re-checked")
        time.sleep(0.05)


def created(annotation_id: int) -> Any:
    return lambda e: e["type"] == "annotation.created" and e["data"]["id"] == annotation_id


def refused(client: LiveClient, document: Any) -> Callable[[], bool]:
    return lambda: client.call("annotation.create", highlight(document, "meeting"))["ok"] is False


def test_a_removed_participant_hears_no_more_of_the_meeting(server: LiveServer, clients: dict[str, LiveClient],
                                                            hall: dict[str, Any]) -> None:
    anh, binh, chi = clients["anh"], clients["binh"], clients["chi"]
    before = anh.call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    chi.wait_for(created(before))

    secretary = Http(server, hall["secretary"].username)
    status, _ = secretary.call("DELETE", f"/api/v1/meetings/{hall['meeting'].id}/participants/"
                                         f"{hall['seats'][hall['chi'].username].id}")
    assert status == 204
    until(refused(chi, hall["document"]))  # the socket's facts know: no such document for chi now

    after = anh.call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    binh.wait_for(created(after))
    mark = binh.call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    anh.wait_for(created(mark))  # by now chi would have heard of `after` as well
    assert not any(e["type"].startswith("annotation.") and e["data"]["id"] in (after, mark) for e in chi.events)
    assert chi.join(hall["meeting"].id)["error"]["code"] == "not_found"


def test_a_group_change_moves_the_sockets_between_group_rooms(server: LiveServer, clients: dict[str, LiveClient],
                                                              hall: dict[str, Any]) -> None:
    anh, binh, chi = clients["anh"], clients["binh"], clients["chi"]
    secretary = Http(server, hall["secretary"].username)
    status, _ = secretary.call("PUT", f"/api/v1/meetings/{hall['meeting'].id}/groups/{hall['group'].id}",
                               {"name": "Tổ 1", "member_ids": [hall["anh"].id, hall["chi"].id]})
    assert status == 200

    def moved() -> bool:
        ack = chi.call("annotation.create", highlight(hall["document"], "group"))
        return bool(ack["ok"])  # chi now shares with the one group they are in

    until(moved)
    note = anh.call("annotation.create", highlight(hall["document"], "group", group_id=hall["group"].id))
    assert note["ok"], note
    chi.wait_for(created(note["annotation"]["id"]))
    mark = anh.call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    binh.wait_for(created(mark))
    assert not any(e["data"].get("id") == note["annotation"]["id"] for e in binh.events)


def test_a_deactivated_account_is_disconnected_when_another_process_says_so(app: Any, hall: dict[str, Any]) -> None:
    import redis

    queue = redis_or_skip()
    server = LiveServer(app, queue)
    channel = f"pm-test-{uuid.uuid4().hex[:12]}"  # this test's own: other servers on the Redis hear nothing
    server.env["SOCKETIO_CHANNEL"] = channel
    server.start()
    try:
        anh, chi = LiveClient(server, hall["anh"].username), LiveClient(server, hall["chi"].username)
        for client in (anh, chi):
            assert client.join(hall["meeting"].id)["ok"]
        assert chi.call("annotation.create", highlight(hall["document"], "meeting"))["ok"]
        with app.app_context():
            db.session.get(User, hall["chi"].id).active = False
            db.session.commit()
        # what the process that made the change publishes once it commits (this test's app has no queue)
        message = Pending(users={hall["chi"].id}).message()
        redis.Redis.from_url(queue).publish(f"{channel}:live-facts", json.dumps({**message, "host": "test"}))
        until(lambda: not chi.sio.connected)
        note = anh.call("annotation.create", highlight(hall["document"], "meeting"))
        assert note["ok"]
        anh.close()
        chi.close()
    finally:
        server.stop()


def _signed_in_call(server: LiveServer, cookie: str, method: str, path: str) -> int:
    """An HTTP call on the live server with a browser's cookie, and its CSRF token."""
    _, whoami, _ = request(server.port, "GET", "/api/v1/auth/whoami", headers={"Cookie": cookie})
    status, _, _ = request(server.port, method, path, headers={"Cookie": cookie, "X-CSRFToken": whoami["csrf_token"]})
    return status


def test_signing_out_closes_the_sockets_that_browser_opened(server: LiveServer, hall: dict[str, Any]) -> None:
    chi, binh = LiveClient(server, hall["chi"].username), LiveClient(server, hall["binh"].username)
    for client in (chi, binh):
        assert client.join(hall["meeting"].id)["ok"]
    assert _signed_in_call(server, chi.cookie, "POST", "/api/v1/auth/logout") == 204
    until(lambda: not chi.sio.connected)
    assert binh.sio.connected  # another person's socket is untouched
    for client in (chi, binh):
        client.close()


def test_revoking_a_token_closes_the_sockets_it_opened(server: LiveServer, make: Any, hall: dict[str, Any]) -> None:
    row, token = make.api_token(hall["anh"])
    integration, browser = LiveClient(server, token=token), LiveClient(server, hall["anh"].username)
    assert integration.join(hall["meeting"].id)["ok"] and browser.join(hall["meeting"].id)["ok"]
    assert _signed_in_call(server, browser.cookie, "DELETE", f"/api/v1/auth/tokens/{row.id}") == 204
    until(lambda: not integration.sio.connected)
    assert browser.sio.connected  # the same person's browser, signed in otherwise, stays
    for client in (integration, browser):
        client.close()
