"""One transaction per request, ended at the boundary: what a view wrote commits when it answers
with a success and rolls back when it refuses; what waits for the commit runs after it, never
after a rollback."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from meetings.audit.models import AuditEntry
from meetings.db import after_commit, db, keep_when_refused
from meetings.errors import ApiError


@pytest.fixture
def told(app: Flask) -> list[str]:
    """Routes that write an audit entry and queue a notice, then answer as their name says."""
    notices: list[str] = []

    def write(action: str) -> None:
        db.session.add(AuditEntry(action=action))
        db.session.flush()
        after_commit(db.session, lambda: notices.append(action))

    @app.post("/test/succeeds")
    def succeeds() -> Any:
        write("test.succeeded")
        return {"ok": True}

    @app.post("/test/refuses")
    def refuses() -> Any:
        write("test.refused")
        raise ApiError(409, "conflict", "no")

    @app.post("/test/answers-409")
    def answers_409() -> Any:
        write("test.answered_409")
        return {"ok": False}, 409

    @app.post("/test/keeps-its-record")
    def keeps_its_record() -> Any:
        write("test.kept")
        keep_when_refused(db.session)
        raise ApiError(401, "invalid_credentials", "no")

    return notices


def actions(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("test.%"))))


def test_a_success_commits_and_then_tells(app: Flask, told: list[str]) -> None:
    assert app.test_client().post("/test/succeeds").status_code == 200
    assert actions(app) == {"test.succeeded"}
    assert told == ["test.succeeded"]


@pytest.mark.parametrize("route", ["/test/refuses", "/test/answers-409"])
def test_a_refusal_rolls_back_and_tells_nobody(app: Flask, told: list[str], route: str) -> None:
    assert app.test_client().post(route).status_code == 409
    assert actions(app) == set()
    assert told == []


def test_a_refusal_may_keep_its_own_record(app: Flask, told: list[str]) -> None:
    assert app.test_client().post("/test/keeps-its-record").status_code == 401
    assert actions(app) == {"test.kept"}


def test_no_view_commits_by_hand() -> None:
    """The boundary is the only place that commits in a request (commands and background tasks are
    boundaries of their own)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "meetings"
    boundaries = {"cli.py", "prerender.py", "namespace.py", "db.py", "__init__.py"}
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if p.name not in boundaries and ".commit()" in p.read_text(encoding="utf-8")]
    assert offenders == []
