"""The roster API: the secretariat says who takes part in a meeting, and forms its breakout groups.

It lives with the dossiers, above the participants package whose services it calls, because it
answers with the meeting's visibility rule (404 to strangers, 403 to participants)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import select

from meetings.db import db
from meetings.dossiers.loaders import meeting_for
from meetings.dossiers.models import Meeting
from meetings.errors import ApiError
from meetings.participants import presenters
from meetings.participants.models import Group, Participant
from meetings.participants.presenters import roster
from meetings.participants.schemas import CsvForm, GroupIn, GroupOut, ParticipantOut, ParticipantsIn, ParticipantsOut
from meetings.participants.services import AddResult, ParticipantService

blp = Blueprint("participants_api", __name__, url_prefix="/api/v1/meetings", description="Participants and groups")

MAX_CSV_BYTES = 2 << 20


def _service() -> ParticipantService:
    return ParticipantService(db.session, current_user._get_current_object(), request.remote_addr)


def _answer(meeting: Meeting, result: AddResult) -> dict[str, Any]:
    rows = {p["user_id"]: p for p in roster(db.session, meeting.id, current_user, everyone=True)[0]}
    return {"items": [rows[p.user_id] for p in result.participants], "created": result.initial_passwords}


@blp.route("/<int:meeting_id>/participants", methods=["GET"], endpoint="listParticipants")
@login_required
@blp.response(200, ParticipantOut(many=True))
@blp.doc(operationId="listParticipants")
def list_participants(meeting_id: int) -> list[dict[str, Any]]:
    """The meeting's participants (secretaries)."""
    meeting = meeting_for(meeting_id, manage=True)
    return roster(db.session, meeting.id, current_user, everyone=True)[0]


@blp.route("/<int:meeting_id>/participants", methods=["POST"], endpoint="addParticipants")
@login_required
@blp.arguments(ParticipantsIn)
@blp.response(201, ParticipantsOut)
@blp.doc(operationId="addParticipants")
def add_participants(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Add people to the meeting by username; new usernames become accounts."""
    meeting = meeting_for(meeting_id, manage=True)
    result = _service().add(meeting, data["items"])
    return _answer(meeting, result)


@blp.route("/<int:meeting_id>/participants/import", methods=["POST"], endpoint="importParticipants")
@login_required
@blp.arguments(CsvForm, location="files")
@blp.response(201, ParticipantsOut)
@blp.doc(operationId="importParticipants")
def import_participants(files: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Add participants from a CSV file with columns name, username, role, group (UTF-8)."""
    meeting = meeting_for(meeting_id, manage=True)
    raw = files["file"].stream.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise ApiError(413, "file_too_large", _l("The CSV file is larger than 2 MB."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_csv", _l("The CSV file must be saved as UTF-8.")) from None
    result = _service().import_csv(meeting, text)
    return _answer(meeting, result)


@blp.route("/<int:meeting_id>/participants/<int:participant_id>", methods=["DELETE"],
           endpoint="removeParticipant")
@login_required
@blp.response(204)
@blp.doc(operationId="removeParticipant")
def remove_participant(meeting_id: int, participant_id: int) -> None:
    """Take someone off the meeting (their account stays)."""
    meeting = meeting_for(meeting_id, manage=True)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.meeting_id != meeting.id:
        raise ApiError(404, "not_found", _l("Not found."))
    _service().remove(meeting, participant)


@blp.route("/<int:meeting_id>/groups", methods=["POST"], endpoint="createGroup")
@login_required
@blp.arguments(GroupIn)
@blp.response(201, GroupOut)
@blp.doc(operationId="createGroup")
def create_group(data: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """Form a breakout group of participants, with an optional rapporteur."""
    meeting = meeting_for(meeting_id, manage=True)
    group = _service().create_group(meeting, data["name"], data["member_ids"], data["rapporteur_id"])
    return presenters.group(group)


@blp.route("/<int:meeting_id>/groups/<int:group_id>", methods=["PUT"], endpoint="updateGroup")
@login_required
@blp.arguments(GroupIn)
@blp.response(200, GroupOut)
@blp.doc(operationId="updateGroup")
def update_group(data: dict[str, Any], meeting_id: int, group_id: int) -> dict[str, Any]:
    """Rename a group and set its members and rapporteur."""
    meeting = meeting_for(meeting_id, manage=True)
    group = db.session.scalar(select(Group).where(Group.id == group_id, Group.meeting_id == meeting.id))
    if group is None:
        raise ApiError(404, "not_found", _l("Not found."))
    _service().rename_group(meeting, group, data["name"])
    _service().set_members(meeting, group, data["member_ids"], data["rapporteur_id"])
    return presenters.group(group)
