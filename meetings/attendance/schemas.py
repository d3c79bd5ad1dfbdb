"""Shapes of the access API: QR formats, attendance marks and sheets, the quorum, read receipts."""

from __future__ import annotations

import marshmallow as ma

from meetings.attendance.models import AttendanceStatus
from meetings.fields import BoundedList, Id

Str = ma.fields.String
Int = ma.fields.Integer


class QrArgs(ma.Schema):
    format = Str(load_default="png", validate=ma.validate.OneOf(["png", "svg", "pdf"]),
                 metadata={"description": "png or svg: the code alone; pdf: an A4 poster to print or project"})


class CardsArgs(ma.Schema):
    user_id = BoundedList(Id(), max_items=2000, load_default=list,
                             metadata={"description": "Only these participants (repeat the parameter); all by default"})


class MarkIn(ma.Schema):
    user_id = Id(required=True)
    status = ma.fields.Enum(AttendanceStatus, by_value=True, required=True)
    reason = Str(load_default="", validate=ma.validate.Length(max=500))


class MarksIn(ma.Schema):
    items = BoundedList(ma.fields.Nested(MarkIn), max_items=2000, required=True, validate=ma.validate.Length(min=1))


class QuorumIn(ma.Schema):
    numerator = Int(required=True, validate=ma.validate.Range(min=1, max=1000))
    denominator = Int(required=True, validate=ma.validate.Range(min=1, max=1000))

    @ma.validates_schema
    def share_at_most_all(self, data: dict[str, int], **_: object) -> None:
        if data["numerator"] > data["denominator"]:
            raise ma.ValidationError("numerator must not exceed denominator", "numerator")


class QuorumOut(ma.Schema):
    numerator = Int()
    denominator = Int()
    members = Int(metadata={"description": "Delegates and the chair; observers and secretaries are not members"})
    required = Int(metadata={"description": "Members who must attend: the share of members, rounded up"})
    present = Int(metadata={"description": "Members present in the hall or online"})
    met = ma.fields.Boolean()


class SittingBrief(ma.Schema):
    id = Int()
    title = Str()
    date = ma.fields.Date()
    starts_at = ma.fields.Time(allow_none=True)
    ends_at = ma.fields.Time(allow_none=True)
    room = Str()


class AttendanceItem(ma.Schema):
    user_id = Int()
    full_name = Str()
    role = Str()
    group = Str(allow_none=True)
    member = ma.fields.Boolean()
    status = Str(allow_none=True, metadata={"description": "present_in_hall, online, absent, excused; null: not yet"})
    reason = Str()
    marked_at = ma.fields.AwareDateTime(allow_none=True)


class AttendanceOut(ma.Schema):
    meeting_id = Int()
    sitting = ma.fields.Nested(SittingBrief)
    items = ma.fields.List(ma.fields.Nested(AttendanceItem))
    counts = ma.fields.Dict(keys=Str(), values=Int(),
                            metadata={"description": "People per status, and `none` for not yet marked"})
    quorum = ma.fields.Nested(QuorumOut)


class ReceiptsArgs(ma.Schema):
    format = Str(load_default="json", validate=ma.validate.OneOf(["json", "csv"]))


class ReceiptRow(ma.Schema):
    user_id = Int()
    full_name = Str()
    role = Str()
    delivered = ma.fields.Boolean()
    status = Str(metadata={"description": "opened, not_opened, or not_delivered (draft or restricted)"})
    first_opened_at = ma.fields.AwareDateTime(allow_none=True)


class DocumentReceipts(ma.Schema):
    document_id = Int()
    title = Str()
    counts = ma.fields.Dict(keys=Str(), values=Int())
    readers = ma.fields.List(ma.fields.Nested(ReceiptRow))


class ReceiptsOut(ma.Schema):
    meeting_id = Int()
    documents = ma.fields.List(ma.fields.Nested(DocumentReceipts))
