"""Fixtures: an app on each database (SQLite and PostgreSQL), its client, factories and sign-in.

The schema is made by the Alembic migrations, once per database and test session. A test then runs
in one transaction on that database, rolled back at its end (tests/database.py); a test whose data
another process, thread or connection must see takes the committed_database marker and gets a
database of its own: a copy of the migrated SQLite file, or the migrated PostgreSQL schema emptied
after the test."""

from __future__ import annotations

import os
import secrets
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.pool import NullPool

from meetings import create_app
from meetings.accounts.models import User
from meetings.db import db
from tests import database
from tests.client import ApiClient
from tests.database import OuterTransaction
from tests.factories import Factories

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "app_config(**settings): settings the test's app is created with, over the defaults"
    )
    config.addinivalue_line(
        "markers",
        f"{database.MARKER}: the test's database is a real one of its own, each commit committed, for "
        "what another process, thread or connection must see (instead of one rolled-back transaction)",
    )


database.install()


def app_settings(
    data_dir: Path, database_uri: str, engine_options: dict[str, Any] | None = None, **overrides: Any
) -> dict[str, Any]:
    """Every key meetings.config.from_environment() sets, with the production defaults, then overrides."""
    return {
        "TESTING": True,
        "TESTING_SKIP_ENV": True,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, **(engine_options or {})},
        "PUBLIC_BASE_URL": "http://meetings.test",
        "MAX_UPLOAD_MB": 100,
        "MAX_PDF_PAGES": 2000,
        "MAX_PAGE_SIDE_PT": 14400,
        "RATELIMIT_STORAGE_URI": "memory://",
        # high enough that signing in a dozen roles never trips it; the rate-limit test sets its own
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "SESSION_COOKIE_SECURE": False,
        "SOCKETIO_MESSAGE_QUEUE": None,
        **overrides,
    }


def dispose(app: Flask) -> None:
    """Close the app's database connections (PostgreSQL would otherwise keep them open)."""
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def migrated_app(data_dir: Path, database_uri: str, engine_options: dict[str, Any] | None = None) -> Flask:
    app = create_app(app_settings(data_dir, database_uri, engine_options))
    with app.app_context():
        upgrade()
    return app


class SqliteDatabases:
    """A migrated template file, copied for each test."""

    name = "sqlite"

    def __init__(self, workdir: Path) -> None:
        self.template = workdir / "template.db"
        dispose(migrated_app(workdir, self.uri(self.template)))
        # the last connection closed has checkpointed the write-ahead log into the file
        assert not Path(f"{self.template}-wal").exists()
        # the database of the tests that roll back: a copy, so that the template stays as migrated
        self.shared = workdir / "shared.db"
        shutil.copyfile(self.template, self.shared)
        self.engine = database.sqlite_engine(self.uri(self.shared))

    @staticmethod
    def uri(path: Path) -> str:
        return f"sqlite:///{path}"

    def checkout(self, data_dir: Path) -> tuple[str, dict[str, Any]]:
        target = data_dir / "meetings.db"
        shutil.copyfile(self.template, target)
        return self.uri(target), {}

    def outer_transaction(self) -> tuple[str, dict[str, Any], OuterTransaction]:
        return self.uri(self.shared), {}, OuterTransaction(self.engine)

    def release(self) -> None:
        """Nothing to do: the file goes with the test's temporary directory."""

    @contextmanager
    def empty(self, data_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        yield self.uri(data_dir / "empty.db"), {}

    def close(self) -> None:
        """The files go with the session's temporary directory."""
        self.engine.dispose()


class PostgresDatabases:
    """One schema migrated for the session, emptied after each test; fresh schemas on demand."""

    name = "postgresql"

    def __init__(self, url: str, workdir: Path) -> None:
        self.url = url
        # a short connect timeout: an unreachable server is reported at once, not after minutes
        self.admin = sa.create_engine(
            url, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5}
        )
        with self.admin.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        self.schema = self._create_schema()
        dispose(migrated_app(workdir, url, self.options(self.schema)))
        with self.admin.connect() as connection:
            names = sa.inspect(connection).get_table_names(schema=self.schema)
        self.tables = ", ".join(f'"{self.schema}"."{n}"' for n in names if n != "alembic_version")
        self.engine = sa.create_engine(url, **self.options(self.schema))

    @staticmethod
    def options(schema: str) -> dict[str, Any]:
        return {"connect_args": {"options": f"-csearch_path={schema}"}}

    def _create_schema(self) -> str:
        schema = f"pm_test_{os.getpid()}_{secrets.token_hex(4)}"
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        return schema

    def _drop_schema(self, schema: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def checkout(self, data_dir: Path) -> tuple[str, dict[str, Any]]:
        return self.url, self.options(self.schema)

    def outer_transaction(self) -> tuple[str, dict[str, Any], OuterTransaction]:
        return self.url, self.options(self.schema), OuterTransaction(self.engine)

    def release(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text("SET lock_timeout = '20s'"))
            connection.execute(sa.text(f"TRUNCATE {self.tables} RESTART IDENTITY CASCADE"))

    @contextmanager
    def empty(self, data_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        schema = self._create_schema()
        try:
            yield self.url, self.options(schema)
        finally:
            self._drop_schema(schema)

    def close(self) -> None:
        self.engine.dispose()
        self._drop_schema(self.schema)
        self.admin.dispose()


class Databases:
    """The session's databases, made on first use; an unreachable PostgreSQL is remembered."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._made: dict[str, SqliteDatabases | PostgresDatabases] = {}
        self._unavailable: dict[str, str] = {}

    def get(self, backend: str) -> SqliteDatabases | PostgresDatabases:
        if backend in self._unavailable:
            self._unreachable(self._unavailable[backend])
        if backend not in self._made:
            workdir = self.workdir / backend
            workdir.mkdir()
            if backend == "sqlite":
                self._made[backend] = SqliteDatabases(workdir)
            else:
                try:
                    self._made[backend] = PostgresDatabases(POSTGRES_URL, workdir)
                except sa.exc.OperationalError as exc:
                    reason = f"PostgreSQL at TEST_POSTGRES_URL is not reachable: {exc.orig or exc}"
                    self._unavailable[backend] = reason
                    self._unreachable(reason)
        return self._made[backend]

    @staticmethod
    def _unreachable(reason: str) -> None:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
        pytest.skip(reason)

    def close(self) -> None:
        for made in self._made.values():
            made.close()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("databases"))
    yield made
    made.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on; every test that uses the app runs on both."""
    return str(request.param)


@pytest.fixture
def app(
    request: pytest.FixtureRequest, backend: str, databases: Databases, tmp_path: Path
) -> Iterator[Flask]:
    """The app on a migrated, empty database, with DATA_DIR in the test's temporary directory: one
    transaction rolled back after the test, or with the committed_database marker a database of its own.

    Settings from an app_config marker override the defaults."""
    store = databases.get(backend)
    marker = request.node.get_closest_marker("app_config")
    overrides = marker.kwargs if marker else {}
    committed = request.node.get_closest_marker(database.MARKER) is not None
    outer: OuterTransaction | None = None
    if committed:
        uri, engine_options = store.checkout(tmp_path)
    else:
        uri, engine_options, outer = store.outer_transaction()
    app = create_app(app_settings(tmp_path, uri, engine_options, **overrides))
    app.test_client_class = ApiClient
    if outer is not None:
        app.extensions[database.KEY] = outer
    # Render workers are not started per app: meetings.pdf.shared_pool keeps one pool per
    # process and setting, so starting PyMuPDF (a second or more) is paid once per session.
    threads = set(threading.enumerate())
    try:
        yield app
    finally:
        # Publishing pre-renders in a background thread: let it finish before the database goes.
        for thread in set(threading.enumerate()) - threads:
            thread.join(timeout=120)
        dispose(app)
        if outer is None:
            store.release()
        else:
            outer.close()
            if outer.strangers:
                pytest.fail(f"threads {sorted(set(outer.strangers))} used this test's database, one uncommitted "
                            f"transaction: give the test @pytest.mark.{database.MARKER}", pytrace=False)


@pytest.fixture
def client(app: Flask) -> ApiClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def make(app: Flask) -> Factories:
    """Factories for the test's app: make.user(), make.meeting(), make.document(meeting), ..."""
    return Factories(app)


@pytest.fixture
def make_user(make: Factories) -> Any:
    """make_user(role=..., username=...): an account that signs in with tests.factories.PASSWORD."""
    return make.user


class Auth:
    """Signing in through the JSON login API, for the test's client or for fresh ones."""

    def __init__(self, app: Flask, client: ApiClient) -> None:
        self.app = app
        self.client = client

    def login(self, user: User | str, password: str | None = None) -> dict[str, Any]:
        """Sign the test's client in as user."""
        return self.client.login(user, *([password] if password is not None else []))

    def client_for(self, user: User | None) -> ApiClient:
        """A new client signed in as user (anonymous for None)."""
        client: ApiClient = self.app.test_client()  # type: ignore[assignment]
        if user is not None:
            client.login(user)
        return client


@pytest.fixture
def auth(app: Flask, client: ApiClient) -> Auth:
    return Auth(app, client)


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()
