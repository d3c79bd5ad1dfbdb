"""The delegates: Socket.IO clients that note when each event reaches them, some in this process and
the rest in helper processes (bench/fanout.py --clients-worker) spoken to by JSON lines."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent
import gevent.event
import gevent.pool
import socketio

from tests.harness import NAMESPACE, ROOT, close_client

from .stacks import MEETING

CONNECT_CONCURRENCY = 20
#: the script a helper process runs, with --clients-worker
FANOUT = ROOT / "bench" / "fanout.py"


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
        close_client(self.sio)  # at once: a graceful close waits 3 s a client for nothing


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
            [sys.executable, str(FANOUT), "--clients-worker"],
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
