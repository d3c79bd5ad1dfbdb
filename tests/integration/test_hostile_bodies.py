"""One request must never stall everyone: a huge or hostile JSON body sent by a signed-in delegate to
any JSON route is refused at once with a small 4xx answer, and the server goes on answering."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask

BIG = 2 << 20  # past the bound on bodies that are not uploads (MAX_BODY_KB)


def json_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, path) of every API route that takes a body, path parameters filled with 1."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.endswith(".logout"):
            continue  # logout takes no body, and would end the session the rest of the test uses
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            routes.append((method, re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)))
    assert len(routes) > 15  # the whole API, not a handful
    return routes


@pytest.fixture
def delegate_client(auth: Any, make: Any) -> Any:
    meeting = make.published_meeting()
    delegate = make.user()
    make.participant(meeting, delegate)
    return auth.client_for(delegate)


def send(client: Any, method: str, path: str, body: bytes) -> Any:
    return client.open(path, method=method, data=body, content_type="application/json",
                       headers={"X-CSRFToken": client.csrf_token})


def test_a_body_past_the_bound_is_refused_before_it_is_parsed_on_every_json_route(
        app: Flask, delegate_client: Any) -> None:
    body = json.dumps({"items": [{"username": "x"}] * (BIG // 18)}).encode()
    assert len(body) > BIG
    for method, path in json_routes(app):
        response = send(delegate_client, method, path, body)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert len(response.get_data()) < 4096, (method, path)
    assert delegate_client.get("/healthz").status_code == 200


def test_a_million_item_list_within_the_bound_gets_a_small_answer_on_every_json_route(
        app: Flask, delegate_client: Any) -> None:
    # about as many items as the bound allows, in each list field the API takes, and a flood of unknown keys
    many = [0] * 100_000
    body = json.dumps({"items": many, "member_ids": many[:10_000], "reader_ids": many[:10_000],
                       **{f"unknown{i}": 1 for i in range(5_000)}}).encode()
    assert len(body) < app.config["MAX_BODY_KB"] << 10
    for method, path in json_routes(app):
        response = send(delegate_client, method, path, body)
        assert 400 <= response.status_code < 500, (method, path, response.status_code)
        assert len(response.get_data()) < 4096, (method, path, len(response.get_data()))
    assert delegate_client.get("/healthz").status_code == 200
