"""Pages: a document's comments, the secretary's side-by-side summaries, and the discussion panel
on the meeting page (a template global the meeting page includes)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from meetings.db import db
from meetings.discussion import access, presenters
from meetings.discussion.models import Discussion
from meetings.discussion.services import DiscussionService
from meetings.dossiers.loaders import document_for, meeting_for
from meetings.errors import ApiError
from meetings.participants.models import Group, GroupMember

bp = Blueprint("discussion", __name__)


def discussion_panel(meeting_id: int) -> dict[str, Any]:
    """What the meeting page's discussion panel starts from: the caller's groups, their roles, the
    open round (the rest comes live)."""
    rows = db.session.execute(
        select(Group.id, Group.name, GroupMember.is_rapporteur)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(Group.meeting_id == meeting_id, GroupMember.user_id == current_user.id)
        .order_by(Group.name)
    ).all()
    current = DiscussionService(db.session, current_user).current(meeting_id)
    latest = current or db.session.scalar(
        select(Discussion).where(Discussion.meeting_id == meeting_id).order_by(Discussion.id.desc()).limit(1)
    )
    return {
        "meeting": meeting_id,
        "user": current_user.id,
        "groups": [{"id": gid, "name": name, "rapporteur": bool(rap)} for gid, name, rap in rows],
        "moderator": access.moderates(db.session, current_user, meeting_id),
        "discussion": presenters.discussion(latest) if latest is not None else None,
    }


@bp.get("/meetings/<int:meeting_id>/documents/<int:document_id>/comments")
@login_required
def document_comments(meeting_id: int, document_id: int) -> Any:
    meeting = meeting_for(meeting_id)
    document = document_for(document_id)
    if document.meeting_id != meeting.id:
        raise ApiError(404, "not_found", _l("Not found."))
    groups = [
        {"id": g.id, "name": g.name}
        for g in db.session.scalars(
            select(Group)
            .join(GroupMember, GroupMember.group_id == Group.id)
            .where(Group.meeting_id == meeting.id, GroupMember.user_id == current_user.id)
        )
    ]
    config = {
        "meeting": meeting.id,
        "document": document.id,
        "user": current_user.id,
        "groups": groups,
        "moderator": access.moderates(db.session, current_user, meeting.id),
        "pages": document.versions[-1].page_count if document.versions else 0,
    }
    return render_template("discussion/comments.html", meeting=meeting, document=document, config=config)


@bp.get("/meetings/<int:meeting_id>/discussion/summaries")
@login_required
def summaries(meeting_id: int) -> Any:
    meeting = meeting_for(meeting_id)
    if not access.moderates(db.session, current_user, meeting.id):
        raise ApiError(403, "forbidden", _l("Only the secretary or the chair may do this."))
    rounds = [
        presenters.discussion(d)
        for d in db.session.scalars(
            select(Discussion).where(Discussion.meeting_id == meeting.id).order_by(Discussion.id.desc())
        )
    ]
    config = {"meeting": meeting.id, "discussions": rounds}
    return render_template("discussion/summaries.html", meeting=meeting, config=config)
