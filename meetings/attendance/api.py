"""Access API: sitting QR codes, delegate cards, attendance and the quorum, read receipts."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_smorest import Blueprint
from sqlalchemy import select

from meetings import audit
from meetings.attendance import printing, qr, receipts, register
from meetings.attendance.loaders import attendance_meeting, managed_meeting, sitting_of
from meetings.attendance.presenters import card_faces, meeting_url, pdf_headers, poster_for, role_labels
from meetings.attendance.schemas import (
    AttendanceOut,
    CardsArgs,
    MarksIn,
    QrArgs,
    QuorumIn,
    QuorumOut,
    ReceiptsArgs,
    ReceiptsOut,
)
from meetings.attendance.wiring import card_service
from meetings.db import db, utcnow
from meetings.dossiers.loaders import meeting_for
from meetings.errors import ApiError
from meetings.live.events import publish_after_commit
from meetings.participants.models import Participant
from meetings.web import content_disposition

log = logging.getLogger(__name__)

blp = Blueprint("attendance_api", __name__, url_prefix="/api/v1",
                description="QR codes, delegate cards, attendance and read receipts")

PDF = {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}


@blp.route("/meetings/<int:meeting_id>/sittings/<int:sitting_id>/qr", methods=["GET"], endpoint="getSittingQr")
@login_required
@blp.arguments(QrArgs, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="image/png")
@blp.doc(operationId="getSittingQr", responses={200: {"content": {
    "image/png": {"schema": {"type": "string", "format": "binary"}},
    "image/svg+xml": {"schema": {"type": "string"}},
    "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
def get_sitting_qr(args: dict[str, Any], meeting_id: int, sitting_id: int) -> Response:
    """The code that opens the meeting (through sign-in) for the hall's screen or wall: PNG, SVG, or
    an A4 poster PDF with the meeting, the sitting's time and room, and the address in text."""
    meeting = meeting_for(meeting_id)
    sitting = sitting_of(meeting, sitting_id)
    url = meeting_url(meeting)
    headers = {"X-Qr-Url": url, "Cache-Control": "private, no-cache"}
    if args["format"] == "svg":
        return Response(qr.svg(url), mimetype="image/svg+xml", headers=headers)
    if args["format"] == "pdf":
        pdf = printing.poster_pdf(poster_for(meeting, sitting))
        return Response(pdf, mimetype="application/pdf",
                        headers={**headers,
                                 "Content-Disposition": content_disposition("inline", f"sitting-{sitting.id}-qr.pdf")})
    return Response(qr.png(url), mimetype="image/png", headers=headers)


@blp.route("/meetings/<int:meeting_id>/cards", methods=["GET"], endpoint="getDelegateCards")
@login_required
@blp.arguments(CardsArgs, location="query")
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@blp.alt_response(409, description="Every participant asked for already holds an active card")
@blp.doc(operationId="getDelegateCards")
def get_delegate_cards(args: dict[str, Any], meeting_id: int) -> Response:
    """Print personal cards (A4, ten a sheet, cut marks) for the participants without an active card.

    Each card's code signs its holder in to this meeting on any device until it expires. A card
    cannot be printed twice (only its hash is kept): to replace one, use revokeDelegateCard. The
    header X-Cards-Skipped counts participants left out because they hold an active card."""
    meeting = managed_meeting(meeting_id)
    everyone = list(db.session.scalars(select(Participant.user_id).where(Participant.meeting_id == meeting.id)
                                       .order_by(Participant.id)))
    wanted = args["user_id"]
    if wanted and not set(wanted) <= set(everyone):
        raise ApiError(422, "not_participant", _l("Cards are only for the meeting's participants."))
    service = card_service()
    issued, skipped = service.issue_missing(meeting, [u for u in everyone if not wanted or u in wanted])
    if not issued:
        raise ApiError(409, "cards_already_issued",
                       _l("Everyone asked for already holds an active card; revoke a card to issue a new one."))
    faces = card_faces(meeting, issued)
    faces.sort(key=lambda f: f.name)
    pdf = printing.cards_pdf(faces)
    audit.record(db.session, "cards.issued", actor_id=current_user.id, meeting_id=meeting.id,
                 ip=request.remote_addr, cards=[i.card.id for i in issued])
    return Response(pdf, mimetype="application/pdf",
                    headers={**pdf_headers(f"cards-{meeting.id}.pdf"), "X-Cards-Issued": str(len(issued)),
                             "X-Cards-Skipped": str(len(skipped))})


@blp.route("/meetings/<int:meeting_id>/cards/<int:user_id>/revoke", methods=["POST"], endpoint="revokeDelegateCard")
@login_required
@blp.response(200, {"type": "string", "format": "binary"}, content_type="application/pdf")
@blp.doc(operationId="revokeDelegateCard")
def revoke_delegate_card(meeting_id: int, user_id: int) -> Response:
    """Revoke a participant's card (lost card or tablet) and answer with the PDF of their new card,
    one A4 sheet to print; X-Card-Id names the new card. The old link signs no one in from now on."""
    meeting = managed_meeting(meeting_id)
    if db.session.scalar(select(Participant.id).where(Participant.meeting_id == meeting.id,
                                                      Participant.user_id == user_id)) is None:
        raise ApiError(404, "not_found", _l("This person does not take part in the meeting."))
    issued = card_service().revoke_and_reissue(meeting, user_id)
    pdf = printing.cards_pdf(card_faces(meeting, [issued]))
    audit.record(db.session, "card.revoked", actor_id=current_user.id, meeting_id=meeting.id,
                 ip=request.remote_addr, user_id=user_id, new_card=issued.card.id)
    return Response(pdf, mimetype="application/pdf",
                    headers={**pdf_headers(f"card-{meeting.id}-{user_id}.pdf"), "X-Card-Id": str(issued.card.id)})


@blp.route("/meetings/<int:meeting_id>/sittings/<int:sitting_id>/attendance", methods=["GET"],
           endpoint="getAttendance")
@login_required
@blp.response(200, AttendanceOut)
@blp.doc(operationId="getAttendance")
def get_attendance(meeting_id: int, sitting_id: int) -> dict[str, Any]:
    """Every participant's attendance at the sitting, counts per status, and whether the quorum is
    met (secretaries and the chair)."""
    meeting = attendance_meeting(meeting_id)
    return register.sheet(db.session, meeting, sitting_of(meeting, sitting_id))


@blp.route("/meetings/<int:meeting_id>/sittings/<int:sitting_id>/attendance", methods=["POST"],
           endpoint="markAttendance")
@login_required
@blp.arguments(MarksIn)
@blp.response(200, AttendanceOut)
@blp.doc(operationId="markAttendance")
def mark_attendance(data: dict[str, Any], meeting_id: int, sitting_id: int) -> dict[str, Any]:
    """Mark several participants at once: present_in_hall, online, absent or excused, with a reason."""
    meeting = managed_meeting(meeting_id)
    sitting = sitting_of(meeting, sitting_id)
    marks = {item["user_id"]: register.Mark(item["user_id"], item["status"], item["reason"].strip())
             for item in data["items"]}
    known = set(db.session.scalars(select(Participant.user_id).where(Participant.meeting_id == meeting.id)))
    if strangers := sorted(set(marks) - known):
        raise ApiError(422, "not_participant", _l("Attendance is only for the meeting's participants."),
                       user_ids=strangers)
    register.upsert(db.session, meeting.id, sitting.id, marks.values(), current_user.id, utcnow())
    delivery = register.changed_event(db.session, meeting, sitting, current_user.id, marks)
    publish_after_commit(db.session, [delivery])
    return register.sheet(db.session, meeting, sitting)


@blp.route("/meetings/<int:meeting_id>/quorum", methods=["PATCH"], endpoint="setQuorum")
@login_required
@blp.arguments(QuorumIn)
@blp.response(200, QuorumOut(only=("numerator", "denominator")))
@blp.doc(operationId="setQuorum")
def set_quorum(data: dict[str, int], meeting_id: int) -> dict[str, int]:
    """Set the share of members who must attend (e.g. 2/3, or 1/2); two thirds until set."""
    meeting = managed_meeting(meeting_id)
    register.set_quorum(db.session, meeting.id, data["numerator"], data["denominator"])
    return data


@blp.route("/meetings/<int:meeting_id>/read-receipts", methods=["GET"], endpoint="getReadReceipts")
@login_required
@blp.arguments(ReceiptsArgs, location="query")
@blp.response(200, ReceiptsOut)
@blp.doc(operationId="getReadReceipts", responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}})
def get_read_receipts(args: dict[str, Any], meeting_id: int) -> Any:
    """Per document and participant: delivered, opened (first time) or not; `format=csv` for Excel."""
    meeting = managed_meeting(meeting_id)
    data = receipts.report(db.session, meeting)
    if args["format"] != "csv":
        return data
    labels = role_labels()
    for document in data["documents"]:
        for row in document["readers"]:
            row["role"] = labels.get(row["role"], row["role"])
    body = receipts.to_csv(
        data,
        [_("Document ID"), _("Document"), _("User ID"), _("Name"), _("Role"), _("Status"), _("First opened")],
        {"opened": _("Opened"), "not_opened": _("Not opened"), "not_delivered": _("Not delivered")},
        current_app.config["BABEL_DEFAULT_TIMEZONE"],
    )
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": content_disposition("attachment", f"read-receipts-{meeting.id}.csv")})

