"""A pool of render worker processes, and coalescing so one uncached page is rendered once.

Under gevent (the server monkey-patches), the pipes, select() and the locks below are cooperative,
so a delegate waiting for a page lets every other delegate go on; in tests they are plain threads."""

from __future__ import annotations

import collections
import itertools
import json
import logging
import os
import queue
import select
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WORKER = str(Path(__file__).with_name("worker.py"))


class RenderFailed(Exception):
    """The worker could not produce the result: code says why (render_failed, over_budget, timeout)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Worker:
    """One worker process, spoken to a JSON line at a time."""

    #: how long a new worker may take to import PyMuPDF and Pillow and say it is ready
    STARTUP_TIMEOUT = 60.0

    def __init__(self) -> None:
        self.ready = False
        self.process = subprocess.Popen(  # noqa: S603 - our own module, no shell
            # run the file itself, not `-m meetings...`: importing the package would import the app
            [sys.executable, "-c", "import runpy, sys; runpy.run_path(sys.argv[1], run_name='__main__')",
             WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def ask(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        if not self.ready:
            self._read(self.STARTUP_TIMEOUT)
            self.ready = True
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read(timeout)

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            raise BrokenPipeError("the render worker ended")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


#: who waits for a worker first: the page someone is looking at, then the thumbnails strip, then
#: pages fetched ahead, then background work (pre-rendering a published dossier)
LANES = ("visible", "thumbnail", "prefetch", "background")


class RenderPool:
    """size worker processes, started on first use; a worker that hangs or dies is replaced.

    Workers are handed out fairly, so one heavy page or one greedy reader never starves the hall:
    - by lane (LANES): a waiting visible page goes before any thumbnail, prefetch or background job;
    - per owner (a user): at most per_owner of their renders at once, so twenty widths asked by one
      tablet leave the other workers to everyone else;
    - slow work (a page known to take seconds) never holds more than size - 1 workers."""

    def __init__(self, size: int, timeout: float, per_owner: int | None = None) -> None:
        self.size = size
        self.timeout = timeout
        self.per_owner = per_owner or max(1, size // 2)
        self._idle: queue.LifoQueue[Worker] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._inflight: dict[Any, _Call] = {}
        self._turns = threading.Condition()
        self._waiting: list[tuple[int, int, Any, bool]] = []  # (lane rank, arrival, owner, slow)
        self._arrivals = itertools.count()
        self._running = 0
        self._running_slow = 0
        self._by_owner: collections.Counter[Any] = collections.Counter()

    def _take(self) -> Worker:
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                return Worker()
        return self._idle.get()

    def warm(self) -> None:
        """Start every worker now, so the first delegate does not wait for a worker's start-up."""
        workers = [self._take() for _ in range(self.size)]
        for worker in workers:
            try:
                worker.ask({"op": "ping"}, self.timeout)
            finally:
                self._idle.put(worker)

    def waiting(self) -> int:
        """How many calls wait for a worker now."""
        with self._turns:
            return len(self._waiting)

    def _may_start(self, owner: Any, slow: bool) -> bool:
        if self._running >= self.size:
            return False
        if slow and self._running_slow >= max(1, self.size - 1):
            return False
        return owner is None or self._by_owner[owner] < self.per_owner

    def _turn(self, lane: str, owner: Any, slow: bool) -> None:
        """Wait until this call is the first waiting call allowed to start, then start it."""
        ticket = (LANES.index(lane), next(self._arrivals), owner, slow)
        with self._turns:
            self._waiting.append(ticket)
            while min((t for t in self._waiting if self._may_start(t[2], t[3])), default=None) != ticket:
                self._turns.wait()
            self._waiting.remove(ticket)
            self._running += 1
            self._running_slow += slow
            self._by_owner[owner] += 1
            self._turns.notify_all()  # another waiter may be allowed now (another owner, another lane)

    def _done(self, owner: Any, slow: bool) -> None:
        with self._turns:
            self._running -= 1
            self._running_slow -= slow
            self._by_owner[owner] -= 1
            if not self._by_owner[owner]:
                del self._by_owner[owner]
            self._turns.notify_all()

    def call(self, request: dict[str, Any], timeout: float | None = None, *, lane: str = "visible",
             owner: Any = None, slow: bool = False) -> dict[str, Any]:
        """Run one request on a worker when its turn comes (see the class); raise RenderFailed when it
        fails or exceeds the time budget."""
        self._turn(lane, owner, slow)
        try:
            return self._run(request, timeout)
        finally:
            self._done(owner, slow)

    def _run(self, request: dict[str, Any], timeout: float | None) -> dict[str, Any]:
        worker = self._take()
        try:
            reply = worker.ask(request, timeout or self.timeout)
        except (TimeoutError, BrokenPipeError, OSError, ValueError) as exc:
            worker.stop()
            worker = Worker()
            code = "timeout" if isinstance(exc, TimeoutError) else "worker_died"
            raise RenderFailed(code, f"{code} after {request.get('op')} {request.get('page', '')}") from exc
        finally:
            self._idle.put(worker)
        if not reply.get("ok"):
            raise RenderFailed(reply.get("error", "render_failed"), reply.get("message", ""))
        return reply

    def once(self, key: Any, produce: Callable[[], Any]) -> Any:
        """Run produce() for key once, however many callers ask at the same time; all get its result."""
        with self._lock:
            call = self._inflight.get(key)
            leader = call is None
            if leader:
                call = self._inflight[key] = _Call()
        assert call is not None
        if not leader:
            return call.wait()
        try:
            call.result = produce()
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._inflight[key]
            call.done.set()
        return call.result

    def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().stop()
        self._started = 0


class _Call:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def wait(self) -> Any:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result
