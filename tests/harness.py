"""Server processes and Socket.IO clients for everything that talks to a real server: the live tests
(tests/live.py), the end-to-end tests (tests/e2e) and the benchmarks (bench/).

Plain threads or gevent alike: it uses subprocess, time and sockets only, so a benchmark that has
monkey-patched gets cooperative waits, and a test gets ordinary ones."""

from __future__ import annotations

import contextlib
import functools
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = "/live"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, Any, list[tuple[str, str]]]:
    """One HTTP call to 127.0.0.1:port, JSON in and out: (status, answer, headers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = raw
    return response.status, answer, response.getheaders()


def login(port: int, username: str, password: str) -> tuple[str, str]:
    """Sign in through the JSON API: the Cookie header value and the CSRF token."""
    status, answer, headers = request(port, "POST", "/api/v1/auth/login", {"username": username, "password": password})
    if status != 200:
        raise RuntimeError(f"login {username}: {status} {answer}")
    cookie = "; ".join(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    return cookie, answer["csrf_token"]


def flask_cli(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a command of the app's Flask CLI (`flask --app wsgi ...`) as the Makefile does; not checked."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class ServerProcess:
    """A server subprocess (by default the real one, `python wsgi.py`) in a process group of its own,
    so that stopping it stops its render workers too; its output goes to log."""

    def __init__(
        self, env: dict[str, str], log: Path, port: int, args: list[str] | None = None, name: str = "server"
    ) -> None:
        self.name, self.port, self.log_path = name, port, log
        self.url = f"http://127.0.0.1:{port}"
        with open(log, "ab") as out:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                args or [sys.executable, "wsgi.py"],
                cwd=ROOT,
                env={**env, "PORT": str(port)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def wait_healthy(self, seconds: float = 90) -> ServerProcess:
        """Wait until GET /healthz answers 200; RuntimeError with the log's end when it exits or never does."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer /healthz in {seconds:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to the group: no shutdown handlers, no flushing."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM to the group, SIGKILL after 10 s."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def close_client(sio: Any) -> None:
    """Close a python-socketio Client at once, and its threads with it.

    Engine.IO's disconnect ends in websocket-client's close(), which waits up to 3 s for the
    server's closing frame; but the client's own read-loop thread is reading the socket too and
    takes that frame, so the wait runs to its end, for every client. Here the disconnect is
    Engine.IO's own (its CLOSE packet, the write loop told to stop, the read loop joined), with a
    close() that sends the closing frame and does not wait for the answer."""
    eio = sio.eio
    ws = getattr(eio, "ws", None)
    if ws is not None:
        ws.close = functools.partial(ws.close, timeout=0)
    eio.disconnect()
