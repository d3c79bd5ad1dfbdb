"""Creating, editing, deleting and listing annotations. Flushes, never commits: the caller owns
the transaction (and tells others only after it commits).

Every action is idempotent by its client_id, and edits name the revision they were made against,
so two devices of one delegate never silently overwrite each other."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from annotations import sync
from annotations.columns import utcnow
from annotations.model import Annotation
from annotations.schema import AnnotationError, parse_changes, parse_new
from annotations.visibility import Visibility


@dataclass(frozen=True)
class Reader:
    """Who acts or reads, as the host knows them: their id and their groups in the meeting."""

    user_id: int
    group_ids: frozenset[int]


@dataclass(frozen=True)
class Target:
    """The document version an annotation is made on, already checked by the host."""

    meeting_id: int
    document_id: int
    version_id: int
    page_count: int


class AnnotationStore:
    #: a client_id names one action of one author in one meeting (the table's unique constraint)
    KEY = ("meeting_id", "author_id", "client_id")

    def __init__(self, session: Session) -> None:
        self.session = session

    def create(self, target: Target, author: Reader, payload: Any) -> tuple[Annotation, bool]:
        """Store a new annotation; return it and whether it is new (False: a retry, answered again)."""
        fields = parse_new(payload)
        values = {"meeting_id": target.meeting_id, "author_id": author.user_id, "client_id": fields["client_id"]}
        try:
            if fields["page"] > target.page_count:
                raise AnnotationError("invalid", f"page {fields['page']} is past the document's {target.page_count}")
            fields["group_id"] = self._group(fields["visibility"], fields.get("group_id"), author)
        except AnnotationError:
            # a retry of an action stored earlier is answered even if it no longer fits (a new version)
            existing = sync.stored(self.session, Annotation, values, self.KEY)
            if existing is not None:
                return existing, False
            raise
        return sync.insert_once(self.session, Annotation, {
            **fields, **values, "document_id": target.document_id, "version_id": target.version_id,
        }, self.KEY)

    def own(self, annotation_id: Any, author_id: int) -> Annotation:
        """The author's annotation, locked for the edit (SELECT ... FOR UPDATE: two edits of one
        revision from two processes must not both pass the revision check; PostgreSQL locks the
        row until commit, SQLite has one writer at a time anyway); not_found for another's."""
        annotation = (self.session.get(Annotation, annotation_id, with_for_update=True, populate_existing=True)
                      if isinstance(annotation_id, int) and not isinstance(annotation_id, bool) else None)
        if annotation is None or annotation.author_id != author_id:
            # another's annotation looks like no annotation: its existence is not ours to learn
            raise AnnotationError("not_found", "no such annotation of yours")
        return annotation

    def update(self, annotation: Annotation | int, author: Reader, payload: Any) -> tuple[Annotation, bool]:
        """Apply an edit made against payload["revision"]; return the annotation and whether it changed.
        annotation: its id, or the row own() returned."""
        annotation, applied = self._own(annotation, author, payload)
        if applied:
            return annotation, False
        changes = parse_changes(payload)
        if "visibility" in changes or "group_id" in changes:
            visibility = changes.get("visibility", annotation.visibility)
            changes["group_id"] = self._group(visibility, changes.get("group_id", annotation.group_id), author)
        for key, value in changes.items():
            setattr(annotation, key, value)
        sync.bump(annotation, payload)
        self.session.flush()
        return annotation, True

    def delete(self, annotation: Annotation | int, author: Reader, payload: Any) -> tuple[Annotation, bool]:
        """Delete (softly, so that clients catching up learn of it); a repeat is answered, not refused."""
        annotation, applied = self._own(annotation, author, payload, allow_deleted=True)
        if applied:
            return annotation, False
        annotation.deleted_at = utcnow()
        sync.bump(annotation, payload)
        self.session.flush()
        return annotation, True

    def visible_to(self, meeting_id: int, reader: Reader, document_ids: Collection[int],
                   include_deleted: bool = False) -> list[Annotation]:
        """Annotations of the meeting on these documents that reader may see (see visibility.may_see)."""
        if not document_ids:
            return []
        query = select(Annotation).where(
            Annotation.meeting_id == meeting_id,
            Annotation.document_id.in_(list(document_ids)),
            or_(
                Annotation.author_id == reader.user_id,
                Annotation.visibility == Visibility.MEETING,
                (Annotation.visibility == Visibility.GROUP) & Annotation.group_id.in_(list(reader.group_ids)),
            ),
        ).order_by(Annotation.document_id, Annotation.page, Annotation.id)
        if not include_deleted:
            query = query.where(Annotation.deleted_at.is_(None))
        return list(self.session.scalars(query))

    def _own(self, annotation: Annotation | int, author: Reader, payload: Any,
             allow_deleted: bool = False) -> tuple[Annotation, bool]:
        """The author's annotation, checked against the payload's revision; True if this action
        (by its client_id) was already applied, or is a deletion of a deleted annotation."""
        if not isinstance(payload, dict):
            raise AnnotationError("invalid", "the payload must be an object")
        row = annotation if isinstance(annotation, Annotation) else self.own(annotation, author.user_id)
        if row.author_id != author.user_id:
            raise AnnotationError("not_found", "no such annotation of yours")
        return row, sync.check_edit(row, payload, deleted=row.deleted, allow_deleted=allow_deleted)

    @staticmethod
    def _group(visibility: Visibility, group_id: int | None, author: Reader) -> int | None:
        if visibility is not Visibility.GROUP:
            return None
        if group_id is None and len(author.group_ids) == 1:
            return next(iter(author.group_ids))
        if group_id is None or group_id not in author.group_ids:
            raise AnnotationError("invalid", "share with a group you belong to (group_id)")
        return group_id
