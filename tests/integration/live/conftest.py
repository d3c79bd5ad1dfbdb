"""The live tests' server and clients: a real server process on the test's committed database, and
anh, binh and chi (each test module's `hall` says who they are) connected and joined."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveClient, LiveServer


@pytest.fixture
def server(app: Any, hall: dict[str, Any]) -> Iterator[LiveServer]:
    running = LiveServer(app).start()
    yield running
    running.stop()


@pytest.fixture
def clients(server: LiveServer, hall: dict[str, Any]) -> Iterator[dict[str, LiveClient]]:
    made = {name: LiveClient(server, hall[name].username) for name in ("anh", "binh", "chi")}
    for client in made.values():
        assert client.join(hall["meeting"].id)["ok"]
    yield made
    for client in made.values():
        client.close()
