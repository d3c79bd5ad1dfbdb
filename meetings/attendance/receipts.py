"""Read receipts: when each participant first opened each document, and the report of them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from meetings.accounts.models import User
from meetings.attendance.models import ReadReceipt
from meetings.dossiers.models import Category, Confidentiality, Document, Meeting, MeetingStatus
from meetings.participants.models import MeetingRole, Participant, document_readers


def note_opened(session: Session, document_id: int, user_id: int, at: dt.datetime) -> bool:
    """Record the first opening (later ones change nothing); True when this was the first. A read
    first, so that the usual case, a document opened again, writes nothing."""
    seen = session.scalar(select(exists().where(ReadReceipt.document_id == document_id,
                                                ReadReceipt.user_id == user_id)))
    if seen:
        return False
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    done = session.execute(insert(ReadReceipt).values(document_id=document_id, user_id=user_id, first_opened_at=at)
                           .on_conflict_do_nothing(index_elements=["document_id", "user_id"]))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def report(session: Session, meeting: Meeting) -> dict[str, Any]:
    """Per document with pages, per participant who is not a secretary: delivered (may see it in a
    published meeting), opened (with the first time) or not."""
    people = session.execute(
        select(Participant.user_id, Participant.role, User.full_name).join(User, User.id == Participant.user_id)
        .where(Participant.meeting_id == meeting.id, Participant.role != MeetingRole.SECRETARY)
        .order_by(User.full_name, User.id)).all()
    documents = session.scalars(select(Document).where(
        Document.meeting_id == meeting.id, Document.category != Category.LINK).order_by(Document.position, Document.id))
    opened = {(r.document_id, r.user_id): r.first_opened_at for r in session.scalars(
        select(ReadReceipt).join(Document, Document.id == ReadReceipt.document_id)
        .where(Document.meeting_id == meeting.id))}
    readers = {(d, u) for d, u in session.execute(select(document_readers.c.document_id, document_readers.c.user_id)
                                  .join(Document, Document.id == document_readers.c.document_id)
                                  .where(Document.meeting_id == meeting.id))}
    published = meeting.status is not MeetingStatus.DRAFT
    out = []
    for document in documents:
        rows = []
        counts = {"opened": 0, "not_opened": 0, "not_delivered": 0}
        for user_id, role, name in people:
            delivered = published and (document.confidentiality is not Confidentiality.RESTRICTED
                                       or (document.id, user_id) in readers)
            first = opened.get((document.id, user_id))
            status = "opened" if first else "not_opened" if delivered else "not_delivered"
            counts[status] += 1
            rows.append({"user_id": user_id, "full_name": name, "role": role.value, "delivered": delivered,
                         "status": status, "first_opened_at": first})
        out.append({"document_id": document.id, "title": document.title, "counts": counts, "readers": rows})
    return {"meeting_id": meeting.id, "documents": out}


def to_csv(data: dict[str, Any], headings: list[str], statuses: dict[str, str], timezone: str) -> bytes:
    """One line per document and person; UTF-8 with a byte order mark, which is how Excel knows to
    read Vietnamese letters as UTF-8 rather than the machine's code page."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(timezone)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for document in data["documents"]:
        for row in document["readers"]:
            first = row["first_opened_at"]
            writer.writerow([document["document_id"], _cell(document["title"]), row["user_id"], _cell(row["full_name"]),
                             row["role"], statuses[row["status"]],
                             first.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S") if first else ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


#: what makes a spreadsheet read a cell as a formula (Excel and LibreOffice take full-width signs too)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _cell(text: str) -> str:
    """Text a spreadsheet would take for a formula (=, +, -, @, their full-width forms, a tab or a
    carriage return first) is kept as text."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def on_document_opened(document: object, *, user_id: int, **_: object) -> None:
    """Listener of signals.document_opened: the reader's first opening, committed by the request."""
    from meetings.db import db, utcnow

    note_opened(db.session, document.id, user_id, utcnow())  # type: ignore[attr-defined]
