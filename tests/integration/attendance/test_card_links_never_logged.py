"""A card link is a login credential: the real server's access log must never hold one."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from tests.integration.attendance.conftest import path_of
from tests.integration.attendance.test_delegate_cards import card_links, print_cards
from tests.live import LiveServer


@pytest.mark.committed_database  # a server process reads the database
def test_the_servers_access_log_never_holds_a_card_token(app, auth, hall) -> None:
    links = card_links(print_cards(auth, hall, hall.delegates[0]).get_data())
    path = path_of(links[0])
    token = path.rsplit("/", 1)[-1]
    server = LiveServer(app).start()
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        try:
            with opener.open(server.url + path, timeout=30) as answer:
                assert answer.status == 200
        except urllib.error.HTTPError as refused:  # pragma: no cover - shown if the card is refused
            raise AssertionError(f"the card was refused: {refused.code}") from None
    finally:
        server.stop()
    log = server.log_path.read_text()
    assert "/card/[redacted]" in log
    assert token not in log and token[:16] not in log
