"""The roster refuses what it cannot take with a clear 4xx, never a 500 (found by schemathesis)."""

from __future__ import annotations

import io
from typing import Any

from tests.client import error_of


def test_renaming_a_group_to_a_name_another_group_has_is_a_conflict(auth: Any, make: Any) -> None:
    meeting = make.published_meeting()
    first, second = make.group(meeting, name="Tổ 1"), make.group(meeting, name="Tổ 2")
    client = auth.client_for(make.user(role="secretary"))
    response = client.put(f"/api/v1/meetings/{meeting.id}/groups/{second.id}",
                          json={"name": " Tổ 1 ", "member_ids": [], "rapporteur_id": None})
    assert error_of(response, 409)["code"] == "conflict"
    kept = client.put(f"/api/v1/meetings/{meeting.id}/groups/{first.id}",
                      json={"name": "Tổ 1", "member_ids": [], "rapporteur_id": None})
    assert kept.status_code == 200 and kept.get_json()["name"] == "Tổ 1"  # its own name stays its own


def test_a_csv_with_a_stray_carriage_return_is_refused_as_malformed(auth: Any, make: Any) -> None:
    meeting = make.meeting()
    client = auth.client_for(make.user(role="secretary"))
    response = client.post(f"/api/v1/meetings/{meeting.id}/participants/import",
                           data={"file": (io.BytesIO(b"\rYN"), "roster.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_csv"
