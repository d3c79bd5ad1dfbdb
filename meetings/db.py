"""Database: the declarative base, shared column types and the engine's per-dialect settings."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Annotated, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Integer, MetaData, String, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, mapped_column, registry, scoped_session

from annotations.columns import NAMING_CONVENTION, UTCDateTime, enum_column, utcnow

log = logging.getLogger(__name__)

__all__ = ["NAMING_CONVENTION", "UTCDateTime", "enum_column", "utcnow"]  # shared with annotations/

class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()},
    )


intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
#: the largest key an INTEGER column holds: a client's larger id is invalid, not a database overflow
MAX_ID = 2**31 - 1
created_at = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow, nullable=False)]
str200 = Annotated[str, mapped_column(String(200))]
str500 = Annotated[str, mapped_column(String(500))]

db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: WAL so readers never wait for the writer, and foreign keys enforced."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


# -- work that must wait for the commit -------------------------------------------------------------
# Telling clients, starting background work, sending mail: none of it may happen for a change that is
# then rolled back. Callers queue it on the session; the boundary's commit runs it, a rollback drops it.

_AFTER_COMMIT = "paperless.after_commit"


def after_commit(session: Session | scoped_session[Session], callback: Callable[[], object]) -> None:
    """Run callback once session's transaction has committed; never if it is rolled back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    callbacks = session.info.pop(_AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # the change is durable; a failed notification must not turn it into an error
            log.exception("after-commit work failed")


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction: what it promised is void
        session.info.pop(_AFTER_COMMIT, None)


_KEEP_WHEN_REFUSED = "paperless.keep_when_refused"


def keep_when_refused(session: Session | scoped_session[Session]) -> None:
    """Commit what this request wrote so far even though it ends refused (a failed sign-in's record)."""
    session.info[_KEEP_WHEN_REFUSED] = True


def end_transaction(session: Session | scoped_session[Session], succeeded: bool) -> None:
    """The boundary's one commit (or rollback) of a request, socket action or command."""
    keep = session.info.pop(_KEEP_WHEN_REFUSED, False)
    if succeeded or keep:
        session.commit()
    else:
        session.rollback()
