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
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.harness; the parts sit next to this file

from fanout_parts.clients import clients_worker  # noqa: E402
from fanout_parts.hall import compare  # noqa: E402
from fanout_parts.stacks import PrivateRedis, Stack, floor_stack, our_stack, postgres_schema  # noqa: E402


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
