"""What a round measured, and how it is printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


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
