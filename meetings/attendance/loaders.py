"""Loading a meeting or sitting for the attendance pages: 404 to strangers, 403 to participants
who may not do this."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetings.db import db
from meetings.dossiers.loaders import NOT_FOUND, meeting_for
from meetings.dossiers.models import Meeting, Sitting
from meetings.dossiers.permissions import manages
from meetings.errors import ApiError
from meetings.participants.membership import member_of
from meetings.participants.models import MeetingRole

MANAGERS_ONLY = _l("Only the meeting's secretaries may do this.")
MANAGERS_AND_CHAIR = _l("Only the meeting's secretaries and its chair may see attendance.")


def managed_meeting(meeting_id: int) -> Meeting:
    """The meeting for a secretary: 404 to those who do not take part, 403 to other participants."""
    meeting = meeting_for(meeting_id)
    if not manages(current_user):
        raise ApiError(403, "forbidden", MANAGERS_ONLY)
    return meeting


def attendance_meeting(meeting_id: int) -> Meeting:
    """The meeting for a secretary or its chair."""
    meeting = meeting_for(meeting_id)
    if not manages(current_user) and member_of(db.session, current_user, meeting_id).role is not MeetingRole.CHAIR:
        raise ApiError(403, "forbidden", MANAGERS_AND_CHAIR)
    return meeting


def sitting_of(meeting: Meeting, sitting_id: int) -> Sitting:
    sitting = next((s for s in meeting.sittings if s.id == sitting_id), None)
    if sitting is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return sitting
