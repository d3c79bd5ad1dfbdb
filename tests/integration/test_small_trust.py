"""Small things an attacker tries: NUL characters, telling accounts apart by the time a sign-in takes,
file names that break headers, cells that a spreadsheet would run as formulas."""

from __future__ import annotations

from typing import Any

import pytest

from meetings.accounts import api as accounts_api
from meetings.accounts import models as accounts_models
from meetings.attendance.receipts import FORMULA_STARTS
from meetings.attendance.receipts import _cell as spreadsheet_cell
from meetings.web import content_disposition
from tests.client import error_of


@pytest.mark.parametrize("body", [
    {"title": "Kỳ họp\u0000thứ 12"},
    {"title": "ok", "description": "tờ trình\u0000"},
])
def test_text_with_a_nul_character_is_a_clear_422(auth: Any, make: Any, body: dict[str, str]) -> None:
    client = auth.client_for(make.user(role="secretary"))
    assert error_of(client.post("/api/v1/meetings", json=body), 422)["code"] == "invalid"
    assert error_of(client.get("/api/v1/meetings?q=a%00b"), 422)["code"] == "invalid"
    assert client.post("/api/v1/meetings", json={"title": "Kỳ họp thứ 12"}).status_code == 201


def test_signing_in_as_nobody_costs_the_same_hashing_as_a_wrong_password(
        client: Any, make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[str] = []
    real = accounts_models.check_password_hash

    def counted(pwhash: str, password: str) -> bool:
        checks.append(pwhash.split("$", 1)[0])
        return bool(real(pwhash, password))

    monkeypatch.setattr(accounts_models, "check_password_hash", counted)
    monkeypatch.setattr(accounts_api, "check_password_hash", counted)
    user = make.user()
    for username in (user.username, "nobody-at-all"):
        checks.clear()
        response = client.post("/api/v1/auth/login", json={"username": username, "password": "wrong"})
        assert error_of(response, 401)["code"] == "invalid_credentials"
        assert len(checks) == 1, (username, checks)  # one password hash checked, either way


def test_a_download_name_is_safe_and_keeps_its_vietnamese(app: Any) -> None:
    header = content_disposition("attachment", 'Tờ trình "số 01"\r\nX-Evil: 1 (đã ghi chú).pdf')
    assert "\r" not in header and "\n" not in header
    ascii_part, exact = header.split("; filename*=UTF-8''")
    assert ascii_part.startswith('attachment; filename="') and ascii_part.count('"') == 2
    assert ascii_part.isascii() and "To trinh" in ascii_part and "da ghi chu" in ascii_part
    from urllib.parse import unquote

    assert unquote(exact) == 'Tờ trình "số 01"\r\nX-Evil: 1 (đã ghi chú).pdf'


def test_every_formula_start_is_neutralised_full_width_ones_included() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"):
        assert start in FORMULA_STARTS
        assert spreadsheet_cell(start + "1+1").startswith("'")
    assert spreadsheet_cell("Nguyễn Văn A") == "Nguyễn Văn A"
