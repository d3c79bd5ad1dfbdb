"""Shapes of the participants API."""

from __future__ import annotations

import marshmallow as ma

from meetings.fields import BoundedList, Id
from meetings.participants.models import MeetingRole

Str = ma.fields.String
Int = ma.fields.Integer


class GroupOut(ma.Schema):
    id = Int()
    name = Str()
    member_ids = ma.fields.List(Int())
    rapporteur_id = Int(allow_none=True)


class ParticipantOut(ma.Schema):
    id = Int()
    user_id = Int()
    username = Str()
    full_name = Str()
    role = ma.fields.Enum(MeetingRole, by_value=True)
    group_ids = ma.fields.List(Int())


class ParticipantIn(ma.Schema):
    username = Str(required=True, validate=ma.validate.Length(min=2, max=80))
    full_name = Str(validate=ma.validate.Length(max=200))
    role = ma.fields.Enum(MeetingRole, by_value=True, load_default=MeetingRole.DELEGATE)
    group = Str(validate=ma.validate.Length(max=200), metadata={"description": "Group name; created if new"})
    email = ma.fields.Email(validate=ma.validate.Length(max=200))


class ParticipantsIn(ma.Schema):
    items = BoundedList(ma.fields.Nested(ParticipantIn), max_items=2000, required=True,
                        validate=ma.validate.Length(min=1))


class ParticipantsOut(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ParticipantOut))
    created = ma.fields.Dict(
        keys=Str(), values=Str(),
        metadata={"description": "New accounts: username → initial password, shown this once"},
    )


class CsvForm(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class GroupIn(ma.Schema):
    name = Str(required=True, validate=ma.validate.Length(min=1, max=200))
    member_ids = BoundedList(Id(), max_items=5000, load_default=list)
    rapporteur_id = Id(allow_none=True, load_default=None)


__all__ = ["CsvForm", "GroupIn", "GroupOut", "ParticipantOut", "ParticipantsIn", "ParticipantsOut"]
