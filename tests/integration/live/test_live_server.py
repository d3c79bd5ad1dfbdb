"""The live layer against a real gevent server process, with real Socket.IO clients."""

from __future__ import annotations

import itertools
import os
import uuid
from typing import Any

import pytest

from meetings.dossiers.models import Confidentiality
from tests.live import LiveClient, LiveServer
from tests.pdfs import make_pdf

#: server processes read the database: a real, committed one per test
pytestmark = pytest.mark.committed_database

IN_CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_serial = itertools.count()


def highlight(document: Any, visibility: str = "private", **extra: Any) -> dict[str, Any]:
    return {"document": document.id, "page": 1, "kind": "highlight", "visibility": visibility,
            "geometry": {"rects": [[36, 38, 200, 52]]}, "quote": {"exact": "Dự toán ngân sách"},
            "client_id": f"test-{uuid.uuid4()}", **extra}


@pytest.fixture
def hall(make: Any) -> dict[str, Any]:
    """A published meeting: anh and binh in Tổ 1, chi in Tổ 2, a document for all."""
    meeting = make.published_meeting()
    anh, binh, chi = (make.user(full_name=name) for name in ("Nguyễn Văn Anh", "Trần Thị Bình", "Lê Văn Chí"))
    for user in (anh, binh, chi):
        make.participant(meeting, user)
    group_one = make.group(meeting, [anh, binh], name="Tổ 1")
    make.group(meeting, [chi], name="Tổ 2")
    document = make.document(meeting, make_pdf(pages=2))
    return {"meeting": meeting, "anh": anh, "binh": binh, "chi": chi, "group": group_one, "document": document}


def created(annotation_id: int) -> Any:
    return lambda e: e["type"] == "annotation.created" and e["data"]["id"] == annotation_id


def test_connection_without_session_or_token_is_refused(server: LiveServer) -> None:
    with pytest.raises(Exception, match="(?i)connect"):
        LiveClient(server)


def test_a_bearer_token_authenticates_the_connection(server: LiveServer, make: Any, hall: dict) -> None:
    _, token = make.api_token(hall["anh"])
    client = LiveClient(server, token=token)
    try:
        assert client.join(hall["meeting"].id)["ok"]
    finally:
        client.close()
    with pytest.raises(Exception, match="(?i)connect"):
        LiveClient(server, token="pm_not-a-token")


def test_group_annotation_reaches_the_group_only_live_and_after_reconnect(
        server: LiveServer, clients: dict[str, LiveClient], hall: dict) -> None:
    anh, binh, chi = clients["anh"], clients["binh"], clients["chi"]
    ack = anh.call("annotation.create", highlight(hall["document"], "group", note="Tổ mình xem kỹ mục này"))
    assert ack["ok"] and ack["annotation"]["group_id"] == hall["group"].id
    shared = ack["annotation"]["id"]
    event = binh.wait_for(created(shared))
    assert event["seq"] == ack["seq"] and event["meeting"] == hall["meeting"].id
    assert event["data"]["note"] == "Tổ mình xem kỹ mục này"
    assert event["data"]["author_name"] == "Nguyễn Văn Anh"  # a reader can say who wrote it at once
    # a later meeting-wide annotation reaches chi: by then the group one would have, had it leaked
    everyone = anh.call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    chi.wait_for(created(everyone))
    assert not any(e["data"].get("id") == shared for e in chi.events)
    # reconnecting with since: the same rule answers what was missed
    assert [e["data"]["id"] for e in chi.join(hall["meeting"].id, since=0)["missed"]] == [everyone]
    assert [e["data"]["id"] for e in binh.join(hall["meeting"].id, since=0)["missed"]] == [shared, everyone]


def test_private_annotation_stays_with_its_author(server: LiveServer, clients: dict[str, LiveClient],
                                                  hall: dict) -> None:
    mine = clients["anh"].call("annotation.create", highlight(hall["document"], "private"))["annotation"]["id"]
    clients["anh"].wait_for(created(mine))
    marker = clients["anh"].call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    for other in ("binh", "chi"):
        clients[other].wait_for(created(marker))
        assert not any(e["data"].get("id") == mine for e in clients[other].events)
        assert all(e["data"]["id"] != mine for e in clients[other].join(hall["meeting"].id, since=0)["missed"])


def test_repeating_a_client_id_stores_once_and_answers_the_stored_result(
        server: LiveServer, clients: dict[str, LiveClient], hall: dict) -> None:
    payload = highlight(hall["document"], "meeting")
    first = clients["anh"].call("annotation.create", payload)
    again = clients["anh"].call("annotation.create", payload)
    assert again["ok"] and again["repeated"] and again["annotation"]["id"] == first["annotation"]["id"]
    marker = clients["anh"].call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    clients["binh"].wait_for(created(marker))
    assert sum(1 for e in clients["binh"].events if e["data"]["id"] == first["annotation"]["id"]) == 1
    listed = server.get_json(f"/api/v1/meetings/{hall['meeting'].id}/annotations", clients["anh"].cookie)["items"]
    assert [a["client_id"] for a in listed].count(payload["client_id"]) == 1


def test_an_edit_against_a_stale_revision_is_refused_with_the_current_one(
        server: LiveServer, clients: dict[str, LiveClient], hall: dict) -> None:
    annotation = clients["anh"].call("annotation.create", highlight(hall["document"], "group"))["annotation"]
    tablet = {"id": annotation["id"], "revision": 1, "note": "từ máy tính bảng", "client_id": f"t-{uuid.uuid4()}"}
    phone = {"id": annotation["id"], "revision": 1, "note": "từ điện thoại", "client_id": f"p-{uuid.uuid4()}"}
    assert clients["anh"].call("annotation.update", tablet)["annotation"]["revision"] == 2
    refused = clients["anh"].call("annotation.update", phone)
    assert refused["ok"] is False and refused["error"]["code"] == "stale_revision"
    assert refused["error"]["current"] == 2 and refused["error"]["annotation"]["note"] == "từ máy tính bảng"
    # the tablet's retry of the edit it already made is answered, not refused
    assert clients["anh"].call("annotation.update", tablet)["repeated"] is True
    # and nobody else may edit it at all
    stranger = clients["binh"].call("annotation.update", {**phone, "revision": 2, "client_id": f"b-{uuid.uuid4()}"})
    assert stranger["error"]["code"] == "not_found"


def test_narrowing_visibility_tells_those_who_lose_sight_of_it(server: LiveServer, clients: dict[str, LiveClient],
                                                               hall: dict) -> None:
    annotation = clients["anh"].call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]
    clients["chi"].wait_for(created(annotation["id"]))
    ack = clients["anh"].call("annotation.update", {"id": annotation["id"], "revision": 1, "visibility": "group",
                                                    "client_id": f"n-{uuid.uuid4()}"})
    assert ack["ok"]
    hidden = clients["chi"].wait_for(lambda e: e["type"] == "annotation.hidden")
    assert hidden["data"]["id"] == annotation["id"]
    updated = clients["binh"].wait_for(lambda e: e["type"] == "annotation.updated")
    assert updated["data"]["visibility"] == "group" and updated["seq"] > hidden["seq"]
    assert not any(e["type"] == "annotation.updated" for e in clients["chi"].events)


def test_a_restricted_documents_annotations_reach_its_readers_only(server: LiveServer, make: Any,
                                                                   clients: dict[str, LiveClient], hall: dict) -> None:
    restricted = make.document(hall["meeting"], make_pdf(), readers=[hall["anh"], hall["binh"]],
                               confidentiality=Confidentiality.RESTRICTED)
    ack = clients["anh"].call("annotation.create", highlight(restricted, "meeting"))
    clients["binh"].wait_for(created(ack["annotation"]["id"]))
    marker = clients["anh"].call("annotation.create", highlight(hall["document"], "meeting"))["annotation"]["id"]
    clients["chi"].wait_for(created(marker))
    assert not any(e["data"].get("document") == restricted.id for e in clients["chi"].events)
    assert all(e["data"]["document"] != restricted.id for e in clients["chi"].join(hall["meeting"].id, 0)["missed"])
    refused = clients["chi"].call("annotation.create", highlight(restricted, "private"))
    assert refused["error"]["code"] == "not_found"


def test_unknown_actions_and_bad_payloads_get_an_error_ack(server: LiveServer, clients: dict[str, LiveClient],
                                                           hall: dict) -> None:
    assert clients["anh"].call("annotation.explode", {})["error"]["code"] == "unknown_event"
    assert clients["anh"].call("annotation.create", "not an object")["error"]["code"] == "not_found"
    bad = highlight(hall["document"], geometry={"rects": [[1, 2, "x", 4]]})
    assert clients["anh"].call("annotation.create", bad)["error"]["code"] == "invalid"
    assert clients["anh"].call("join", {"meeting": "one"})["error"]["code"] == "invalid"


def test_sequence_numbers_increase_strictly_per_meeting(server: LiveServer, clients: dict[str, LiveClient],
                                                        hall: dict) -> None:
    seqs = [clients[name].call("annotation.create", highlight(hall["document"], "meeting"))["seq"]
            for name in ("anh", "binh", "chi", "anh", "binh")]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert clients["chi"].join(hall["meeting"].id)["seq"] == seqs[-1]


def test_an_acknowledged_annotation_survives_the_server_being_killed(app: Any, hall: dict) -> None:
    server = LiveServer(app).start()
    try:
        anh = LiveClient(server, hall["anh"].username)
        anh.join(hall["meeting"].id)
        ack = anh.call("annotation.create", highlight(hall["document"], "group", note="đừng mất"))
        assert ack["ok"]
        server.kill()  # SIGKILL right after the acknowledgement
        anh.close()
        server.start()
        binh = LiveClient(server, hall["binh"].username)
        missed = binh.join(hall["meeting"].id, since=0)["missed"]
        assert [(e["seq"], e["data"]["id"], e["data"]["note"]) for e in missed] == \
               [(ack["seq"], ack["annotation"]["id"], "đừng mất")]
        binh.close()
    finally:
        server.stop()


def redis_or_skip() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis at TEST_REDIS_URL is not reachable: {exc}"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the Redis tests must run)")
        pytest.skip(reason)
    return REDIS_URL


def test_two_server_processes_on_redis_deliver_across_processes(app: Any, backend: str, hall: dict) -> None:
    if backend != "postgresql":
        pytest.skip("several server processes share PostgreSQL, not a SQLite file")
    queue = redis_or_skip()
    one, two = LiveServer(app, queue).start(), LiveServer(app, queue).start()
    try:
        anh, binh, chi = (LiveClient(one, hall["anh"].username), LiveClient(two, hall["binh"].username),
                          LiveClient(two, hall["chi"].username))
        for client in (anh, binh, chi):
            client.join(hall["meeting"].id)
        group_note = anh.call("annotation.create", highlight(hall["document"], "group"))["annotation"]["id"]
        binh.wait_for(created(group_note))
        everyone = anh.call("annotation.create", highlight(hall["document"], "meeting"))
        chi.wait_for(created(everyone["annotation"]["id"]))
        assert not any(e["data"]["id"] == group_note for e in chi.events)
        # and back the other way, from the second process to the first
        reply = binh.call("annotation.create", highlight(hall["document"], "meeting"))
        anh.wait_for(created(reply["annotation"]["id"]))
        assert reply["seq"] > everyone["seq"]
        for client in (anh, binh, chi):
            client.close()
    finally:
        one.stop()
        two.stop()
