"""One way to write a revisioned, idempotent action, for every kind of row clients write with a
client_id (annotations here; the host app's comments and group messages too).

- A new row is inserted once per (scope..., client_id) key: a retry, or the same action arriving on
  two sockets at once, is answered with the stored row. The insert never raises on the duplicate:
  on PostgreSQL and SQLite it is one `INSERT ... ON CONFLICT DO NOTHING RETURNING` (a second
  writer waits for the first to commit, then finds its row); elsewhere it runs in a SAVEPOINT
  whose IntegrityError is caught. Either way the stored row is then read back.
- An edit names the revision it was made against and carries its own client_id: the row, locked
  (SELECT ... FOR UPDATE) so that two edits of one revision cannot both pass, answers whether this
  action was applied already, was made against a stale revision, or may go ahead; applying it
  bumps the revision and remembers the action's client_id.

Nothing here commits: the caller owns the transaction. Errors are raised with the caller's error
type (code, message, **extra), so that each host keeps its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import exc, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from annotations.columns import utcnow
from annotations.schema import AnnotationError

ErrorType = Callable[..., Exception]


class Revisioned(Protocol):
    """A row edited against its revision: annotations, comments."""

    revision: int
    last_action_id: str | None
    updated_at: Any


R = TypeVar("R")
V = TypeVar("V", bound=Revisioned)

MIN_CLIENT_ID, MAX_CLIENT_ID = 8, 64


def client_id_of(payload: Any, error: ErrorType = AnnotationError) -> str:
    """The action's client_id, checked (8 to 64 characters)."""
    client_id = payload.get("client_id") if isinstance(payload, dict) else None
    if not isinstance(client_id, str) or not MIN_CLIENT_ID <= len(client_id) <= MAX_CLIENT_ID:
        raise error("invalid", "client_id must be a string of 8 to 64 characters")
    return client_id


def stored(session: Session, model: type[R], values: dict[str, Any], key: Sequence[str]) -> R | None:
    """The row of model whose key columns equal values', if stored."""
    columns = [getattr(model, name) for name in key]
    return session.scalar(select(model).where(*(c == values[name] for c, name in zip(columns, key, strict=True))))


def insert_once(session: Session, model: type[R], values: dict[str, Any], key: Sequence[str]) -> tuple[R, bool]:
    """Insert a row of model unless one with the same key (a unique constraint's columns) is
    stored; return the row and whether it is new. Flushes, never commits."""
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = upsert(model).values(**values).on_conflict_do_nothing(index_elements=list(key))
        row = session.scalars(statement.returning(model)).first()
        if row is not None:
            return row, True
    else:  # pragma: no cover - the app runs on the two above
        try:
            with session.begin_nested():
                row = model(**values)
                session.add(row)
            return row, True
        except exc.IntegrityError:
            pass
    existing = stored(session, model, values, key)
    if existing is None:  # the conflict was on another constraint: let the caller see it
        raise exc.IntegrityError("insert_once", values, Exception(f"{model.__name__}: conflict on no stored row"))
    return existing, False


def check_edit(row: V, payload: dict[str, Any], *, deleted: bool, allow_deleted: bool = False,
               error: ErrorType = AnnotationError, what: str = "annotation") -> bool:
    """Whether the action (payload's client_id) needs no applying: it was applied already, or it is
    a deletion of a deleted row. Raises gone (an edit of a deleted row) and stale_revision."""
    client_id = client_id_of(payload, error)
    if client_id == row.last_action_id:
        return True
    if deleted:
        if allow_deleted:
            return True  # deleted already (from another device, say): a deletion has nothing left to do
        raise error("gone", f"the {what} was deleted", current=row.revision)
    if payload.get("revision") != row.revision:
        raise error("stale_revision", f"the {what} changed since; here is the current one", current=row.revision)
    return False


def bump(row: Revisioned, payload: dict[str, Any]) -> None:
    """Record an applied edit: the next revision, made by this action."""
    row.revision += 1
    row.last_action_id = payload["client_id"]
    row.updated_at = utcnow()
