"""`flask seed-demo`: the demo People's Council session, its accounts, and its Vietnamese documents.

Seeding hashes 33 passwords and writes a dozen PDFs, so it runs once per database for this module;
every test here only reads (or checks that seeding again changes nothing)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pymupdf
import pytest
from sqlalchemy import func, select

from meetings import create_app
from meetings.accounts.models import User
from meetings.db import db
from meetings.dossiers.models import Document, Meeting
from tests.client import LOGIN, ApiClient, error_of, json_of
from tests.conftest import BACKENDS, app_settings, dispose

DELEGATES = [f"delegate{n:02d}" for n in range(1, 31)]
#: letters only Vietnamese writes: đ ă ơ ư and the stacked tone marks (Latin Extended Additional)
VIETNAMESE_LETTERS = re.compile(r"[đĐăĂơƠưƯ\u1ea0-\u1ef9]")


@pytest.fixture(scope="module", params=BACKENDS)
def demo(request, databases, tmp_path_factory):
    """An app whose empty database was seeded with `flask seed-demo`, and that command's result."""
    store = databases.get(request.param)
    data_dir = tmp_path_factory.mktemp("demo")
    uri, engine_options = store.checkout(data_dir)
    app = create_app(app_settings(data_dir, uri, engine_options))
    app.test_client_class = ApiClient
    threads = set(threading.enumerate())
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        yield app, result
    finally:
        for thread in set(threading.enumerate()) - threads:
            thread.join(timeout=120)
        dispose(app)
        store.release()


def _secretary(app) -> ApiClient:
    client: ApiClient = app.test_client()  # type: ignore[assignment]
    client.login("secretary", "demo")
    return client


def _the_meeting(app) -> dict:
    client = _secretary(app)
    [summary] = json_of(client.get("/api/v1/meetings"), 200)
    return json_of(client.get(f"/api/v1/meetings/{summary['id']}"), 200)


def _documents(detail: dict) -> list[dict]:
    found, stack = list(detail["documents"]), list(detail["agenda"])
    while stack:
        item = stack.pop()
        found += item["documents"]
        stack += item["children"]
    return found


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model)) for model in (User, Meeting, Document)
        )


def test_seeding_an_empty_database_succeeds(demo):
    app, result = demo

    assert result.exit_code == 0, result.output
    assert "demo" in result.output


def test_the_demo_accounts_exist_and_sign_in_with_demo(demo):
    app, _ = demo
    with app.app_context():
        accounts = dict(db.session.execute(select(User.username, User.role)).all())

    assert set(accounts) == {"admin", "secretary", "chair", *DELEGATES}
    assert (accounts["admin"], accounts["secretary"], accounts["chair"]) == ("admin", "secretary", "chair")
    assert {accounts[d] for d in DELEGATES} == {"delegate"}
    for username in ("admin", "chair", "delegate01", "delegate30"):
        answer = json_of(app.test_client().post(LOGIN, json={"username": username, "password": "demo"}), 200)
        assert answer["user"]["username"] == username
    error_of(app.test_client().post(LOGIN, json={"username": "delegate01", "password": "Demo"}), 401)


def test_there_is_one_published_meeting_with_sittings_a_nested_agenda_and_three_groups(demo):
    app, _ = demo

    meeting = _the_meeting(app)

    assert meeting["status"] == "published"
    assert meeting["sittings"]
    assert any(item["children"] for item in meeting["agenda"])
    assert len(meeting["groups"]) == 3
    assert sorted(len(g["member_ids"]) for g in meeting["groups"]) == [10, 10, 10]
    roles = {p["username"]: p["role"] for p in meeting["participants"]}
    assert (roles["chair"], roles["secretary"]) == ("chair", "secretary")
    assert {roles[d] for d in DELEGATES} == {"delegate"}


def test_the_demo_has_an_external_link_a_confidential_and_a_restricted_document(demo):
    app, _ = demo

    documents = _documents(_the_meeting(app))

    links = [d for d in documents if d["category"] == "link"]
    assert links and all(d["url"].startswith("https://") for d in links)
    assert any(d["confidentiality"] == "confidential" for d in documents)
    [restricted] = [d for d in documents if d["confidentiality"] == "restricted"]
    with app.app_context():
        readers = set(db.session.scalars(select(User.username).where(User.id.in_(restricted["reader_ids"]))))
    outsider = next(d for d in DELEGATES if d not in readers)
    for username, status in ((sorted(readers & set(DELEGATES))[0], 200), (outsider, 404)):
        client: ApiClient = app.test_client()  # type: ignore[assignment]
        client.login(username, "demo")
        assert client.get(f"/api/v1/documents/{restricted['id']}").status_code == status


def test_the_demo_documents_have_several_pages_of_vietnamese_text(demo):
    app, _ = demo
    files = Path(app.config["DATA_DIR"]) / "files"
    documents = [d for d in _documents(_the_meeting(app)) if d["category"] != "link"]

    texts = {}
    for document in documents:
        sha = document["sha256"]
        with pymupdf.open(files / sha[:2] / sha[2:4] / sha) as pdf:
            assert pdf.page_count == document["page_count"]
            texts[document["title"]] = "\n".join(page.get_text() for page in pdf)

    assert len(documents) >= 5
    assert sum(d["page_count"] >= 2 for d in documents) >= len(documents) // 2
    assert all(VIETNAMESE_LETTERS.search(text) for text in texts.values()), [
        t for t, x in texts.items() if not VIETNAMESE_LETTERS.search(x)
    ]
    assert any("ngân sách" in text.lower() for text in texts.values())


def test_seeding_again_with_if_empty_does_nothing(demo):
    app, _ = demo
    before = _counts(app)

    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert _counts(app) == before


def test_seeding_again_without_if_empty_refuses(demo):
    app, _ = demo
    before = _counts(app)

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code != 0
    assert _counts(app) == before
