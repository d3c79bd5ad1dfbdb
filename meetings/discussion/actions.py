"""Comment and group-discussion actions on the live layer: each stored, logged as an event for its
audience (the meeting or one group; a restricted document narrows to its readers), acknowledged
with the stored result. One table (meetings.live.actions) but for the summary's several events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from meetings.accounts.models import User
from meetings.db import db
from meetings.discussion import presenters
from meetings.discussion.models import Comment, CommentVisibility, Discussion, GroupMessage, GroupSummary
from meetings.discussion.services import CommentService, DiscussionService, names_of
from meetings.discussion.text import DiscussionError
from meetings.live import events
from meetings.live.actions import Change, LiveAction, Notice, failure, register
from meetings.live.context import Delivery, LiveContext
from meetings.live.models import Audience

Result = tuple[dict[str, Any], list[Delivery]]


def _names(ctx: LiveContext, author_id: int | None) -> dict[int, str]:
    """The author's name: the socket's own user's without a query (their own items, mostly)."""
    return {ctx.user_id: ctx.name} if author_id == ctx.user_id else names_of(ctx.session, [author_id])


def comment_audience(comment: Comment) -> tuple[Audience, int]:
    if comment.visibility is CommentVisibility.GROUP and comment.group_id is not None:
        return Audience.GROUP, comment.group_id
    return Audience.MEETING, comment.meeting_id


def present_comment(ctx: LiveContext, comment: Comment) -> dict[str, Any]:
    return presenters.comment(comment, _names(ctx, comment.author_id))


def present_message(ctx: LiveContext, message: GroupMessage) -> dict[str, Any]:
    return presenters.message(message, _names(ctx, message.author_id))


def _comments(ctx: LiveContext) -> CommentService:
    return CommentService(ctx.session, ctx.user, ctx)


def _discussions(ctx: LiveContext) -> DiscussionService:
    return DiscussionService(ctx.session, ctx.user, ctx)


def _mentions(comment: Comment, user_ids: list[int], actor_id: int) -> list[Notice]:
    """Each newly mentioned participant hears of it in their own user room (restricted: readers only)."""
    return [Notice("comment.mentioned", (Audience.USER, uid), lambda c: {"comment": c, "by": actor_id})
            for uid in user_ids]


def _stale(ctx: LiveContext, exc: DiscussionError, payload: Any) -> DiscussionError:
    """A stale edit's refusal carries the current comment (loaded by the edit: no query)."""
    if exc.code == "stale_revision" and isinstance(payload, dict) and isinstance(payload.get("id"), int):
        current = ctx.session.get(Comment, payload["id"])
        if current is not None:
            exc.extra["comment"] = present_comment(ctx, current)
    return exc


def create_comment(ctx: LiveContext, payload: Any) -> Change:
    comment, new, mentioned = _comments(ctx).create(payload)
    return Change(comment, new, after=_mentions(comment, mentioned, ctx.user_id))


def update_comment(ctx: LiveContext, payload: Any) -> Change:
    try:
        comment, changed, mentioned = _comments(ctx).update(payload)
    except DiscussionError as exc:
        raise _stale(ctx, exc, payload) from None
    return Change(comment, changed, after=_mentions(comment, mentioned, ctx.user_id))


def delete_comment(ctx: LiveContext, payload: Any) -> Change:
    try:
        return Change(*_comments(ctx).delete(payload))
    except DiscussionError as exc:
        raise _stale(ctx, exc, payload) from None


def _comment_action(call: Any, event: str) -> LiveAction:
    return LiveAction(call, present_comment, "comment", event, comment_audience)


def _message_action(call: Any, event: str) -> LiveAction:
    # a group's message is told to the group's room alone, and replayed to its members alone
    return LiveAction(call, present_message, "message", event, lambda m: (Audience.GROUP, m.group_id),
                      about_document=False)


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


def submit_summary(ctx: LiveContext, payload: Any) -> Result:
    service = _discussions(ctx)
    try:
        if not isinstance(payload, dict):
            raise DiscussionError("invalid", "the payload must be an object")
        discussion = service.get(payload.get("discussion"))
        summary, changed = service.submit_summary(discussion, payload.get("group"), payload.get("body"))
    except DiscussionError as exc:
        return failure(exc.code, exc.message, **exc.extra), []
    present = presenters.summary(summary, _names(ctx, summary.author_id))
    if not changed:
        return {"ok": True, "summary": present, "repeated": True}, []
    seq, deliveries = log_summary(summary, discussion, ctx.user_id)
    return {"ok": True, "summary": present, "seq": seq}, deliveries


ACTIONS = {
    "comment.create": _comment_action(create_comment, "comment.created"),
    "comment.update": _comment_action(update_comment, "comment.updated"),
    "comment.delete": _comment_action(delete_comment, "comment.deleted"),
    "comment.hide": _comment_action(lambda ctx, p: Change(*_comments(ctx).hide(p, ctx.ip)), "comment.updated"),
    "comment.lock": _comment_action(lambda ctx, p: Change(*_comments(ctx).lock(p, ctx.ip)), "comment.updated"),
    "group.message": _message_action(lambda ctx, p: Change(*_discussions(ctx).post(p)), "group.message"),
    "group.message.hide": _message_action(lambda ctx, p: Change(*_discussions(ctx).hide(p, ctx.ip)),
                                          "group.message.hidden"),
    "group.summary.submit": submit_summary,
}
register(ACTIONS)
