"""Annotation actions on the live layer: create, update, delete; each stored, logged as an event
for its audience, acknowledged with the stored annotation (one table, meetings.live.actions)."""

from __future__ import annotations

from typing import Any

from annotations import Annotation, AnnotationError, AnnotationStore, Visibility
from annotations import present as present_plain
from meetings.accounts.models import User
from meetings.db import db
from meetings.live import events
from meetings.live.actions import Change, LiveAction, Notice, register
from meetings.live.context import Delivery, LiveContext
from meetings.live.models import Audience


def present(ctx: LiveContext, annotation: Annotation) -> dict[str, Any]:
    """An annotation as clients receive it, live and in acks: the package's data and its author's
    name (an action's annotation is always the socket's user's own)."""
    return {**present_plain(annotation), "author_name": ctx.name}


def audience_of(annotation: Annotation) -> tuple[Audience, int]:
    if annotation.visibility is Visibility.MEETING:
        return Audience.MEETING, annotation.meeting_id
    if annotation.visibility is Visibility.GROUP and annotation.group_id is not None:
        return Audience.GROUP, annotation.group_id
    return Audience.USER, annotation.author_id


def log_event(annotation: Annotation, type_: str, actor_id: int | None) -> tuple[int, Delivery]:
    """Record an event about annotation for its audience outside a live action (re-anchoring on a
    new version): the author's name and the rooms read from the database."""
    author = db.session.get(User, annotation.author_id)
    data = {**present_plain(annotation), "author_name": author.full_name if author else ""}
    who, whom = audience_of(annotation)
    event = events.record(db.session, annotation.meeting_id, type_, data, audience=who, audience_id=whom,
                          document_id=annotation.document_id, actor_id=actor_id)
    return event.seq, (event.envelope(), events.recipients_rooms(db.session, event))


def _gist(presented: dict[str, Any]) -> dict[str, Any]:
    return {"id": presented["id"], "document": presented["document"], "revision": presented["revision"]}


def create(ctx: LiveContext, payload: Any) -> Change:
    target, member = ctx.target(payload.get("document") if isinstance(payload, dict) else None)
    annotation, new = AnnotationStore(ctx.session).create(target, member.reader, payload)
    return Change(annotation, new)


def _change(ctx: LiveContext, payload: Any, deleting: bool) -> Change:
    store = AnnotationStore(ctx.session)
    annotation_id = payload.get("id") if isinstance(payload, dict) else None
    annotation = store.own(annotation_id, ctx.user_id)  # loaded once, locked for the edit
    _, member = ctx.target(annotation.document_id)  # still allowed to see the document, meeting open
    before = audience_of(annotation)
    try:
        changed = (store.delete if deleting else store.update)(annotation, member.reader, payload)[1]
    except AnnotationError as exc:
        if exc.code == "stale_revision":
            exc.extra["annotation"] = present(ctx, annotation)
        raise
    # those who saw it before are told to drop it; the new audience then gets it (higher seq)
    hidden = [Notice("annotation.hidden", before, _gist)] if changed and audience_of(annotation) != before else []
    return Change(annotation, changed, before=hidden)


ACTIONS = {
    "annotation.create": LiveAction(create, present, "annotation", "annotation.created", audience_of),
    "annotation.update": LiveAction(lambda ctx, p: _change(ctx, p, deleting=False), present, "annotation",
                                    "annotation.updated", audience_of),
    "annotation.delete": LiveAction(lambda ctx, p: _change(ctx, p, deleting=True), present, "annotation",
                                    "annotation.deleted", audience_of, data=lambda _, p: _gist(p)),
}
register(ACTIONS)
