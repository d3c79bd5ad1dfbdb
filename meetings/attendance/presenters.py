"""What the printed codes, cards and sheets say: addresses, labels, faces, headers."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from meetings.attendance.cards import IssuedCard
from meetings.attendance.printing import CardFace, Poster
from meetings.db import db
from meetings.dossiers.models import Meeting, Sitting
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant
from meetings.web import content_disposition


def public_url(path: str) -> str:
    """What a code points at: PUBLIC_BASE_URL (the address phones in the hall reach) and a path."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def meeting_url(meeting: Meeting) -> str:
    return public_url(url_for("dossiers.meeting", meeting_id=meeting.id))


def card_url(token: str) -> str:
    return public_url(url_for("attendance.card", token=token))


def role_labels() -> dict[str, str]:
    return {MeetingRole.CHAIR.value: _("Chair"), MeetingRole.SECRETARY.value: _("Secretary"),
            MeetingRole.DELEGATE.value: _("Delegate"), MeetingRole.OBSERVER.value: _("Observer")}


def sitting_when(sitting: Sitting) -> str:
    when = format_date(sitting.date, "full")
    if sitting.starts_at:
        when += " · " + sitting.starts_at.strftime("%H:%M")
        if sitting.ends_at:
            when += "–" + sitting.ends_at.strftime("%H:%M")
    return when


def poster_for(meeting: Meeting, sitting: Sitting) -> Poster:
    return Poster(
        meeting_title=meeting.title,
        body=meeting.body,
        sitting_line=sitting.title,
        when_line=sitting_when(sitting),
        room_line=sitting.room or meeting.place,
        url=meeting_url(meeting),
        instruction=_("Scan with your tablet or phone to open the meeting's documents"),
    )


def card_faces(meeting: Meeting, issued: list[IssuedCard]) -> list[CardFace]:
    """What each printed card says: the holder, their role and group, the meeting, until when."""
    user_ids = [i.card.user_id for i in issued]
    roles = dict(db.session.execute(select(Participant.user_id, Participant.role).where(
        Participant.meeting_id == meeting.id, Participant.user_id.in_(user_ids))).all())
    groups: dict[int, list[str]] = {}
    for user_id, name in db.session.execute(
            select(GroupMember.user_id, Group.name).join(Group, Group.id == GroupMember.group_id)
            .where(Group.meeting_id == meeting.id, GroupMember.user_id.in_(user_ids)).order_by(Group.name)):
        groups.setdefault(user_id, []).append(name)
    labels = role_labels()
    faces = []
    for item in issued:
        role = roles.get(item.card.user_id)
        expires = item.card.expires_at
        faces.append(CardFace(
            name=item.card.user.full_name,
            role=labels[role.value] if role else "",
            group=", ".join(groups.get(item.card.user_id, [])),
            meeting_title=meeting.title,
            footer=_("Personal card · valid until %(date)s", date=format_date(expires, "short")),
            url=card_url(item.token),
        ))
    return faces


def pdf_headers(name: str) -> dict[str, Any]:
    # the PDF holds live login links: never kept by a shared cache or the browser's disk cache
    return {"Content-Disposition": content_disposition("inline", name), "Cache-Control": "no-store"}
