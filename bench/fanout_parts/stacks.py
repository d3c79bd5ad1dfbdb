"""The stacks a fan-out round runs against: the floor (a bare Flask-SocketIO relay) and ours (the
real server, migrated and seeded, with its delegates' accounts), one or two processes; Redis and a
PostgreSQL schema of their own."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gevent.pool

from tests.harness import ROOT, ServerProcess, flask_cli, free_port, login, request

MEETING = 1
DOCUMENT = 1  # the demo's programme: a normal (not restricted) document every participant may annotate

#: the floor: what any Flask-SocketIO app must do to relay one client event to a room, and no more
FLOOR_APP = r"""
from gevent import monkey

monkey.patch_all()

import datetime as dt
import itertools
import os

from flask import Flask
from flask_socketio import SocketIO, join_room

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent", message_queue=os.environ.get("MESSAGE_QUEUE") or None,
                    channel=os.environ.get("CHANNEL", "fanout-floor"))
numbers = itertools.count(1)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@socketio.on("join", namespace="/live")
def join(payload):
    join_room(f"meeting:{payload['meeting']}")
    return {"ok": True, "seq": 0, "missed": [], "truncated": False}


@socketio.on("annotation.create", namespace="/live")
def create(payload):
    envelope = {"seq": next(numbers), "type": "annotation.created", "meeting": 1,
                "at": dt.datetime.now(dt.UTC).isoformat(), "data": payload}
    socketio.emit("event", envelope, to="meeting:1", namespace="/live")
    return {"ok": True, "seq": envelope["seq"]}


socketio.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), use_reloader=False, log_output=False)
"""

#: run in a helper process with the server's environment: N delegates of meeting 1 with API tokens
SEED_ACCOUNTS = r"""
import json
import sys

from werkzeug.security import generate_password_hash

from meetings import create_app
from meetings.accounts.models import ApiToken, Role, User
from meetings.db import db
from meetings.participants.models import MeetingRole, Participant

count, meeting_id = int(sys.argv[1]), int(sys.argv[2])
app = create_app()
tokens = []
with app.app_context():
    password = generate_password_hash("bench")  # one hash for all: the same password, hashed once
    for n in range(1, count + 1):
        user = User(username=f"bench{n:04d}", full_name=f"Đại biểu {n:04d}", role=Role.DELEGATE,
                    password_hash=password)
        db.session.add(user)
        db.session.add(Participant(meeting_id=meeting_id, user=user, role=MeetingRole.DELEGATE))
        row, clear = ApiToken.issue(user, "fan-out benchmark")
        db.session.add(row)
        tokens.append(clear)
    db.session.commit()
print(json.dumps(tokens))
"""


class PrivateRedis:
    """A throwaway redis-server on a free port, nothing persisted."""

    def __init__(self, work: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = open(work / "redis.log", "ab")  # noqa: SIM115
        server = shutil.which("redis-server")
        if server is None:
            raise RuntimeError("redis-server not found: install it, or pass --redis redis://127.0.0.1:6379/0")
        self.process = subprocess.Popen(
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.log.close()


@dataclass
class Stack:
    """Server processes and how a client numbered i connects and speaks to them."""

    name: str
    processes: list[ServerProcess]
    connect_kwargs: Callable[[int], dict[str, Any]]
    payload: Callable[[str], dict[str, Any]]
    cleanup: list[Callable[[], None]] = field(default_factory=list)

    def port_of(self, index: int) -> int:
        return self.processes[index % len(self.processes)].port

    def stop(self) -> None:
        for process in self.processes:
            process.stop()
        for step in self.cleanup:
            step()


def annotation(marker: str) -> dict[str, Any]:
    """A meeting-visible highlight, as a delegate's tablet would send it; marker goes in the note."""
    return {
        "client_id": secrets.token_hex(8),
        "document": DOCUMENT,
        "page": 1,
        "kind": "highlight",
        "visibility": "meeting",
        "color": "#ffd400",
        "note": marker,
        "geometry": {"rects": [[72.0, 310.5, 523.0, 324.0], [72.0, 326.0, 301.5, 339.5]]},
        "quote": {
            "exact": "tình hình kinh tế - xã hội năm 2026",
            "prefix": "Báo cáo ",
            "suffix": ", mục tiêu, nhiệm vụ",
        },
    }


def floor_stack(work: Path, processes: int, queue: str | None) -> Stack:
    script = work / "floor_app.py"
    script.write_text(FLOOR_APP)
    env = {**os.environ, "CHANNEL": f"fanout-floor-{secrets.token_hex(4)}"}
    if queue:
        env["MESSAGE_QUEUE"] = queue
    started = []
    for n in range(processes):
        port = free_port()
        started.append(
            ServerProcess(env, work / f"floor-{port}.log", port, [sys.executable, str(script)], f"floor-{n + 1}")
        )
    for process in started:
        process.wait_healthy()
    return Stack(f"floor, {processes} process{'es' if processes > 1 else ''}", started, lambda i: {}, annotation)


def our_stack(
    work: Path, processes: int, clients: int, accounts: str, database_url: str | None, queue: str | None
) -> Stack:
    """The real server: migrate, seed the demo, start `processes` of `python wsgi.py`, make accounts."""
    data = work / f"data-{processes}"
    data.mkdir()
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "HOST": "127.0.0.1",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
    }
    for key in ("DATABASE_URL", "SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI"):
        env.pop(key, None)
    if database_url:
        env["DATABASE_URL"] = database_url
    if queue:
        env["SOCKETIO_MESSAGE_QUEUE"] = queue
        env["RATELIMIT_STORAGE_URI"] = queue
    begun = time.monotonic()
    for args in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
        done = flask_cli(*args, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    started = []
    for _ in range(processes):
        port = free_port()
        started.append(ServerProcess(env, data / f"server-{port}.log", port, name=f"server-{port}"))
    for process in started:
        process.wait_healthy()
    label = (
        f"ours, {processes} process{'es' if processes > 1 else ''}, "
        + ("PostgreSQL" if database_url else "SQLite")
        + (" + Redis" if queue else "")
    )
    if accounts == "db":
        done = subprocess.run(
            [sys.executable, "-c", SEED_ACCOUNTS, str(clients), str(MEETING)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        tokens = json.loads(done.stdout.strip().splitlines()[-1])
        stack = Stack(label, started, lambda i: {"auth": {"token": tokens[i]}}, annotation)
    else:
        cookies = api_accounts([p.port for p in started], clients)
        stack = Stack(label, started, lambda i: {"headers": {"Cookie": cookies[i]}}, annotation)
    print(
        f"  {label}: migrated, seeded, started, {clients} accounts in {time.monotonic() - begun:.0f} s",
        flush=True,
    )
    return stack


def api_accounts(ports: list[int], clients: int) -> list[str]:
    """Delegates made by the secretary through addParticipants, each then signed in: their cookies."""
    cookie, csrf = login(ports[0], "secretary", "demo")
    passwords: dict[str, str] = {}
    for start in range(0, clients, 50):  # chunks: each new password is a scrypt hash on the server's loop
        items = [
            {"username": f"bench{n:04d}", "full_name": f"Đại biểu {n:04d}", "role": "delegate"}
            for n in range(start + 1, min(clients, start + 50) + 1)
        ]
        status, answer, _ = request(
            ports[0],
            "POST",
            f"/api/v1/meetings/{MEETING}/participants",
            {"items": items},
            {"Cookie": cookie, "X-CSRFToken": csrf},
        )
        if status != 201:
            raise RuntimeError(f"addParticipants: {status} {answer}")
        passwords.update(answer["created"])
    cookies: list[str] = [""] * clients

    def sign_in(i: int) -> None:
        username = f"bench{i + 1:04d}"
        cookies[i] = login(ports[i % len(ports)], username, passwords[username])[0]

    gevent.pool.Pool(2 * len(ports)).map(sign_in, range(clients))
    return cookies


def postgres_schema(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh schema on the PostgreSQL at url; the DATABASE_URL that uses it, and how to drop it."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    schema = f"bench_fanout_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}", drop
