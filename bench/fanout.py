"""Live fan-out benchmark: how fast a shared annotation reaches every delegate in a meeting.

    .venv/bin/python bench/fanout.py [--clients 500] [--rounds 20] [--client-procs 2]
                                     [--accounts db|api] [--redis private|URL] [--only one|two]

N delegates (python-socketio clients, WebSocket transport, under gevent) connect to /live and join
meeting 1. In each round one of them creates a meeting-visible annotation with `annotation.create`;
the figures are the time from that emit to each other client's receipt of the `event`
(p50/p95/p99), deliveries per second (receipts / time from the emit to the last receipt), the
sender's ack time, and the CPU the servers and the clients spent per round. The senders live in
this process, the other delegates in `--client-procs` helper processes (one per core by default):
decoding 500 messages a round costs a python-socketio client process more CPU than the server
spends sending them, and all in one process it would be the clients' queue that was measured.

Two topologies, each against its floor, measured in the same run with rounds interleaved (a floor
round, then ours), so that a noisy neighbour on the machine weighs on both alike:
- one process: the real server (`python wsgi.py`, gevent) on SQLite, against a bare Flask-SocketIO
  app (below, FLOOR_APP) that on the same client event only broadcasts the payload to a room;
- two processes: two real servers on PostgreSQL (a fresh schema, dropped afterwards) with
  SOCKETIO_MESSAGE_QUEUE on Redis, clients split across both, against two floor processes on the
  same Redis.

Accounts: with `--accounts db` (the default) the delegates' accounts, participations and API tokens
are made through the app's own models in a helper process, and clients connect with
`auth={"token": ...}`; `--accounts api` makes them through the HTTP API instead (addParticipants as
the secretary, then a login per delegate, cookie passed on connect), which is faithful but slow: each
new password and each login costs one scrypt hash (~0.27 s here) on the server's event loop.

Redis: `--redis private` (the default) starts a throwaway redis-server on a free port, because
Flask-SocketIO's channel is fixed and Redis pub/sub ignores the database number: on a shared Redis
this benchmark's events would reach any other server using it (tests running at the same time).

Everything listens on and talks to 127.0.0.1 only. It prints its figures; copy them into
docs/benchmarks.md with the machine and the date."""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import gevent.pool  # noqa: E402
import socketio  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = "/live"
MEETING = 1
DOCUMENT = 1  # the demo's programme: a normal (not restricted) document every participant may annotate
ROUND_TIMEOUT_S = 30.0
CONNECT_CONCURRENCY = 20
WARMUP_ROUNDS = 2

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any, list[tuple[str, str]]]:
    """One HTTP call to 127.0.0.1:port; JSON in and out."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = raw
    return response.status, answer, response.getheaders()


class Process:
    """A server subprocess in its own process group (the real server's render workers included)."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path, port: int) -> None:
        self.name, self.port = name, port
        self.log_path = log
        self.log = open(log, "ab")  # noqa: SIM115 - the process keeps it
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_healthy(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-2000:]}")
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


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
    processes: list[Process]
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
            Process(
                f"floor-{n + 1}",
                [sys.executable, str(script)],
                {**env, "PORT": str(port)},
                work / f"floor-{port}.log",
                port,
            )
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
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for args in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
        subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True, timeout=600)
    started = []
    for _ in range(processes):
        port = free_port()
        started.append(
            Process(
                f"server-{port}",
                [sys.executable, "wsgi.py"],
                {**env, "PORT": str(port)},
                data / f"server-{port}.log",
                port,
            )
        )
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


def login(port: int, username: str, password: str) -> tuple[str, str]:
    status, answer, headers = request(port, "POST", "/api/v1/auth/login", {"username": username, "password": password})
    if status != 200:
        raise RuntimeError(f"login {username}: {status} {answer}")
    cookie = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    return cookie, answer["csrf_token"]


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


class Delegate:
    """One Socket.IO client; it reports each `event` it receives, with the time of receipt.

    Times are time.monotonic(), the system-wide CLOCK_MONOTONIC: comparable across processes."""

    def __init__(self, index: int, url: str, kwargs: dict[str, Any], sink: Callable[[int, Any, float], None]) -> None:
        self.index, self.url, self.kwargs = index, url, kwargs
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", lambda envelope: sink(index, envelope, time.monotonic()), namespace=NAMESPACE)

    def connect(self) -> None:
        self.sio.connect(self.url, namespaces=[NAMESPACE], transports=["websocket"], wait_timeout=30, **self.kwargs)
        ack = self.sio.call("join", {"meeting": MEETING, "since": None}, namespace=NAMESPACE, timeout=30)
        if not ack or not ack.get("ok"):
            raise RuntimeError(f"join refused for client {self.index}: {ack}")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing anyway; the servers go next
            self.sio.eio.disconnect(abort=True)


class Receipts:
    """The receipts of the current round's event by a set of delegates."""

    def __init__(self) -> None:
        self.marker: str | None = None
        self.skip: int | None = None
        self.expected = 0
        self.times: dict[int, float] = {}
        self.done = gevent.event.Event()

    def arm(self, marker: str, expected: int, skip: int | None = None) -> None:
        self.marker, self.expected, self.skip, self.times = marker, expected, skip, {}
        self.done = gevent.event.Event()
        if expected <= 0:
            self.done.set()

    def __call__(self, index: int, envelope: Any, at: float) -> None:
        data = envelope.get("data") if isinstance(envelope, dict) else None
        if self.marker is None or not isinstance(data, dict) or data.get("note") != self.marker:
            return
        if index != self.skip and index not in self.times:
            self.times[index] = at
            if len(self.times) >= self.expected:
                self.done.set()


def clients_worker() -> None:
    """A helper process holding some of the delegates: it connects them, then answers the parent's
    JSON lines on stdin: {"arm": marker} before a round, {"collect": seconds} after the emit (the
    receipt times of the marked event, once all arrived or time is up), {"quit": true}."""
    from gevent.fileobject import FileObjectPosix

    commands = FileObjectPosix(sys.stdin.fileno(), "rb", close=False)  # cooperative: the clients run on

    def reply(answer: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()

    receipts = Receipts()
    job = json.loads(commands.readline())
    delegates = [Delegate(i, url, kwargs, receipts) for i, url, kwargs in job["delegates"]]
    start = time.monotonic()
    gevent.pool.Pool(CONNECT_CONCURRENCY).map(lambda d: d.connect(), delegates)
    reply({"connected": time.monotonic() - start})
    for _ in range(100_000):
        line = commands.readline()
        if not line:
            break
        command = json.loads(line)
        if "arm" in command:
            receipts.arm(command["arm"], len(delegates))
            reply({"armed": True})
        elif "collect" in command:
            receipts.done.wait(command["collect"])
            reply({"times": receipts.times})
            receipts.marker = None
        else:
            break
    # the kernel closes the sockets: a graceful close of hundreds of clients takes a minute for nothing
    sys.stdout.flush()
    os._exit(0)


class ClientProcess:
    """The parent's side of a clients_worker process."""

    def __init__(self, delegates: list[tuple[int, str, dict[str, Any]]], log: Path) -> None:
        self.log_path = log
        self.log = open(log, "ab")  # noqa: SIM115 - the process keeps it
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--clients-worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            start_new_session=True,
        )
        self.send({"delegates": delegates})

    def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        self.process.stdin.flush()

    def receive(self, seconds: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        with gevent.Timeout(seconds, RuntimeError(f"client process silent for {seconds} s: see {self.log_path}")):
            line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"client process ended: {self.log_path.read_text()[-2000:]}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.send({"quit": True})
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by the processes pids."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            return float("nan")
    return total


@dataclass
class Figures:
    latencies: list[float] = field(default_factory=list)
    spans: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)
    missing: int = 0

    def pct(self, q: float) -> float:
        values = sorted(self.latencies)
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    def per_second(self) -> float:
        return len(self.latencies) / sum(self.spans) if self.spans else float("nan")

    def ack_median(self) -> float:
        return median(self.acks)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


class Hall:
    """N delegates connected to one stack, creating annotations round after round.

    The senders (one per server process, so that each process originates events in turn) live in
    this process; the other delegates are spread over `client_procs` helper processes (or live
    here too when it is 0), so that decoding 500 messages per round is not one core's queue."""

    def __init__(self, stack: Stack, clients: int, run: str, client_procs: int, work: Path) -> None:
        self.stack, self.run = stack, run
        self.figures = Figures()
        self.receipts = Receipts()
        senders = len(stack.processes)
        spec = [(i, f"http://127.0.0.1:{stack.port_of(i)}", stack.connect_kwargs(i)) for i in range(clients)]
        here = spec if client_procs == 0 else spec[:senders]
        away = [] if client_procs == 0 else spec[senders:]
        self.delegates = [Delegate(i, url, kwargs, self.receipts) for i, url, kwargs in here]
        self.children = [
            ClientProcess(away[n::client_procs], work / f"clients-{stack.processes[0].port}-{n}.log")
            for n in range(client_procs)
            if away[n::client_procs]
        ]
        self.expected = clients - 1

    def connect(self) -> float:
        start = time.monotonic()
        gevent.pool.Pool(CONNECT_CONCURRENCY).map(lambda d: d.connect(), self.delegates)
        for child in self.children:
            child.receive(300)
        return time.monotonic() - start

    def cpu(self) -> tuple[float, float]:
        mine = os.times()
        clients = mine.user + mine.system + cpu_seconds([c.process.pid for c in self.children])
        return cpu_seconds([p.process.pid for p in self.stack.processes]), clients

    def round(self, number: int, measured: bool) -> None:
        sender = self.delegates[number % len(self.stack.processes)]
        marker = f"fan-out {self.run} {self.stack.name} #{number}"
        for child in self.children:
            child.send({"arm": marker})
        for child in self.children:
            child.receive(30)
        self.receipts.arm(marker, len(self.delegates) - 1, skip=sender.index)
        acked = gevent.event.Event()
        ack: dict[str, Any] = {}

        def on_ack(answer: Any = None) -> None:
            ack.update(at=time.monotonic(), answer=answer)
            acked.set()

        cpu_before = self.cpu()
        t0 = time.monotonic()
        sender.sio.emit("annotation.create", self.stack.payload(marker), namespace=NAMESPACE, callback=on_ack)
        for child in self.children:
            child.send({"collect": ROUND_TIMEOUT_S})
        times = dict(self.receipts.times)
        for child in self.children:
            times.update({int(k): v for k, v in child.receive(ROUND_TIMEOUT_S + 30)["times"].items()})
        self.receipts.done.wait(max(0.0, t0 + ROUND_TIMEOUT_S - time.monotonic()))
        times.update(self.receipts.times)
        acked.wait(max(0.0, t0 + ROUND_TIMEOUT_S - time.monotonic()))
        cpu_after = self.cpu()
        self.receipts.marker = None
        answer = ack.get("answer")
        if not (isinstance(answer, dict) and answer.get("ok")):
            print(f"  {self.stack.name} round {number}: ack {answer!r}", flush=True)
        if not measured:
            return
        got = sorted(times.values())
        self.figures.missing += self.expected - len(got)
        if got:
            self.figures.latencies += [t - t0 for t in got]
            self.figures.spans.append(got[-1] - t0)
        if "at" in ack:
            self.figures.acks.append(ack["at"] - t0)
        self.figures.server_cpu.append(cpu_after[0] - cpu_before[0])
        self.figures.client_cpu.append(cpu_after[1] - cpu_before[1])

    def close(self) -> None:
        gevent.pool.Pool(100).map(lambda d: d.close(), self.delegates)
        for child in self.children:
            child.close()


def report(figures: Figures, name: str, floor: Figures | None = None) -> None:
    ms = 1000
    line = (
        f"  {name:<42} p50 {figures.pct(0.5) * ms:6.1f} ms  p95 {figures.pct(0.95) * ms:6.1f} ms  "
        f"p99 {figures.pct(0.99) * ms:6.1f} ms  max {figures.pct(1) * ms:6.1f} ms  "
        f"{figures.per_second():7.0f} deliveries/s  ack p50 {figures.ack_median() * ms:5.1f} ms  "
        f"CPU per round: servers {median(figures.server_cpu) * ms:.0f} ms, clients "
        f"{median(figures.client_cpu) * ms:.0f} ms"
    )
    if figures.missing:
        line += f"  MISSING {figures.missing}"
    print(line, flush=True)
    if floor is not None:
        print(
            f"  {'ratio ours / floor':<42} p50 {figures.pct(0.5) / floor.pct(0.5):.2f}  "
            f"p95 {figures.pct(0.95) / floor.pct(0.95):.2f}  p99 {figures.pct(0.99) / floor.pct(0.99):.2f}  "
            f"deliveries/s {floor.per_second() / figures.per_second():.2f} (floor / ours)  (aim ≤ 1.3)",
            flush=True,
        )


def compare(
    title: str,
    floor: Stack,
    ours: Stack,
    clients: int,
    rounds: int,
    run: str,
    deadline: float,
    client_procs: int,
    work: Path,
) -> None:
    """Connect `clients` delegates to each stack and interleave their rounds: floor, ours, floor, ..."""
    halls: list[Hall] = []
    try:
        halls += [Hall(floor, clients, run, client_procs, work), Hall(ours, clients, run, client_procs, work)]
        for hall in halls:
            seconds = hall.connect()
            print(f"  {hall.stack.name}: {clients} clients connected and joined in {seconds:.1f} s", flush=True)
        for number in range(WARMUP_ROUNDS + rounds):
            if time.monotonic() > deadline:
                print(f"  time budget spent after {number} rounds", flush=True)
                break
            for hall in halls:
                hall.round(number, measured=number >= WARMUP_ROUNDS)
                gevent.sleep(0.2)
        print(f"{title} ({clients} clients, {rounds} rounds, {clients - 1} deliveries each):", flush=True)
        report(halls[0].figures, floor.name)
        report(halls[1].figures, ours.name, halls[0].figures)
    finally:
        for hall in halls:
            hall.close()


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--accounts", choices=["db", "api"], default="db")
    parser.add_argument("--redis", default="private", help="'private' (a throwaway redis-server) or a redis:// URL")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--only", choices=["one", "two"], help="run one topology only")
    parser.add_argument(
        "--client-procs",
        type=int,
        default=os.cpu_count() or 1,
        help="helper processes holding the delegates (0: all in this process); default: one per core",
    )
    parser.add_argument("--max-seconds", type=float, default=3600, help="overall time budget")
    args = parser.parse_args()
    if not 2 <= args.clients <= 2000 or not 1 <= args.rounds <= 1000:
        parser.error("--clients 2..2000, --rounds 1..1000")
    for url in (args.redis, args.postgres):
        if "://" in url and not url.split("://", 1)[1].split("/")[0].split("@")[-1].startswith("127.0.0.1"):
            parser.error("this benchmark only talks to 127.0.0.1")

    started = time.monotonic()
    deadline = started + args.max_seconds
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Flask-SocketIO {version('flask-socketio')}, python-socketio {version('python-socketio')}, "
        f"gevent {version('gevent')}; {args.clients} clients, {args.rounds} rounds, "
        f"accounts via {args.accounts}, {args.client_procs} client processes; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    run = secrets.token_hex(4)
    work = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    stacks: list[Stack] = []
    redis: PrivateRedis | None = None
    try:
        if args.only in (None, "one"):
            floor = floor_stack(work, 1, None)
            stacks.append(floor)
            ours = our_stack(work, 1, args.clients, args.accounts, None, None)
            stacks.append(ours)
            compare("one process", floor, ours, args.clients, args.rounds, run, deadline, args.client_procs, work)
            for stack in (floor, ours):
                stack.stop()
                stacks.remove(stack)
        if args.only in (None, "two"):
            if args.redis == "private":
                redis = PrivateRedis(work)
                queue = redis.url
            else:
                queue = args.redis
            floor = floor_stack(work, 2, queue)
            stacks.append(floor)
            database_url, drop = postgres_schema(args.postgres)
            try:
                ours = our_stack(work, 2, args.clients, args.accounts, database_url, queue)
            except BaseException:
                drop()
                raise
            ours.cleanup.append(drop)
            stacks.append(ours)
            compare(
                "two processes on Redis",
                floor,
                ours,
                args.clients,
                args.rounds,
                run,
                deadline,
                args.client_procs,
                work,
            )
    finally:
        for stack in stacks:
            stack.stop()
        if redis is not None:
            redis.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"took {time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clients-worker"]:
        clients_worker()
    else:
        main()
