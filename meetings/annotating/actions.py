"""Annotation actions on the live layer: create, update, delete; each stored, logged as an event
for its audience, acknowledged with the stored annotation."""

from __future__ import annotations

from typing import Any

from annotations import Annotation, AnnotationError, AnnotationStore, Visibility
from annotations import present as present_plain
from meetings.accounts.models import User
from meetings.db import db
from meetings.dossiers.targets import target_for
from meetings.live import events
from meetings.live.models import Audience
from meetings.live.namespace import action, failure

Delivery = tuple[dict[str, Any], list[str]]


def present(annotation: Annotation) -> dict[str, Any]:
    """An annotation as clients receive it, live and in acks: the package's data and its author's name."""
    author = db.session.get(User, annotation.author_id)
    return {**present_plain(annotation), "author_name": author.full_name if author else ""}


def audience_of(annotation: Annotation) -> tuple[Audience, int]:
    if annotation.visibility is Visibility.MEETING:
        return Audience.MEETING, annotation.meeting_id
    if annotation.visibility is Visibility.GROUP and annotation.group_id is not None:
        return Audience.GROUP, annotation.group_id
    return Audience.USER, annotation.author_id


def log_event(annotation: Annotation, type_: str, actor_id: int | None, data: dict[str, Any] | None = None,
              audience: tuple[Audience, int] | None = None) -> tuple[int, Delivery]:
    """Record an event about annotation for its audience; return its seq and its delivery."""
    who, whom = audience or audience_of(annotation)
    event = events.record(db.session, annotation.meeting_id, type_, data or present(annotation), audience=who,
                          audience_id=whom, document_id=annotation.document_id, actor_id=actor_id)
    return event.seq, (event.envelope(), events.recipients_rooms(db.session, event))


def _error(exc: AnnotationError) -> tuple[dict[str, Any], list[Delivery]]:
    return failure(exc.code, exc.message, **exc.extra), []


@action("annotation.create")
def create(user: User, payload: Any) -> tuple[dict[str, Any], list[Delivery]]:
    try:
        target, member = target_for(db.session, user, payload.get("document") if isinstance(payload, dict) else None)
        annotation, new = AnnotationStore(db.session).create(target, member.reader, payload)
    except AnnotationError as exc:
        return _error(exc)
    if not new:
        return {"ok": True, "annotation": present(annotation), "repeated": True}, []
    seq, delivery = log_event(annotation, "annotation.created", user.id)
    return {"ok": True, "annotation": present(annotation), "seq": seq}, [delivery]


def _change(user: User, payload: Any, deleting: bool) -> tuple[dict[str, Any], list[Delivery]]:
    store = AnnotationStore(db.session)
    annotation_id = payload.get("id") if isinstance(payload, dict) else None
    existing = db.session.get(Annotation, annotation_id) if isinstance(annotation_id, int) else None
    try:
        if existing is None:
            raise AnnotationError("not_found", "no such annotation of yours")
        _, member = target_for(db.session, user, existing.document_id)  # still allowed to see the document
        reader = member.reader
        before = audience_of(existing)
        if deleting:
            annotation, changed = store.delete(annotation_id, reader, payload)
        else:
            annotation, changed = store.update(annotation_id, reader, payload)
    except AnnotationError as exc:
        if exc.code == "stale_revision" and existing is not None:
            exc.extra["annotation"] = present(existing)
        return _error(exc)
    if not changed:
        return {"ok": True, "annotation": present(annotation), "repeated": True}, []
    deliveries = []
    after = audience_of(annotation)
    if before != after:
        # those who saw it before are told to drop it; the new audience then gets it (higher seq)
        gone = {"id": annotation.id, "document": annotation.document_id, "revision": annotation.revision}
        deliveries.append(log_event(annotation, "annotation.hidden", user.id, gone, audience=before)[1])
    if deleting:
        data = {"id": annotation.id, "document": annotation.document_id, "revision": annotation.revision}
        seq, delivery = log_event(annotation, "annotation.deleted", user.id, data)
    else:
        seq, delivery = log_event(annotation, "annotation.updated", user.id)
    return {"ok": True, "annotation": present(annotation), "seq": seq}, [*deliveries, delivery]


@action("annotation.update")
def update(user: User, payload: Any) -> tuple[dict[str, Any], list[Delivery]]:
    return _change(user, payload, deleting=False)


@action("annotation.delete")
def delete(user: User, payload: Any) -> tuple[dict[str, Any], list[Delivery]]:
    return _change(user, payload, deleting=True)
