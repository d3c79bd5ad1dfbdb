"""Pages: the list of meetings, a meeting's dossier for its participants, the secretary's workspace."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from meetings.db import db
from meetings.dossiers import presenters
from meetings.dossiers.loaders import meeting_for
from meetings.dossiers.models import Meeting
from meetings.dossiers.permissions import manages, visible_meetings
from meetings.dossiers.schemas import MeetingDetail

bp = Blueprint("dossiers", __name__)


@bp.get("/")
@login_required
def home() -> Any:
    meetings = db.session.scalars(
        visible_meetings(current_user).options(selectinload(Meeting.sittings)).order_by(Meeting.created_at.desc())
    )
    return render_template("dossiers/home.html", meetings=[presenters.meeting_summary(m) for m in meetings],
                           can_manage=manages(current_user))


@bp.get("/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int) -> Any:
    detail = presenters.meeting_detail(db.session, meeting_for(meeting_id), current_user)
    return render_template("dossiers/meeting.html", meeting=detail)


@bp.get("/meetings/<int:meeting_id>/manage")
@login_required
def workspace(meeting_id: int) -> Any:
    """The secretary's workspace: the page starts from the same JSON that getMeeting answers."""
    detail = presenters.meeting_detail(db.session, meeting_for(meeting_id, manage=True), current_user)
    return render_template("dossiers/workspace.html", meeting=detail, initial=MeetingDetail().dump(detail))
