"""Shapes of the dossiers API: what clients send and what they get back."""

from __future__ import annotations

import marshmallow as ma

from meetings.dossiers.models import Category, Confidentiality, MeetingStatus
from meetings.fields import BoundedList, Id
from meetings.participants.schemas import GroupOut, ParticipantOut

Str = ma.fields.String
Int = ma.fields.Integer
Len = ma.validate.Length


class MeetingIn(ma.Schema):
    title = Str(required=True, validate=Len(min=1, max=500))
    body = Str(validate=Len(max=200))
    term = Str(validate=Len(max=200))
    place = Str(validate=Len(max=200))
    description = Str(validate=Len(max=20000))


class SittingIn(ma.Schema):
    title = Str(validate=Len(max=200))
    date = ma.fields.Date(required=True)
    starts_at = ma.fields.Time(allow_none=True)
    ends_at = ma.fields.Time(allow_none=True)
    room = Str(validate=Len(max=200))


class SittingOut(SittingIn):
    id = Int()


class AgendaItemIn(ma.Schema):
    title = Str(required=True, validate=Len(min=1, max=500))
    description = Str(validate=Len(max=20000))
    presenter = Str(validate=Len(max=200))
    parent_id = Id(allow_none=True)


class AgendaOrderEntry(ma.Schema):
    id = Id(required=True)
    parent_id = Id(allow_none=True, load_default=None)


class AgendaOrderIn(ma.Schema):
    items = BoundedList(ma.fields.Nested(AgendaOrderEntry), max_items=1000, required=True)


class DocumentFields(ma.Schema):
    """Descriptive fields of a document, shared by upload, link and update."""

    title = Str(validate=Len(min=1, max=500))
    category = ma.fields.Enum(Category, by_value=True)
    agenda_item_id = Id(allow_none=True)
    number = Str(allow_none=True, validate=Len(max=40))
    symbol = Str(allow_none=True, validate=Len(max=80))
    issuing_body = Str(validate=Len(max=200))
    issued_on = ma.fields.Date(allow_none=True)
    confidentiality = ma.fields.Enum(Confidentiality, by_value=True)
    downloadable = ma.fields.Boolean()
    reader_ids = BoundedList(Id(), max_items=5000, metadata={"description": "Users who may read a restricted document"})


class DocumentUploadForm(DocumentFields):
    category = ma.fields.Enum(Category, by_value=True, validate=ma.validate.OneOf([Category.MAIN, Category.REFERENCE]))
    reader_ids = Str(metadata={"description": "Comma-separated user ids, for a restricted document"})


class FileForm(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class LinkIn(DocumentFields):
    url = ma.fields.Url(required=True, schemes={"http", "https"}, validate=Len(max=2000))


class DocumentUpdate(DocumentFields):
    url = ma.fields.Url(schemes={"http", "https"}, validate=Len(max=2000))


class VersionOut(ma.Schema):
    id = Int()
    number = Int()
    sha256 = Str()
    size_bytes = Int()
    page_count = Int()
    page_sizes = ma.fields.List(ma.fields.List(ma.fields.Float()))
    original_filename = Str()
    uploaded_at = ma.fields.AwareDateTime()


class DocumentOut(ma.Schema):
    id = Int()
    meeting_id = Int()
    agenda_item_id = Int(allow_none=True)
    title = Str()
    category = ma.fields.Enum(Category, by_value=True)
    number = Str(allow_none=True)
    symbol = Str(allow_none=True)
    issuing_body = Str()
    issued_on = ma.fields.Date(allow_none=True)
    confidentiality = ma.fields.Enum(Confidentiality, by_value=True)
    downloadable = ma.fields.Boolean()
    url = Str(allow_none=True)
    version = Int(allow_none=True, metadata={"description": "Number of the current version"})
    page_count = Int(allow_none=True)
    page_sizes = ma.fields.List(ma.fields.List(ma.fields.Float()), allow_none=True)
    sha256 = Str(allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(VersionOut))
    reader_ids = ma.fields.List(Int())


class AgendaItemOut(ma.Schema):
    id = Int()
    parent_id = Int(allow_none=True)
    position = Int()
    title = Str()
    description = Str()
    presenter = Str()
    documents = ma.fields.List(ma.fields.Nested(DocumentOut))
    children = ma.fields.List(ma.fields.Nested(lambda: AgendaItemOut()))


class MeetingSummary(ma.Schema):
    id = Int()
    title = Str()
    body = Str()
    term = Str()
    place = Str()
    description = Str()
    status = ma.fields.Enum(MeetingStatus, by_value=True)
    published_at = ma.fields.AwareDateTime(allow_none=True)
    first_sitting = ma.fields.Date(allow_none=True)


class MeetingDetail(MeetingSummary):
    sittings = ma.fields.List(ma.fields.Nested(SittingOut))
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemOut), metadata={"description": "Top items with children"})
    documents = ma.fields.List(ma.fields.Nested(DocumentOut), metadata={"description": "Documents not under an item"})
    groups = ma.fields.List(ma.fields.Nested(GroupOut))
    participants = ma.fields.List(ma.fields.Nested(ParticipantOut),
                                  metadata={"description": "Managers only; others get their own row"})
    my_role = Str(allow_none=True)
    can_manage = ma.fields.Boolean()
