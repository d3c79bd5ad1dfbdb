"""Attendance per sitting, check-in by card, and the meeting's quorum rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from meetings.accounts.models import User
from meetings.attendance.models import PRESENT, Attendance, AttendanceStatus, QuorumRule
from meetings.dossiers.models import Meeting, Sitting
from meetings.live import events
from meetings.live.models import Audience
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant

#: who counts towards the quorum: the council's members; observers and secretaries do not
MEMBER_ROLES = frozenset({MeetingRole.DELEGATE, MeetingRole.CHAIR})
DEFAULT_SHARE = (2, 3)


@dataclass(frozen=True)
class Mark:
    user_id: int
    status: AttendanceStatus
    reason: str = ""


def quorum_of(session: Session, meeting_id: int) -> tuple[int, int]:
    rule = session.get(QuorumRule, meeting_id)
    return (rule.numerator, rule.denominator) if rule is not None else DEFAULT_SHARE


def set_quorum(session: Session, meeting_id: int, numerator: int, denominator: int) -> None:
    rule = session.get(QuorumRule, meeting_id)
    if rule is None:
        rule = QuorumRule(meeting_id=meeting_id)
        session.add(rule)
    rule.numerator, rule.denominator = numerator, denominator
    session.flush()


def required(members: int, numerator: int, denominator: int) -> int:
    """The fewest members that make a quorum: the share rounded up (2/3 of 31 is 21)."""
    return -(-members * numerator // denominator)


def upsert(session: Session, meeting_id: int, sitting_id: int, marks: Iterable[Mark], by: int | None,
           at: dt.datetime) -> None:
    """Store each mark, replacing the person's earlier one; safe against a concurrent mark (a card
    scanned while the secretary marks the same person) on both databases."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for mark in marks:
        statement = insert(Attendance).values(meeting_id=meeting_id, sitting_id=sitting_id, user_id=mark.user_id,
                                              status=mark.status, reason=mark.reason, marked_at=at, marked_by_id=by)
        statement = statement.on_conflict_do_update(
            index_elements=["sitting_id", "user_id"],
            set_={"status": statement.excluded.status, "reason": statement.excluded.reason,
                  "marked_at": statement.excluded.marked_at, "marked_by_id": statement.excluded.marked_by_id})
        session.execute(statement)
    session.flush()


def current_sitting(meeting: Meeting, now: dt.datetime, timezone: str, opens_before: dt.timedelta) -> Sitting | None:
    """The sitting under way at now in the app's time zone (from opens_before its start, so that a
    delegate scanning on arrival counts, until its end); a sitting without times lasts its day."""
    local = now.astimezone(ZoneInfo(timezone))
    for sitting in meeting.sittings:
        start = dt.datetime.combine(sitting.date, sitting.starts_at or dt.time(0), local.tzinfo) - (
            opens_before if sitting.starts_at else dt.timedelta(0))
        end = dt.datetime.combine(sitting.date, sitting.ends_at or dt.time(23, 59, 59, 999999), local.tzinfo)
        if start <= local <= end:
            return sitting
    return None


def check_in(session: Session, meeting: Meeting, user_id: int, now: dt.datetime, timezone: str,
             opens_before: dt.timedelta) -> Sitting | None:
    """A card scanned during a sitting marks its holder present in the hall, at the first scan."""
    sitting = current_sitting(meeting, now, timezone, opens_before)
    if sitting is None:
        return None
    row = session.scalar(select(Attendance).where(Attendance.sitting_id == sitting.id, Attendance.user_id == user_id))
    if row is not None and row.status is AttendanceStatus.PRESENT_IN_HALL:
        return None
    upsert(session, meeting.id, sitting.id, [Mark(user_id, AttendanceStatus.PRESENT_IN_HALL)], user_id, now)
    return sitting


def sheet(session: Session, meeting: Meeting, sitting: Sitting) -> dict[str, Any]:
    """Everyone taking part with their status (None: not yet marked), counts, and the quorum."""
    participants = session.execute(
        select(Participant.user_id, Participant.role, User.full_name).join(User, User.id == Participant.user_id)
        .where(Participant.meeting_id == meeting.id).order_by(User.full_name, User.id)).all()
    groups: dict[int, str] = dict(session.execute(
        select(GroupMember.user_id, Group.name).join(Group, Group.id == GroupMember.group_id)
        .where(Group.meeting_id == meeting.id).order_by(Group.name)).all())
    marks = {a.user_id: a for a in session.scalars(select(Attendance).where(Attendance.sitting_id == sitting.id))}
    counts = {s.value: 0 for s in AttendanceStatus} | {"none": 0}
    items = []
    members = present = 0
    for user_id, role, name in participants:
        mark = marks.get(user_id)
        member = role in MEMBER_ROLES
        counts[mark.status.value if mark else "none"] += 1
        members += member
        present += member and mark is not None and mark.status in PRESENT
        items.append({"user_id": user_id, "full_name": name, "role": role.value, "group": groups.get(user_id),
                      "member": member, "status": mark.status.value if mark else None,
                      "reason": mark.reason if mark else "", "marked_at": mark.marked_at if mark else None})
    numerator, denominator = quorum_of(session, meeting.id)
    need = required(members, numerator, denominator)
    return {
        "meeting_id": meeting.id,
        "sitting": {"id": sitting.id, "title": sitting.title, "date": sitting.date, "starts_at": sitting.starts_at,
                    "ends_at": sitting.ends_at, "room": sitting.room},
        "items": items,
        "counts": counts,
        "quorum": {"numerator": numerator, "denominator": denominator, "members": members, "required": need,
                   "present": present, "met": members > 0 and present >= need},
    }


def watchers_rooms(session: Session, meeting_id: int) -> list[str]:
    """Who sees attendance live: the managers' room and the chair's own room. Delegates never do."""
    chairs = session.scalars(select(Participant.user_id).where(
        Participant.meeting_id == meeting_id, Participant.role == MeetingRole.CHAIR))
    return [events.managers_room(meeting_id), *(events.room_of(Audience.USER, uid) for uid in chairs)]


def changed_event(session: Session, meeting: Meeting, sitting: Sitting, actor_id: int | None,
                  changed: Iterable[int]) -> tuple[dict[str, Any], list[str]]:
    """Log "attendance.changed" (the sitting's new counts and quorum, and who changed) and say whom
    to tell after the commit. Its audience is no one's user room (audience_id None), so it is never
    replayed in a delegate's `missed`; the attendance page reloads getAttendance when it (re)joins."""
    current = sheet(session, meeting, sitting)
    ids = set(changed)
    data = {"sitting": sitting.id,
            "changes": [{"user_id": i["user_id"], "status": i["status"], "reason": i["reason"],
                         "marked_at": i["marked_at"].isoformat() if i["marked_at"] else None}
                        for i in current["items"] if i["user_id"] in ids],
            "counts": current["counts"], "quorum": current["quorum"]}
    event = events.record(session, meeting.id, "attendance.changed", data, audience=Audience.USER,
                          audience_id=None, actor_id=actor_id)
    return event.envelope(), watchers_rooms(session, meeting.id)
