"""A test's database as one outer transaction, rolled back at the end (the way pypi/warehouse's tests
do it): every session the app or a factory opens joins that transaction with a SAVEPOINT, so the
app's commits and rollbacks behave as usual while nothing reaches the database for good.

Only the test's own thread may use that connection: a server process, another thread (the
pre-rendering that publishing starts) or a second connection would not see the uncommitted rows.
Such tests take the committed_database marker and get a real database of their own (tests/conftest.py)."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

from meetings.db import db

#: app.extensions key of the test's OuterTransaction (absent on an app with a committed database)
KEY = "tests.outer_transaction"
MARKER = "committed_database"


class OuterTransaction:
    """A connection with a transaction begun, for one test, and the threads that tried to use it."""

    def __init__(self, engine: sa.Engine) -> None:
        self.connection = engine.connect()
        self.transaction = self.connection.begin()
        self.owner = threading.get_ident()
        self.strangers: list[str] = []

    def connection_here(self) -> sa.Connection:
        if threading.get_ident() != self.owner:
            name = threading.current_thread().name
            self.strangers.append(name)
            raise RuntimeError(
                f"thread {name!r} used the test's database, which is one uncommitted transaction of the "
                f"test's own thread: give the test @pytest.mark.{MARKER}"
            )
        return self.connection

    def close(self) -> None:
        """Roll everything back and give the connection back to the pool."""
        try:
            if self.transaction.is_active:
                self.transaction.rollback()
        finally:
            self.connection.close()


class JoinedSession(FlaskSession):
    """db.session's class in tests: on an app with an OuterTransaction, sessions use its connection
    (the session factory's join_transaction_mode makes each of them a SAVEPOINT in it)."""

    def get_bind(
        self,
        mapper: Any | None = None,
        clause: Any | None = None,
        bind: sa.Engine | sa.Connection | None = None,
        **kwargs: Any,
    ) -> sa.Engine | sa.Connection:
        if bind is None:
            outer: OuterTransaction | None = current_app.extensions.get(KEY)
            if outer is not None:
                return outer.connection_here()
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def install() -> None:
    """Make db.session join a test's outer transaction (apps without one are not affected).

    Flask-SQLAlchemy 3.1's Session.get_bind returns the app's engine and ignores a `bind` given to
    the session, so the session class is swapped rather than the session configured."""
    factory = db.session.session_factory
    factory.class_ = JoinedSession
    factory.configure(join_transaction_mode="create_savepoint")


def bind_of(app: Flask) -> sa.Engine | sa.Connection:
    """What a session of the test's own (a factory's) binds to: the outer transaction's connection,
    or the app's engine. Call it inside an app context of app."""
    outer: OuterTransaction | None = app.extensions.get(KEY)
    return outer.connection_here() if outer is not None else db.engine


def has_outer_transaction(app: Flask) -> bool:
    return KEY in app.extensions


def require_committed_database(app: Flask, who: str) -> None:
    """Refuse, saying why, when who (another process, thread or connection) could not see the data."""
    if has_outer_transaction(app):
        raise RuntimeError(f"{who} cannot see a test's uncommitted transaction: give the test @pytest.mark.{MARKER}")


def sqlite_engine(uri: str) -> sa.Engine:
    """An engine on a SQLite file whose transactions, savepoints included, are SQLAlchemy's to run.

    The sqlite3 module begins transactions itself, late, and breaks SAVEPOINT; SQLAlchemy's recipe
    (docs: "Serializable isolation / Savepoints / Transactional DDL") turns that off and emits BEGIN."""
    engine = sa.create_engine(uri)

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, connection_record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine
