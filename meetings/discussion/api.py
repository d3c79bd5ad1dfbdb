"""Comments and group discussion over HTTP: listing what the caller may see, opening and closing
discussions, the rapporteur's summary, the secretary's side-by-side summaries, presence.

Writes that others must hear of are also told live (after the commit), as the live actions do."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import select

from meetings.db import MAX_ID, db
from meetings.discussion import access, actions, presenters
from meetings.discussion.models import Discussion
from meetings.discussion.presence import snapshot
from meetings.discussion.services import CommentService, DiscussionService, names_of
from meetings.discussion.text import DiscussionError
from meetings.dossiers.loaders import meeting_for
from meetings.errors import ApiError
from meetings.live import events

blp = Blueprint("discussion_api", __name__, url_prefix="/api/v1", description="Comments and group discussion")

#: human messages for the codes a client may meet (the developer's English stays in the live acks)
MESSAGES = {
    "forbidden": _l("Only the secretary or the chair may do this."),
    "already_open": _l("A discussion is open already: close it first."),
    "discussion_closed": _l("The discussion is closed: it is read-only."),
    "meeting_closed": _l("The meeting is closed."),
    "not_in_group": _l("You are in no group of this meeting."),
    "not_found": _l("Not found."),
}

Id = ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID))


def _fail(exc: DiscussionError) -> ApiError:
    return ApiError(exc.status, exc.code, MESSAGES.get(exc.code, exc.message))


class CommentArgs(ma.Schema):
    document = ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID))
    agenda_item = ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID))


class CommentOut(ma.Schema):
    id = ma.fields.Integer()
    meeting = ma.fields.Integer()
    document = ma.fields.Integer()
    parent_id = ma.fields.Integer(allow_none=True)
    author_id = ma.fields.Integer()
    author_name = ma.fields.String()
    visibility = ma.fields.String()
    group_id = ma.fields.Integer(allow_none=True)
    page = ma.fields.Integer(allow_none=True)
    anchor = ma.fields.Dict(allow_none=True)
    body = ma.fields.String(metadata={"description": "plain text; empty when deleted or hidden"})
    mentions = ma.fields.List(ma.fields.Integer())
    client_id = ma.fields.String()
    revision = ma.fields.Integer()
    locked = ma.fields.Boolean()
    edited = ma.fields.Boolean()
    deleted = ma.fields.Boolean()
    hidden = ma.fields.Boolean()
    created_at = ma.fields.String()
    updated_at = ma.fields.String()
    history = ma.fields.List(ma.fields.Dict(), metadata={"description": "earlier texts, oldest first"})


class ThreadOut(CommentOut):
    replies = ma.fields.List(ma.fields.Nested(CommentOut))


class ThreadList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ThreadOut))


class CountOut(ma.Schema):
    agenda_item_id = ma.fields.Integer(allow_none=True)
    comment_count = ma.fields.Integer()


class DocumentCountOut(ma.Schema):
    document_id = ma.fields.Integer()
    comment_count = ma.fields.Integer()


class CountList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(CountOut))
    documents = ma.fields.List(ma.fields.Nested(DocumentCountOut))


class DiscussionIn(ma.Schema):
    topic = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    minutes = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1, max=600),
        metadata={"description": "the time limit, shown as a countdown"},
    )
    agenda_item_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=MAX_ID))
    sitting_id = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=MAX_ID))


class DiscussionOut(ma.Schema):
    id = ma.fields.Integer()
    meeting = ma.fields.Integer()
    agenda_item_id = ma.fields.Integer(allow_none=True)
    sitting_id = ma.fields.Integer(allow_none=True)
    topic = ma.fields.String()
    opens_at = ma.fields.String()
    ends_at = ma.fields.String()
    closed_at = ma.fields.String(allow_none=True)
    open = ma.fields.Boolean()


class DiscussionList(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(DiscussionOut))


class MessageArgs(ma.Schema):
    group = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=MAX_ID),
        metadata={"description": "the group (yours by default; any for moderators)"},
    )


class MessageOut(ma.Schema):
    id = ma.fields.Integer()
    meeting = ma.fields.Integer()
    discussion = ma.fields.Integer()
    group_id = ma.fields.Integer()
    author_id = ma.fields.Integer()
    author_name = ma.fields.String()
    body = ma.fields.String(metadata={"description": "plain text; empty when hidden"})
    reply_to = ma.fields.Integer(allow_none=True)
    link = ma.fields.Dict(allow_none=True)
    client_id = ma.fields.String()
    hidden = ma.fields.Boolean()
    created_at = ma.fields.String()


class MessageList(ma.Schema):
    group_id = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(MessageOut))


class SummaryIn(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))
    group = ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID))


class SummaryOut(ma.Schema):
    id = ma.fields.Integer()
    discussion = ma.fields.Integer()
    group_id = ma.fields.Integer()
    author_id = ma.fields.Integer(allow_none=True)
    author_name = ma.fields.String()
    body = ma.fields.String()
    revision = ma.fields.Integer()
    submitted_at = ma.fields.String()


class GroupSummaryOut(ma.Schema):
    group_id = ma.fields.Integer()
    group_name = ma.fields.String()
    summary = ma.fields.Nested(SummaryOut, allow_none=True)


class SummaryList(ma.Schema):
    discussion = ma.fields.Nested(DiscussionOut)
    items = ma.fields.List(ma.fields.Nested(GroupSummaryOut))


class PresenceGroup(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    members = ma.fields.Integer()
    online = ma.fields.List(ma.fields.Integer())


class PresenceUser(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class PresenceOut(ma.Schema):
    meeting = ma.fields.Integer()
    count = ma.fields.Integer(metadata={"description": "people connected (two devices count once)"})
    online = ma.fields.List(ma.fields.Nested(PresenceUser))
    groups = ma.fields.List(ma.fields.Nested(PresenceGroup))


# -- comments


@blp.route("/meetings/<int:meeting_id>/comments", methods=["GET"], endpoint="listComments")
@login_required
@blp.arguments(CommentArgs, location="query")
@blp.response(200, ThreadList)
@blp.doc(operationId="listComments")
def list_comments(args: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """The comment threads the caller may see, by document or agenda item, oldest first."""
    meeting = meeting_for(meeting_id)
    threads = CommentService(db.session, current_user).threads(meeting, args.get("document"), args.get("agenda_item"))
    names = names_of(db.session, [c.author_id for root, replies in threads for c in (root, *replies)])

    def one(c: Any) -> dict[str, Any]:
        return {**presenters.comment(c, names), "history": presenters.history(c)}

    return {"items": [{**one(root), "replies": [one(r) for r in replies]} for root, replies in threads]}


@blp.route("/meetings/<int:meeting_id>/comments/counts", methods=["GET"], endpoint="countComments")
@login_required
@blp.response(200, CountList)
@blp.doc(operationId="countComments")
def count_comments(meeting_id: int) -> dict[str, Any]:
    """How many comments the caller may see, per agenda item (None: documents outside the agenda)
    and per document, for the agenda's badges."""
    meeting = meeting_for(meeting_id)
    per_item, per_document = CommentService(db.session, current_user).counts(meeting)
    return {
        "items": [{"agenda_item_id": k, "comment_count": v} for k, v in per_item.items()],
        "documents": [{"document_id": k, "comment_count": v} for k, v in per_document.items()],
    }


# -- discussions


@blp.route("/meetings/<int:meeting_id>/discussions", methods=["GET"], endpoint="listDiscussions")
@login_required
@blp.response(200, DiscussionList)
@blp.doc(operationId="listDiscussions")
def list_discussions(meeting_id: int) -> dict[str, Any]:
    """The meeting's discussion rounds, newest first (open or closed: closed ones are kept)."""
    meeting_for(meeting_id)
    rows = db.session.scalars(
        select(Discussion).where(Discussion.meeting_id == meeting_id).order_by(Discussion.id.desc())
    )
    return {"items": [presenters.discussion(d) for d in rows]}


@blp.route("/meetings/<int:meeting_id>/discussions", methods=["POST"], endpoint="openDiscussion")
@login_required
@blp.arguments(DiscussionIn)
@blp.response(201, DiscussionOut)
@blp.doc(operationId="openDiscussion")
def open_discussion(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Open group discussion on a topic with a time limit (secretary or chair); every group gets its room."""
    meeting = meeting_for(meeting_id)
    try:
        discussion = DiscussionService(db.session, current_user).open(
            meeting,
            data["topic"],
            data["minutes"],
            data.get("agenda_item_id"),
            data.get("sitting_id"),
            request.remote_addr,
        )
    except DiscussionError as exc:
        raise _fail(exc) from None
    delivery = actions.log_discussion(discussion, "discussion.opened", current_user.id)
    events.publish_after_commit(db.session, [delivery])
    return presenters.discussion(discussion)


def _discussion(discussion_id: int) -> tuple[DiscussionService, Discussion]:
    service = DiscussionService(db.session, current_user)
    try:
        return service, service.get(discussion_id)
    except DiscussionError as exc:
        raise _fail(exc) from None


@blp.route("/discussions/<int:discussion_id>/close", methods=["POST"], endpoint="closeDiscussion")
@login_required
@blp.response(200, DiscussionOut)
@blp.doc(operationId="closeDiscussion")
def close_discussion(discussion_id: int) -> dict[str, Any]:
    """Close a discussion (secretary or chair): its rooms become read-only and are kept."""
    service, discussion = _discussion(discussion_id)
    try:
        closed = service.close(discussion, request.remote_addr)
    except DiscussionError as exc:
        raise _fail(exc) from None
    if closed:
        delivery = actions.log_discussion(discussion, "discussion.closed", current_user.id)
        events.publish_after_commit(db.session, [delivery])
    return presenters.discussion(discussion)


@blp.route("/discussions/<int:discussion_id>/messages", methods=["GET"], endpoint="listGroupMessages")
@login_required
@blp.arguments(MessageArgs, location="query")
@blp.response(200, MessageList)
@blp.doc(operationId="listGroupMessages")
def list_messages(args: dict[str, Any], discussion_id: int) -> dict[str, Any]:
    """A group room's messages, oldest first: a member reads their group's; the secretary or the
    chair any group's (to moderate)."""
    service, discussion = _discussion(discussion_id)
    try:
        group_id = service.group_for(discussion, args.get("group"), reading=True)
    except DiscussionError as exc:
        raise _fail(exc) from None
    rows = service.messages(discussion, group_id)
    names = names_of(db.session, [m.author_id for m in rows])
    return {"group_id": group_id, "items": [presenters.message(m, names) for m in rows]}


@blp.route("/discussions/<int:discussion_id>/summary", methods=["POST"], endpoint="submitGroupSummary")
@login_required
@blp.arguments(SummaryIn)
@blp.response(200, SummaryOut)
@blp.doc(operationId="submitGroupSummary")
def submit_summary(data: dict[str, Any], discussion_id: int) -> dict[str, Any]:
    """The group's rapporteur submits (or replaces) the group's summary for the secretary."""
    service, discussion = _discussion(discussion_id)
    try:
        summary, changed = service.submit_summary(discussion, data.get("group"), data["body"])
    except DiscussionError as exc:
        raise _fail(exc) from None
    present = presenters.summary(summary, names_of(db.session, [summary.author_id]))
    if changed:
        _, deliveries = actions.log_summary(summary, discussion, current_user.id)
        events.publish_after_commit(db.session, deliveries)
    return present


@blp.route("/discussions/<int:discussion_id>/summaries", methods=["GET"], endpoint="listGroupSummaries")
@login_required
@blp.response(200, SummaryList)
@blp.doc(operationId="listGroupSummaries")
def list_summaries(discussion_id: int) -> dict[str, Any]:
    """Every group's summary of the discussion, side by side (secretary or chair)."""
    service, discussion = _discussion(discussion_id)
    try:
        rows = service.summaries(discussion)
    except DiscussionError as exc:
        raise _fail(exc) from None
    names = names_of(db.session, [s.author_id for _, s in rows if s is not None])
    return {
        "discussion": presenters.discussion(discussion),
        "items": [
            {"group_id": g.id, "group_name": g.name, "summary": presenters.summary(s, names) if s is not None else None}
            for g, s in rows
        ],
    }


@blp.route("/meetings/<int:meeting_id>/presence", methods=["GET"], endpoint="getPresence")
@login_required
@blp.response(200, PresenceOut)
@blp.doc(operationId="getPresence")
def get_presence(meeting_id: int) -> dict[str, Any]:
    """Who is connected now, in the meeting and per group: all of it for the secretary and the chair,
    a delegate's own groups (and who of them is online) for a delegate. Across every server process
    when they share Redis: see meetings/discussion/presence.py."""
    meeting = meeting_for(meeting_id)
    whole = snapshot(db.session, meeting.id)
    if access.moderates(db.session, current_user, meeting.id):
        return whole
    mine = access.group_ids(db.session, current_user, meeting.id)
    groups = [g for g in whole["groups"] if g["id"] in mine]
    members = {uid for g in groups for uid in g["online"]}
    online = [u for u in whole["online"] if u["id"] in members]
    return {"meeting": meeting.id, "count": len(online), "online": online, "groups": groups}
