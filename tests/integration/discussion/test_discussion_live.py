"""Comments and breakout-group discussion against a real gevent server with real Socket.IO clients.

A server start costs seconds: each test shares one setup among several checks."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from meetings.accounts.models import Role
from meetings.participants.models import MeetingRole
from tests.factories import PASSWORD
from tests.live import LiveClient, LiveServer
from tests.pdfs import make_pdf

#: server processes read the database: a real, committed one per test
pytestmark = pytest.mark.committed_database

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def cid() -> str:
    return f"test-{uuid.uuid4()}"


class Http:
    """A signed-in HTTP session on the live server (cookie and CSRF token), for the JSON API."""

    def __init__(self, server: LiveServer, username: str) -> None:
        self.server = server
        request = urllib.request.Request(
            f"{server.url}/api/v1/auth/login",
            data=json.dumps({"username": username, "password": PASSWORD}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
            self.csrf = json.loads(response.read())["csrf_token"]
            self.cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie"))

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.server.url}{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"null")

    def get(self, path: str) -> Any:
        status, body = self.call("GET", path)
        assert status == 200, body
        return body


@pytest.fixture
def hall(make: Any) -> dict[str, Any]:
    """A published meeting: anh (rapporteur) and binh in Tổ 1, chi in Tổ 2, a chair, a secretary."""
    meeting = make.published_meeting()
    anh, binh, chi = (make.user(full_name=name) for name in ("Nguyễn Văn Anh", "Trần Thị Bình", "Lê Văn Chí"))
    chair = make.user(Role.CHAIR, full_name="Chủ tọa")
    secretary = make.user(Role.SECRETARY, full_name="Thư ký")
    for user in (anh, binh, chi):
        make.participant(meeting, user)
    make.participant(meeting, chair, MeetingRole.CHAIR)
    one = make.group(meeting, [anh, binh], rapporteur=anh, name="Tổ 1")
    two = make.group(meeting, [chi], rapporteur=chi, name="Tổ 2")
    item = make.agenda_item(meeting)
    document = make.document(meeting, make_pdf(pages=2), agenda_item=item)
    return {
        "meeting": meeting,
        "anh": anh,
        "binh": binh,
        "chi": chi,
        "chair": chair,
        "secretary": secretary,
        "one": one,
        "two": two,
        "item": item,
        "document": document,
    }


@pytest.fixture
def server(app: Any, hall: dict[str, Any]) -> Iterator[LiveServer]:
    running = LiveServer(app).start()
    yield running
    running.stop()


@pytest.fixture
def clients(server: LiveServer, hall: dict[str, Any]) -> Iterator[dict[str, LiveClient]]:
    made = {name: LiveClient(server, hall[name].username) for name in ("anh", "binh", "chi", "chair", "secretary")}
    for client in made.values():
        assert client.join(hall["meeting"].id)["ok"]
    yield made
    for client in made.values():
        client.close()


def of_type(type_: str, **data: Any) -> Any:
    return lambda e: e["type"] == type_ and all(e["data"].get(k) == v for k, v in data.items())


def test_group_rooms_stay_in_their_group_and_close_read_only(
    server: LiveServer, clients: dict[str, LiveClient], hall: dict
) -> None:
    anh, binh, chi, secretary = clients["anh"], clients["binh"], clients["chi"], clients["secretary"]
    meeting = hall["meeting"].id
    # only the secretary or the chair opens a discussion
    status, body = Http(server, hall["binh"].username).call(
        "POST", f"/api/v1/meetings/{meeting}/discussions", {"topic": "x", "minutes": 5}
    )
    assert status == 403 and body["error"]["code"] == "forbidden"
    chair_http = Http(server, hall["chair"].username)
    status, opened = chair_http.call(
        "POST",
        f"/api/v1/meetings/{meeting}/discussions",
        {"topic": "Dự toán ngân sách 2027", "minutes": 30, "agenda_item_id": hall["item"].id},
    )
    assert status == 201 and opened["open"], opened
    discussion = opened["id"]
    for client in (anh, binh, chi):
        client.wait_for(of_type("discussion.opened", id=discussion))

    # script is text: stored and told back exactly as written
    first = anh.call("group.message", {"client_id": cid(), "discussion": discussion, "body": SCRIPT})
    assert first["ok"] and first["message"]["body"] == SCRIPT and first["message"]["group_id"] == hall["one"].id
    assert binh.wait_for(of_type("group.message", id=first["message"]["id"]))["data"]["body"] == SCRIPT
    reply = binh.call(
        "group.message",
        {
            "client_id": cid(),
            "discussion": discussion,
            "body": "Đồng ý, mục 2",
            "reply_to": first["message"]["id"],
            "link": {"document": hall["document"].id, "page": 2},
        },
    )
    assert reply["ok"] and reply["message"]["link"] == {"document": hall["document"].id, "page": 2}
    other = chi.call("group.message", {"client_id": cid(), "discussion": discussion, "body": "Tổ 2 bàn riêng"})
    assert other["ok"] and other["message"]["group_id"] == hall["two"].id
    # nobody writes in another group's room
    refused = anh.call(
        "group.message", {"client_id": cid(), "discussion": discussion, "body": "x", "group": hall["two"].id}
    )
    assert not refused["ok"] and refused["error"]["code"] == "not_found"
    # a meeting-wide event reaches chi after the group's: by then a leak would have arrived
    marker = chair_http.call("POST", f"/api/v1/meetings/{meeting}/discussions", {"topic": "y", "minutes": 5})
    assert marker[0] == 409 and marker[1]["error"]["code"] == "already_open"
    binh.wait_for(of_type("group.message", id=reply["message"]["id"]))
    anh.wait_for(of_type("group.message", id=reply["message"]["id"]))
    chi_http = Http(server, hall["chi"].username)
    status, _ = chi_http.call("POST", f"/api/v1/discussions/{discussion}/summary", {"body": "Tổ 2 thống nhất"})
    assert status == 200
    secretary.wait_for(of_type("group.summary.submitted", group_id=hall["two"].id))
    chi.wait_for(of_type("group.summary.submitted", group_id=hall["two"].id))
    group_one_ids = {first["message"]["id"], reply["message"]["id"]}
    assert not any(
        e["data"].get("id") in group_one_ids
        for e in chi.events
        if e["type"] in ("group.message", "group.message.hidden")
    )
    assert not any(
        e["type"] == "group.message" and e["data"]["group_id"] == hall["two"].id for e in anh.events + binh.events
    )
    # nor on reconnect: `missed` follows the same rule
    chi_missed = [e for e in chi.join(meeting, since=0)["missed"] if e["type"] == "group.message"]
    assert [e["data"]["id"] for e in chi_missed] == [other["message"]["id"]]
    binh_missed = [e for e in binh.join(meeting, since=0)["missed"] if e["type"] == "group.message"]
    assert [e["data"]["id"] for e in binh_missed] == [first["message"]["id"], reply["message"]["id"]]
    # the secretary's user room got chi's summary text; the group only the notice
    assert (
        secretary.wait_for(of_type("group.summary.submitted", group_id=hall["two"].id))["data"]["body"]
        == "Tổ 2 thống nhất"
    )
    assert "body" not in chi.wait_for(of_type("group.summary.submitted", group_id=hall["two"].id))["data"]

    # thread order over HTTP; chi cannot read Tổ 1's room
    anh_http = Http(server, hall["anh"].username)
    listed = anh_http.get(f"/api/v1/discussions/{discussion}/messages")
    assert [m["id"] for m in listed["items"]] == [first["message"]["id"], reply["message"]["id"]]
    assert listed["items"][0]["body"] == SCRIPT and listed["items"][1]["reply_to"] == first["message"]["id"]
    assert chi_http.call("GET", f"/api/v1/discussions/{discussion}/messages?group={hall['one'].id}")[0] == 404

    # moderation: the chair hides a message; it stays, shown as hidden, and the trail keeps it
    assert not binh.call("group.message.hide", {"id": first["message"]["id"]})["ok"]
    hidden = clients["chair"].call("group.message.hide", {"id": first["message"]["id"]})
    assert hidden["ok"] and hidden["message"]["hidden"] and hidden["message"]["body"] == ""
    assert binh.wait_for(of_type("group.message.hidden", id=first["message"]["id"]))["data"]["body"] == ""
    listed = anh_http.get(f"/api/v1/discussions/{discussion}/messages")
    assert listed["items"][0]["hidden"] and listed["items"][0]["body"] == ""

    # the rapporteur's summary; another member may not submit one
    not_rapporteur = binh.call("group.summary.submit", {"discussion": discussion, "body": "Tóm tắt"})
    assert not not_rapporteur["ok"] and not_rapporteur["error"]["code"] == "forbidden"
    summary = anh.call("group.summary.submit", {"discussion": discussion, "body": "Tổ 1: " + SCRIPT})
    assert summary["ok"]
    told = secretary.wait_for(of_type("group.summary.submitted", group_id=hall["one"].id))
    assert told["data"]["body"] == "Tổ 1: " + SCRIPT
    side_by_side = Http(server, hall["secretary"].username).get(f"/api/v1/discussions/{discussion}/summaries")
    assert [(i["group_name"], (i["summary"] or {}).get("body")) for i in side_by_side["items"]] == [
        ("Tổ 1", "Tổ 1: " + SCRIPT),
        ("Tổ 2", "Tổ 2 thống nhất"),
    ]
    assert anh_http.call("GET", f"/api/v1/discussions/{discussion}/summaries")[0] == 403

    # closing makes the rooms read-only, and keeps them
    status, closed = chair_http.call("POST", f"/api/v1/discussions/{discussion}/close")
    assert status == 200 and not closed["open"] and closed["closed_at"]
    anh.wait_for(of_type("discussion.closed", id=discussion))
    late = anh.call("group.message", {"client_id": cid(), "discussion": discussion, "body": "muộn"})
    assert not late["ok"] and late["error"]["code"] == "discussion_closed"
    assert len(anh_http.get(f"/api/v1/discussions/{discussion}/messages")["items"]) == 2


def test_comments_thread_edit_history_mentions_and_moderation(
    server: LiveServer, clients: dict[str, LiveClient], hall: dict
) -> None:
    anh, binh, chi, chair = clients["anh"], clients["binh"], clients["chi"], clients["chair"]
    meeting, document = hall["meeting"].id, hall["document"].id
    anchor = {"quote": {"exact": "Dự toán ngân sách", "prefix": "", "suffix": ""}, "rects": [[36, 38, 200, 52]]}
    root = anh.call(
        "comment.create",
        {
            "client_id": cid(),
            "document": document,
            "page": 1,
            "anchor": anchor,
            "body": f"Đề nghị làm rõ @{hall['chi'].username} {SCRIPT}",
        },
    )
    assert root["ok"], root
    comment = root["comment"]
    assert comment["anchor"]["quote"]["exact"] == "Dự toán ngân sách" and comment["mentions"] == [hall["chi"].id]
    assert binh.wait_for(of_type("comment.created", id=comment["id"]))["data"]["body"].endswith(SCRIPT)
    assert chi.wait_for(of_type("comment.mentioned"))["data"]["comment"]["id"] == comment["id"]
    assert not any(e["type"] == "comment.mentioned" for e in binh.events)
    # replies, in order; a reply to a reply joins the thread
    first = binh.call("comment.create", {"client_id": cid(), "parent": comment["id"], "body": "Đồng ý"})
    second = chi.call("comment.create", {"client_id": cid(), "parent": first["comment"]["id"], "body": "Bổ sung"})
    assert first["ok"] and second["ok"] and second["comment"]["parent_id"] == comment["id"]
    # a group comment reaches the group only
    group_note = binh.call(
        "comment.create", {"client_id": cid(), "document": document, "visibility": "group", "body": "Chỉ tổ mình"}
    )
    assert group_note["ok"] and group_note["comment"]["group_id"] == hall["one"].id
    anh.wait_for(of_type("comment.created", id=group_note["comment"]["id"]))

    # edits: history kept, stale refused, a retry answered
    edit = {"id": comment["id"], "client_id": cid(), "revision": 1, "body": "Đề nghị làm rõ số liệu"}
    edited = anh.call("comment.update", edit)
    assert edited["ok"] and edited["comment"]["revision"] == 2 and edited["comment"]["edited"]
    assert anh.call("comment.update", edit)["repeated"]
    stale = anh.call("comment.update", {**edit, "client_id": cid(), "body": "khác"})
    assert stale["error"]["code"] == "stale_revision" and stale["error"]["comment"]["revision"] == 2
    assert not binh.call("comment.update", {**edit, "client_id": cid(), "revision": 2})["ok"]  # not the author
    binh.wait_for(of_type("comment.updated", id=comment["id"]))

    # moderation: the chair locks the thread and hides a reply
    assert not binh.call("comment.lock", {"id": comment["id"]})["ok"]
    assert chair.call("comment.lock", {"id": comment["id"]})["comment"]["locked"]
    locked = chi.call("comment.create", {"client_id": cid(), "parent": comment["id"], "body": "Thêm nữa"})
    assert not locked["ok"] and locked["error"]["code"] == "locked"
    assert chair.call("comment.hide", {"id": first["comment"]["id"]})["comment"]["hidden"]
    # the author deletes theirs: shown as deleted
    deleted = chi.call("comment.delete", {"id": second["comment"]["id"], "client_id": cid(), "revision": 1})
    assert deleted["ok"] and deleted["comment"]["deleted"]

    http = Http(server, hall["chi"].username)
    threads = http.get(f"/api/v1/meetings/{meeting}/comments?document={document}")["items"]
    assert [t["id"] for t in threads] == [comment["id"]]  # binh's group comment is not chi's to see
    thread = threads[0]
    assert thread["locked"] and thread["body"] == "Đề nghị làm rõ số liệu"
    assert [h["body"] for h in thread["history"]] == [f"Đề nghị làm rõ @{hall['chi'].username} {SCRIPT}"]
    assert [(r["id"], r["hidden"], r["deleted"], r["body"]) for r in thread["replies"]] == [
        (first["comment"]["id"], True, False, ""),
        (second["comment"]["id"], False, True, ""),
    ]
    by_item = Http(server, hall["anh"].username).get(
        f"/api/v1/meetings/{meeting}/comments?agenda_item={hall['item'].id}"
    )["items"]
    assert {t["id"] for t in by_item} == {comment["id"], group_note["comment"]["id"]}
    counts = Http(server, hall["anh"].username).get(f"/api/v1/meetings/{meeting}/comments/counts")
    assert counts["items"] == [{"agenda_item_id": hall["item"].id, "comment_count": 2}]  # hidden, deleted not
    assert http.get(f"/api/v1/meetings/{meeting}/comments/counts")["items"][0]["comment_count"] == 1
    # chi never heard of the group comment, live or replayed
    assert not any(e["data"].get("id") == group_note["comment"]["id"] for e in chi.events)
    assert all(e["data"].get("id") != group_note["comment"]["id"] for e in chi.join(meeting, since=0)["missed"])


def test_presence_counts_a_delegate_with_two_devices_once(server: LiveServer, hall: dict) -> None:
    meeting = hall["meeting"].id
    secretary = LiveClient(server, hall["secretary"].username)
    devices: list[LiveClient] = []
    try:
        assert secretary.join(meeting)["ok"]
        http = Http(server, hall["secretary"].username)
        online = lambda: {u["id"] for u in http.get(f"/api/v1/meetings/{meeting}/presence")["online"]}  # noqa: E731
        assert online() == {hall["secretary"].id}
        devices = [LiveClient(server, hall["anh"].username) for _ in range(2)]
        binh = LiveClient(server, hall["binh"].username)
        devices.append(binh)
        for device in devices:
            assert device.join(meeting)["ok"]
        told = secretary.wait_for(lambda e: e["type"] == "presence.changed" and e["data"]["count"] == 3)
        assert told["seq"] is None
        assert {g["name"]: g["online"] for g in told["data"]["groups"]}["Tổ 1"] == sorted(
            [hall["anh"].id, hall["binh"].id]
        )
        assert online() == {hall["secretary"].id, hall["anh"].id, hall["binh"].id}
        # a delegate sees who of their own group is online, nothing of the other groups
        mine = Http(server, hall["binh"].username).get(f"/api/v1/meetings/{meeting}/presence")
        assert [g["name"] for g in mine["groups"]] == ["Tổ 1"] and mine["count"] == 2
        assert not any(e["type"] == "presence.changed" for e in binh.events)  # group rooms hear messages only
        devices[0].close()  # anh's first device goes; the second keeps anh online
        time.sleep(1)
        assert hall["anh"].id in online()
        devices[1].close()
        secretary.wait_for(lambda e: e["type"] == "presence.changed" and e["data"]["count"] == 2)
        assert online() == {hall["secretary"].id, hall["binh"].id}
        # the chair sees the whole meeting's presence
        assert Http(server, hall["chair"].username).call("GET", f"/api/v1/meetings/{meeting}/presence")[0] == 200
    finally:
        for client in [secretary, *devices]:
            with contextlib.suppress(Exception):  # closed already
                client.close()


def test_presence_is_shared_by_two_server_processes_on_redis(app: Any, backend: str, hall: dict) -> None:
    if backend != "postgresql":
        pytest.skip("several server processes share PostgreSQL, not a SQLite file")
    from tests.integration.live.test_live_server import redis_or_skip

    queue = redis_or_skip()
    one, two = LiveServer(app, queue).start(), LiveServer(app, queue).start()
    meeting = hall["meeting"].id
    clients: list[LiveClient] = []
    try:
        secretary = LiveClient(one, hall["secretary"].username)
        clients.append(secretary)
        assert secretary.join(meeting)["ok"]
        tablet, phone = LiveClient(one, hall["anh"].username), LiveClient(two, hall["anh"].username)
        binh = LiveClient(two, hall["binh"].username)
        clients += [tablet, phone, binh]
        for device in (tablet, phone, binh):
            assert device.join(meeting)["ok"]
        ask_one, ask_two = Http(one, hall["secretary"].username), Http(two, hall["secretary"].username)
        expected = {hall["secretary"].id, hall["anh"].id, hall["binh"].id}
        for http in (ask_one, ask_two):  # each process sees the sockets of both
            assert {u["id"] for u in http.get(f"/api/v1/meetings/{meeting}/presence")["online"]} == expected
        tablet.close()  # anh's phone, on the other process, keeps anh online
        time.sleep(1)
        assert hall["anh"].id in {u["id"] for u in ask_one.get(f"/api/v1/meetings/{meeting}/presence")["online"]}
        secretary.events.clear()  # only what is told after the phone leaves
        phone.close()
        told = secretary.wait_for(lambda e: e["type"] == "presence.changed" and e["data"]["count"] == 2)
        assert {u["id"] for u in told["data"]["online"]} == {hall["secretary"].id, hall["binh"].id}
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                client.close()
        one.stop()
        two.stop()
