"""Comment and group-discussion actions on the live layer: each stored, logged as an event for its
audience (the meeting or one group; a restricted document narrows to its readers), acknowledged
with the stored result."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from meetings.accounts.models import User
from meetings.db import db
from meetings.discussion import presenters
from meetings.discussion.models import Comment, CommentVisibility, Discussion, GroupMessage, GroupSummary
from meetings.discussion.services import CommentService, DiscussionService, names_of
from meetings.discussion.text import DiscussionError
from meetings.live import events
from meetings.live.models import Audience
from meetings.live.namespace import action, failure

Delivery = tuple[dict[str, Any], list[str]]
Result = tuple[dict[str, Any], list[Delivery]]


def _error(exc: DiscussionError) -> Result:
    return failure(exc.code, exc.message, **exc.extra), []


def comment_audience(comment: Comment) -> tuple[Audience, int]:
    if comment.visibility is CommentVisibility.GROUP and comment.group_id is not None:
        return Audience.GROUP, comment.group_id
    return Audience.MEETING, comment.meeting_id


def present_comment(comment: Comment) -> dict[str, Any]:
    return presenters.comment(comment, names_of(db.session, [comment.author_id]))


def log_comment(comment: Comment, type_: str, actor_id: int) -> tuple[int, Delivery]:
    who, whom = comment_audience(comment)
    event = events.record(
        db.session,
        comment.meeting_id,
        type_,
        present_comment(comment),
        audience=who,
        audience_id=whom,
        document_id=comment.document_id,
        actor_id=actor_id,
    )
    return event.seq, (event.envelope(), events.recipients_rooms(db.session, event))


def log_mentions(comment: Comment, user_ids: list[int], actor_id: int) -> list[Delivery]:
    """Tell each newly mentioned participant, in their own user room (restricted: readers only)."""
    deliveries = []
    data = {"comment": present_comment(comment), "by": actor_id}
    for user_id in user_ids:
        event = events.record(
            db.session,
            comment.meeting_id,
            "comment.mentioned",
            data,
            audience=Audience.USER,
            audience_id=user_id,
            document_id=comment.document_id,
            actor_id=actor_id,
        )
        deliveries.append((event.envelope(), events.recipients_rooms(db.session, event)))
    return deliveries


def _stale(exc: DiscussionError, payload: Any) -> DiscussionError:
    if exc.code == "stale_revision" and isinstance(payload, dict) and isinstance(payload.get("id"), int):
        current = db.session.get(Comment, payload["id"])
        if current is not None:
            exc.extra["comment"] = present_comment(current)
    return exc


@action("comment.create")
def create_comment(user: User, payload: Any) -> Result:
    try:
        comment, new, mentioned = CommentService(db.session, user).create(payload)
    except DiscussionError as exc:
        return _error(exc)
    if not new:
        return {"ok": True, "comment": present_comment(comment), "repeated": True}, []
    seq, delivery = log_comment(comment, "comment.created", user.id)
    return {"ok": True, "comment": present_comment(comment), "seq": seq}, [
        delivery,
        *log_mentions(comment, mentioned, user.id),
    ]


@action("comment.update")
def update_comment(user: User, payload: Any) -> Result:
    try:
        comment, changed, mentioned = CommentService(db.session, user).update(payload)
    except DiscussionError as exc:
        return _error(_stale(exc, payload))
    if not changed:
        return {"ok": True, "comment": present_comment(comment), "repeated": True}, []
    seq, delivery = log_comment(comment, "comment.updated", user.id)
    return {"ok": True, "comment": present_comment(comment), "seq": seq}, [
        delivery,
        *log_mentions(comment, mentioned, user.id),
    ]


@action("comment.delete")
def delete_comment(user: User, payload: Any) -> Result:
    try:
        comment, changed = CommentService(db.session, user).delete(payload)
    except DiscussionError as exc:
        return _error(_stale(exc, payload))
    if not changed:
        return {"ok": True, "comment": present_comment(comment), "repeated": True}, []
    seq, delivery = log_comment(comment, "comment.deleted", user.id)
    return {"ok": True, "comment": present_comment(comment), "seq": seq}, [delivery]


def _moderate(user: User, payload: Any, verb: str) -> Result:
    service = CommentService(db.session, user)
    try:
        comment, changed = (service.hide if verb == "hide" else service.lock)(payload, request.remote_addr)
    except DiscussionError as exc:
        return _error(exc)
    if not changed:
        return {"ok": True, "comment": present_comment(comment), "repeated": True}, []
    seq, delivery = log_comment(comment, "comment.updated", user.id)
    return {"ok": True, "comment": present_comment(comment), "seq": seq}, [delivery]


@action("comment.hide")
def hide_comment(user: User, payload: Any) -> Result:
    return _moderate(user, payload, "hide")


@action("comment.lock")
def lock_comment(user: User, payload: Any) -> Result:
    return _moderate(user, payload, "lock")


# -- group discussion


def present_message(message: GroupMessage) -> dict[str, Any]:
    return presenters.message(message, names_of(db.session, [message.author_id]))


def log_message(message: GroupMessage, type_: str, actor_id: int) -> tuple[int, Delivery]:
    """A group's message is told to the group's room alone, and replayed to its members alone."""
    event = events.record(
        db.session,
        message.meeting_id,
        type_,
        present_message(message),
        audience=Audience.GROUP,
        audience_id=message.group_id,
        actor_id=actor_id,
    )
    return event.seq, (event.envelope(), events.recipients_rooms(db.session, event))


@action("group.message")
def post_message(user: User, payload: Any) -> Result:
    try:
        message, new = DiscussionService(db.session, user).post(payload)
    except DiscussionError as exc:
        return _error(exc)
    if not new:
        return {"ok": True, "message": present_message(message), "repeated": True}, []
    seq, delivery = log_message(message, "group.message", user.id)
    return {"ok": True, "message": present_message(message), "seq": seq}, [delivery]


@action("group.message.hide")
def hide_message(user: User, payload: Any) -> Result:
    try:
        message, changed = DiscussionService(db.session, user).hide(payload, request.remote_addr)
    except DiscussionError as exc:
        return _error(exc)
    if not changed:
        return {"ok": True, "message": present_message(message), "repeated": True}, []
    seq, delivery = log_message(message, "group.message.hidden", user.id)
    return {"ok": True, "message": present_message(message), "seq": seq}, [delivery]


def managers_of(meeting_id: int) -> list[int]:
    """Who receives the groups' summaries: the secretaries and admins, and the meeting's chair."""
    from meetings.accounts.models import Role
    from meetings.participants.models import MeetingRole, Participant

    staff = set(
        db.session.scalars(select(User.id).where(User.role.in_([Role.ADMIN, Role.SECRETARY]), User.active.is_(True)))
    )
    chairs = set(
        db.session.scalars(
            select(Participant.user_id).where(
                Participant.meeting_id == meeting_id, Participant.role == MeetingRole.CHAIR
            )
        )
    )
    return sorted(staff | chairs)


def log_summary(summary: GroupSummary, discussion: Discussion, actor_id: int) -> tuple[int, list[Delivery]]:
    """One user-audience event per manager, so that `missed` replays it to each of them alone; the
    rapporteur's group hears that it was submitted (without the text, which is the secretary's)."""
    data = presenters.summary(summary, names_of(db.session, [summary.author_id]))
    deliveries: list[Delivery] = []
    last = 0
    for user_id in managers_of(discussion.meeting_id):
        event = events.record(
            db.session,
            discussion.meeting_id,
            "group.summary.submitted",
            data,
            audience=Audience.USER,
            audience_id=user_id,
            actor_id=actor_id,
        )
        deliveries.append((event.envelope(), events.recipients_rooms(db.session, event)))
        last = event.seq
    notice = {
        k: data[k] for k in ("id", "discussion", "group_id", "author_id", "author_name", "revision", "submitted_at")
    }
    event = events.record(
        db.session,
        discussion.meeting_id,
        "group.summary.submitted",
        notice,
        audience=Audience.GROUP,
        audience_id=summary.group_id,
        actor_id=actor_id,
    )
    deliveries.append((event.envelope(), events.recipients_rooms(db.session, event)))
    return max(last, event.seq), deliveries


@action("group.summary.submit")
def submit_summary(user: User, payload: Any) -> Result:
    service = DiscussionService(db.session, user)
    try:
        if not isinstance(payload, dict):
            raise DiscussionError("invalid", "the payload must be an object")
        discussion = service.get(payload.get("discussion"))
        summary, changed = service.submit_summary(discussion, payload.get("group"), payload.get("body"))
    except DiscussionError as exc:
        return _error(exc)
    present = presenters.summary(summary, names_of(db.session, [summary.author_id]))
    if not changed:
        return {"ok": True, "summary": present, "repeated": True}, []
    seq, deliveries = log_summary(summary, discussion, user.id)
    return {"ok": True, "summary": present, "seq": seq}, deliveries


def log_discussion(discussion: Discussion, type_: str, actor_id: int) -> Delivery:
    event = events.record(
        db.session,
        discussion.meeting_id,
        type_,
        presenters.discussion(discussion),
        audience=Audience.MEETING,
        actor_id=actor_id,
    )
    return event.envelope(), events.recipients_rooms(db.session, event)
