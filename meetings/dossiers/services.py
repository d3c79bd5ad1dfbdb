"""Building a dossier: meetings, sittings, agenda, documents and their versions, publishing.

Services flush and never commit: the request (or command) that calls them owns the transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotations.model import Annotation
from meetings import audit
from meetings.accounts.models import User
from meetings.db import utcnow
from meetings.dossiers.models import (
    AgendaItem,
    Category,
    Document,
    DocumentVersion,
    Meeting,
    MeetingStatus,
    Sitting,
)
from meetings.errors import DomainError
from meetings.pdf.check import PdfFacts, UnacceptablePdf, inspect_pdf
from meetings.pdf.store import FileStore

MEETING_FIELDS = ("title", "body", "term", "place", "description")
DOCUMENT_FIELDS = (
    "title", "number", "symbol", "issuing_body", "issued_on", "confidentiality", "downloadable",
    "category", "url", "agenda_item_id",
)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pages: int
    max_side_pt: float


class DossierService:
    """Operations of a secretary on meetings' dossiers, on behalf of one actor."""

    def __init__(self, session: Session, store: FileStore, limits: UploadLimits, actor: User,
                 ip: str | None = None, prepare_file: Callable[[str], None] | None = None,
                 inspect: Callable[[Path, UploadLimits], PdfFacts] | None = None) -> None:
        self.session = session
        #: checks an uploaded file (the server passes one that runs in a render worker)
        self.inspect = inspect or inspect_here
        #: called with a stored file's sha256 before its row is written: slow work on the file (text
        #: extraction) happens there, outside the database transaction's write lock
        self.prepare_file = prepare_file
        self.store = store
        self.limits = limits
        self.actor = actor
        self.ip = ip

    def _audit(self, action: str, meeting: Meeting | None, target: Any = None, **details: Any) -> None:
        audit.record(self.session, action, actor_id=self.actor.id, meeting_id=meeting.id if meeting else None,
                     target=target, ip=self.ip, **details)

    # -- meetings -------------------------------------------------------------------------------
    def create_meeting(self, data: Mapping[str, Any]) -> Meeting:
        meeting = Meeting(created_by_id=self.actor.id, **{k: data[k] for k in MEETING_FIELDS if k in data})
        self.session.add(meeting)
        self.session.flush()
        self._audit("meeting.create", meeting, meeting, title=meeting.title)
        return meeting

    def update_meeting(self, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
        self._require_open(meeting)
        changed = {k: data[k] for k in MEETING_FIELDS if k in data and data[k] != getattr(meeting, k)}
        for key, value in changed.items():
            setattr(meeting, key, value)
        self.session.flush()
        self._audit("meeting.update", meeting, meeting, fields=sorted(changed))
        return meeting

    def publish(self, meeting: Meeting) -> Meeting:
        """Open the dossier to its participants. Publishing again is harmless."""
        self._require_open(meeting)
        if not any(d.versions or d.category is Category.LINK for d in meeting.documents):
            raise DomainError("empty_dossier", _l("Add at least one document before publishing."))
        if meeting.status is MeetingStatus.DRAFT:
            meeting.status = MeetingStatus.PUBLISHED
            meeting.published_at = utcnow()
            self.session.flush()
            self._audit("meeting.publish", meeting, meeting)
        return meeting

    def _require_open(self, meeting: Meeting) -> None:
        if meeting.status is MeetingStatus.CLOSED:
            raise DomainError("meeting_closed", _l("The meeting is closed; its dossier can no longer change."))

    # -- sittings and agenda ----------------------------------------------------------------------
    def add_sitting(self, meeting: Meeting, data: Mapping[str, Any]) -> Sitting:
        self._require_open(meeting)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise DomainError("invalid", _l("A sitting must end after it starts."))
        sitting = Sitting(meeting=meeting, **data)
        self.session.add(sitting)
        self.session.flush()
        self._audit("sitting.create", meeting, sitting)
        return sitting

    def add_agenda_item(self, meeting: Meeting, data: Mapping[str, Any]) -> AgendaItem:
        self._require_open(meeting)
        parent = self._parent_item(meeting, data.get("parent_id"))
        siblings = [i for i in meeting.agenda_items if i.parent_id == (parent.id if parent else None)]
        item = AgendaItem(
            meeting=meeting,
            parent=parent,
            position=max((i.position for i in siblings), default=-1) + 1,
            title=data["title"],
            description=data.get("description", ""),
            presenter=data.get("presenter", ""),
        )
        self.session.add(item)
        self.session.flush()
        self._audit("agenda.create", meeting, item, title=item.title)
        return item

    def update_agenda_item(self, item: AgendaItem, data: Mapping[str, Any]) -> AgendaItem:
        self._require_open(item.meeting)
        for key in ("title", "description", "presenter"):
            if key in data:
                setattr(item, key, data[key])
        self.session.flush()
        self._audit("agenda.update", item.meeting, item)
        return item

    def delete_agenda_item(self, item: AgendaItem) -> None:
        self._require_open(item.meeting)
        meeting = item.meeting
        self._audit("agenda.delete", meeting, item, title=item.title)
        # Children first: once the item's removal is flushed (loading children autoflushes), they
        # would be orphaned to the top level instead of deleted.
        children = list(item.children)
        meeting.agenda_items.remove(item)
        for child in children:
            meeting.agenda_items.remove(child)
        self.session.flush()

    def reorder_agenda(self, meeting: Meeting, order: Iterable[Mapping[str, Any]]) -> list[AgendaItem]:
        """Apply a full new order: a list of {id, parent_id}; positions follow the list's order."""
        self._require_open(meeting)
        items = {i.id: i for i in meeting.agenda_items}
        entries = list(order)
        ids = [e["id"] for e in entries]
        if sorted(ids) != sorted(items):
            raise DomainError("invalid_order", _l("The new order must list every agenda item exactly once."))
        parents = {e["id"]: e.get("parent_id") for e in entries}
        for item_id, parent_id in parents.items():
            if parent_id is not None and (parent_id not in items or parents.get(parent_id) is not None
                                          or parent_id == item_id):
                raise DomainError("invalid_order", _l("Agenda items nest one level only."))
        counters: dict[int | None, int] = {}
        for entry in entries:
            item = items[entry["id"]]
            item.parent_id = parents[item.id]
            item.position = counters.get(item.parent_id, 0)
            counters[item.parent_id] = item.position + 1
        self.session.flush()
        self._audit("agenda.reorder", meeting, meeting)
        self.session.expire(meeting, ["agenda_items"])
        return list(meeting.agenda_items)

    def _parent_item(self, meeting: Meeting, parent_id: int | None) -> AgendaItem | None:
        if parent_id is None:
            return None
        parent = self.session.get(AgendaItem, parent_id)
        if parent is None or parent.meeting_id != meeting.id:
            raise DomainError("invalid", _l("The parent agenda item is not part of this meeting."))
        if parent.parent_id is not None:
            raise DomainError("invalid", _l("Agenda items nest one level only."))
        return parent

    def _agenda_item(self, meeting: Meeting, item_id: int | None) -> AgendaItem | None:
        if item_id is None:
            return None
        item = self.session.get(AgendaItem, item_id)
        if item is None or item.meeting_id != meeting.id:
            raise DomainError("invalid", _l("The agenda item is not part of this meeting."))
        return item

    # -- documents --------------------------------------------------------------------------------
    def upload_document(self, meeting: Meeting, stream: BinaryIO, filename: str,
                        data: Mapping[str, Any]) -> Document:
        """File a new PDF under the meeting; it becomes the document's version 1."""
        self._require_open(meeting)
        if data.get("category") is Category.LINK:
            raise DomainError("invalid", _l("A link document has a URL, not a file."))
        document = self._new_document(meeting, data, default_title=_title_from(filename))
        self._store_version(document, stream, filename)
        self._audit("document.upload", meeting, document, filename=filename)
        return document

    def add_link(self, meeting: Meeting, data: Mapping[str, Any]) -> Document:
        self._require_open(meeting)
        document = self._new_document(meeting, {**data, "category": Category.LINK}, default_title=data["url"])
        self.session.flush()
        self._audit("document.link", meeting, document, url=document.url)
        return document

    def upload_version(self, document: Document, stream: BinaryIO, filename: str) -> DocumentVersion:
        """Replace a document's file; earlier versions stay retrievable."""
        self._require_open(document.meeting)
        if document.category is Category.LINK:
            raise DomainError("invalid", _l("A link document has no file versions."))
        version = self._store_version(document, stream, filename)
        self._audit("document.version", document.meeting, document, version=version.number, filename=filename)
        return version

    def update_document(self, document: Document, data: Mapping[str, Any]) -> Document:
        self._require_open(document.meeting)
        if "agenda_item_id" in data:
            self._agenda_item(document.meeting, data["agenda_item_id"])
        if "category" in data and (data["category"] is Category.LINK) != (document.category is Category.LINK):
            raise DomainError("invalid", _l("A file document cannot become a link, nor a link a file."))
        changed = []
        for key in DOCUMENT_FIELDS:
            if key in data and data[key] != getattr(document, key):
                setattr(document, key, data[key])
                changed.append(key)
        if "reader_ids" in data:
            document.readers = self._users(data["reader_ids"])
            changed.append("readers")
        self.session.flush()
        self._audit("document.update", document.meeting, document, fields=changed)
        return document

    def delete_document(self, document: Document) -> None:
        self._require_open(document.meeting)
        if document.meeting.status is not MeetingStatus.DRAFT:
            raise DomainError("published", _l("A published document cannot be deleted; upload a new version."))
        self._audit("document.delete", document.meeting, document, title=document.title)
        # the annotations package keeps no foreign keys to the app's tables: remove them with it
        self.session.execute(delete(Annotation).where(Annotation.document_id == document.id))
        self.session.delete(document)
        self.session.flush()

    def _new_document(self, meeting: Meeting, data: Mapping[str, Any], default_title: str) -> Document:
        self._agenda_item(meeting, data.get("agenda_item_id"))
        position = self.session.scalar(
            select(func.coalesce(func.max(Document.position), -1)).where(Document.meeting_id == meeting.id)
        )
        fields = {k: data[k] for k in DOCUMENT_FIELDS if data.get(k) is not None}
        fields.setdefault("title", default_title)
        readers = self._users(data["reader_ids"]) if data.get("reader_ids") else []
        document = Document(meeting=meeting, position=(position or 0) + 1, readers=readers, **fields)
        self.session.add(document)
        return document

    def _users(self, ids: Iterable[int]) -> list[User]:
        wanted = set(ids)
        users = list(self.session.scalars(select(User).where(User.id.in_(wanted))))
        if len(users) != len(wanted):
            raise DomainError("invalid", _l("Some of the named readers do not exist."))
        return users

    def _store_version(self, document: Document, stream: BinaryIO, filename: str) -> DocumentVersion:
        limits = self.limits
        try:
            spooled, sha256, size = self.store.spool(stream, limits.max_bytes)
        except OverflowError:
            raise DomainError("file_too_large",
                _l("The file is larger than %(mb)d MB.", mb=limits.max_bytes // (1 << 20)),
            ) from None
        try:
            facts = self.inspect(spooled, limits)
        except UnacceptablePdf as bad:
            self.store.discard(spooled)
            raise DomainError(bad.code, bad.message) from None
        self.store.keep(spooled, sha256)
        if self.prepare_file is not None:
            self.prepare_file(sha256)
        version = DocumentVersion(
            document=document,
            number=len(document.versions) + 1,
            sha256=sha256,
            size_bytes=size,
            page_count=facts.page_count,
            page_sizes=facts.page_sizes,
            original_filename=filename[:255],
            uploaded_by_id=self.actor.id,
        )
        self.session.add(version)
        self.session.flush()
        return version


def inspect_here(path: Path, limits: UploadLimits) -> PdfFacts:
    """Check an upload in this process (commands and scripts; the server uses its workers)."""
    return inspect_pdf(path, size=path.stat().st_size, max_pages=limits.max_pages, max_side_pt=limits.max_side_pt)


def _title_from(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return stem.replace("_", " ").strip() or "Document"
