"""Pages: a card's login link, the attendance board, and the secretary's access page."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from meetings import audit
from meetings.accounts import sessions
from meetings.attendance import receipts, register
from meetings.attendance.cards import CardRefused, Refusal
from meetings.attendance.loaders import attendance_meeting, managed_meeting, sitting_of
from meetings.attendance.presenters import meeting_url, role_labels, sitting_when
from meetings.attendance.schemas import AttendanceOut
from meetings.attendance.wiring import card_service, checkin_opens_before
from meetings.db import db, utcnow
from meetings.dossiers.models import Meeting
from meetings.dossiers.permissions import manages
from meetings.extensions import limiter
from meetings.live.events import publish_after_commit
from meetings.participants.models import Participant

log = logging.getLogger(__name__)

bp = Blueprint("attendance", __name__)

#: what the holder of a refused card is told, and the status: gone for good (410) when the card
#: will never work again, 404 when it was never a card, 403 when it is a card but not for them now
REFUSALS: dict[Refusal, tuple[int, Any, Any]] = {
    Refusal.INVALID: (404, _l("This card link is not valid"),
                      _l("The link is incomplete or has been changed. Scan the card again, or sign in with "
                         "your username and password.")),
    Refusal.REVOKED: (410, _l("This card has been replaced"),
                      _l("The secretary has cancelled this card, for example after it was reported lost. "
                         "Please use your new card or ask the secretariat.")),
    Refusal.EXPIRED: (410, _l("This card has expired"),
                      _l("The card was valid until the end of the meeting. Please sign in with your username "
                         "and password, or ask the secretariat for a new card.")),
    Refusal.CLOSED: (410, _l("The meeting has closed"),
                     _l("Cards stop working when their meeting is closed. Please sign in with your username "
                        "and password to read its archive.")),
    Refusal.NOT_PUBLISHED: (403, _l("The meeting is not open yet"),
                            _l("The secretariat has not published this meeting's documents yet. Please try "
                               "again later; your card stays valid.")),
    Refusal.NOT_PARTICIPANT: (403, _l("This card cannot sign you in"),
                              _l("Its holder no longer takes part in the meeting or their account is "
                                 "disabled. Please ask the secretariat.")),
}

#: a card's token in a logged path is replaced by this
_CARD_PATH = re.compile(r"(/card/)[^\s?\"']+")


class HideCardTokens(logging.Filter):
    """Keep card tokens out of request logs (werkzeug's access log names every path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(_CARD_PATH.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = _CARD_PATH.sub(r"\1…", record.msg)
        return True


logging.getLogger("werkzeug").addFilter(HideCardTokens())


def card_limit() -> str:
    return str(current_app.config.get("CARD_RATE_LIMIT", "30 per minute"))


@bp.get("/card/<path:token>")
@limiter.limit(card_limit)
def card(token: str) -> Any:
    """Scanning a personal card: sign its holder in on this device and open the meeting; during a
    sitting, the scan also marks them present in the hall."""
    service = card_service()
    try:
        held = service.redeem(token)
    except CardRefused as refused:
        db.session.rollback()
        status, title, message = REFUSALS[refused.reason]
        # the reason and the client, never the token
        log.info("card refused (%s) from %s", refused.reason.value, request.remote_addr)
        response = render_template("attendance/card_refused.html", title=title, message=message, status=status,
                                   reason=refused.reason.value)
        return response, status, {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}
    meeting = db.session.get(Meeting, held.meeting_id)
    assert meeting is not None  # redeem() refuses cards of deleted meetings
    sitting = register.check_in(db.session, meeting, held.user_id, utcnow(),
                                  current_app.config["BABEL_DEFAULT_TIMEZONE"], checkin_opens_before())
    delivery = register.changed_event(db.session, meeting, sitting, held.user_id, [held.user_id]) \
        if sitting is not None else None
    audit.record(db.session, "login.card", actor_id=held.user_id, meeting_id=meeting.id, ip=request.remote_addr,
                 card=held.id, checked_in_sitting=sitting.id if sitting else None)
    user = held.user
    if delivery is not None:
        publish_after_commit(db.session, [delivery])
    sessions.begin(user, card_id=held.id, expires_at=held.expires_at)
    response = redirect(url_for("dossiers.meeting", meeting_id=meeting.id))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/meetings/<int:meeting_id>/attendance")
@login_required
def attendance_board(meeting_id: int) -> Any:
    """Who attends a sitting, as a picture of the hall, live; the secretary marks people here."""
    meeting = attendance_meeting(meeting_id)
    if not meeting.sittings:
        return render_template("attendance/attendance.html", meeting=meeting, sitting=None, sheet=None,
                               can_mark=manages(current_user), role_labels=role_labels())
    chosen = request.args.get("sitting", type=int)
    if chosen is not None:
        sitting = sitting_of(meeting, chosen)
    else:
        sitting = register.current_sitting(meeting, utcnow(), current_app.config["BABEL_DEFAULT_TIMEZONE"],
                                             checkin_opens_before()) or meeting.sittings[0]
    sheet = AttendanceOut().dump(register.sheet(db.session, meeting, sitting))
    return render_template("attendance/attendance.html", meeting=meeting, sitting=sitting, sheet=sheet,
                           can_mark=manages(current_user), role_labels=role_labels(),
                           sitting_when=sitting_when)


@bp.get("/meetings/<int:meeting_id>/access")
@login_required
def access_page(meeting_id: int) -> Any:
    """The secretary's page for codes, cards and read receipts."""
    meeting = managed_meeting(meeting_id)
    people = db.session.execute(select(Participant).where(Participant.meeting_id == meeting.id)
                                .order_by(Participant.id)).scalars().all()
    service = card_service()
    cards = {p.user_id: service.active_card(meeting.id, p.user_id) for p in people}
    return render_template("attendance/access.html", meeting=meeting, people=people, cards=cards,
                           report=receipts.report(db.session, meeting), url=meeting_url(meeting),
                           role_labels=role_labels(), sitting_when=sitting_when)
