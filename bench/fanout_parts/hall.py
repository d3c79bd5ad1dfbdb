"""A hall of delegates connected to one stack, and the comparison of two halls round by round."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import gevent
import gevent.event
import gevent.pool

from tests.harness import NAMESPACE

from .clients import CONNECT_CONCURRENCY, ClientProcess, Delegate, Receipts
from .figures import Figures, cpu_seconds, report
from .stacks import Stack

ROUND_TIMEOUT_S = 30.0
WARMUP_ROUNDS = 2


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
