"""A real server process (`python wsgi.py`, gevent) and real Socket.IO clients, for live tests."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import socketio

from tests.database import require_committed_database
from tests.factories import PASSWORD
from tests.harness import NAMESPACE, ServerProcess, close_client, free_port

__all__ = ["NAMESPACE", "LiveClient", "LiveServer", "database_url"]


def database_url(app: Any) -> str:
    """The URL a server process needs to reach the test app's database (schema included)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {}).get("options")
    if options:
        from urllib.parse import quote

        url += ("&" if "?" in url else "?") + "options=" + quote(options)
    return str(url)


class LiveServer:
    """`python wsgi.py` on the test app's database and DATA_DIR; start(), kill(), stop().

    The server is another process: it sees only what is committed, so the test needs the
    committed_database marker (tests/conftest.py), not the rolled-back transaction of other tests."""

    def __init__(self, app: Any, message_queue: str | None = None) -> None:
        require_committed_database(app, "a server process")
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATA_DIR": app.config["DATA_DIR"],
            "DATABASE_URL": database_url(app),
            "SECRET_KEY": app.config["SECRET_KEY"],
            "HOST": "127.0.0.1",
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "RENDER_WORKERS": "1",
        }
        if message_queue:
            self.env["SOCKETIO_MESSAGE_QUEUE"] = message_queue
            # the test's own channel (and presence keys): tests running at once on the one Redis, in
            # parallel workers, must not hear each other's rooms (every test database has a meeting 1)
            digest = hashlib.sha256(app.config["DATA_DIR"].encode()).hexdigest()[:12]
            self.env["SOCKETIO_CHANNEL"] = f"pm-test-{digest}"
        self.server: ServerProcess | None = None
        self.log_path = Path(app.config["DATA_DIR"]) / f"server-{self.port}.log"

    def start(self) -> LiveServer:
        """Start (or start again, on the same port and log) and wait for /healthz."""
        self.server = ServerProcess(self.env, self.log_path, self.port).wait_healthy(60)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what was committed must survive."""
        assert self.server is not None
        self.server.kill()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def login(self, username: str, password: str = PASSWORD) -> str:
        """Sign in over HTTP; return the Cookie header value."""
        request = urllib.request.Request(f"{self.url}/api/v1/auth/login",
                                         data=json.dumps({"username": username, "password": password}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
            cookies = response.headers.get_all("Set-Cookie")
        return "; ".join(c.split(";")[0] for c in cookies)

    def get_json(self, path: str, cookie: str) -> Any:
        request = urllib.request.Request(f"{self.url}{path}", headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
            return json.loads(response.read())


class LiveClient:
    """A delegate's Socket.IO connection to /live, collecting the events it receives."""

    def __init__(self, server: LiveServer, username: str | None = None, *, token: str | None = None) -> None:
        self.server = server
        self.username = username
        self.cookie = server.login(username) if username else ""
        self.events: list[dict[str, Any]] = []
        self._arrived = threading.Condition()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._on_event, namespace=NAMESPACE)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.sio.connect(server.url, headers=headers, auth={"token": token} if token else None,
                         namespaces=[NAMESPACE], transports=["websocket"], wait_timeout=30)

    def _on_event(self, envelope: dict[str, Any]) -> None:
        with self._arrived:
            self.events.append(envelope)
            self._arrived.notify_all()

    def call(self, event: str, payload: Any) -> Any:
        return self.sio.call(event, payload, namespace=NAMESPACE, timeout=30)

    def join(self, meeting_id: int, since: int | None = None) -> dict[str, Any]:
        ack: dict[str, Any] = self.call("join", {"meeting": meeting_id, "since": since})
        return ack

    def wait_for(self, predicate: Any, timeout: float = 20) -> dict[str, Any]:
        """The first received event matching predicate, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for envelope in self.events:
                    if predicate(envelope):
                        return envelope
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.username} never received it; got {[e['type'] for e in self.events]}")
                self._arrived.wait(left)

    def close(self) -> None:
        """At once: see tests.harness.close_client (a graceful close waits 3 s for nothing)."""
        close_client(self.sio)
