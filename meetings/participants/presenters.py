"""Plain-data views of a meeting's people, for the meeting view and the roster API.

What a delegate is shown costs the same whatever the size of the hall: their own seat and their own
groups, never a row per participant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from meetings.accounts.models import User
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant


def group(g: Group) -> dict[str, Any]:
    return {"id": g.id, "name": g.name, "member_ids": [m.user_id for m in g.members],
            "rapporteur_id": next((m.user_id for m in g.members if m.is_rapporteur), None)}


def participant(p: Participant, user: User, group_ids: list[int]) -> dict[str, Any]:
    return {"id": p.id, "user_id": p.user_id, "username": user.username, "full_name": user.full_name,
            "role": p.role, "group_ids": group_ids}


def roster(session: Session, meeting_id: int, viewer: User, *, everyone: bool
           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], MeetingRole | None]:
    """(participants, groups, the viewer's role) of a meeting: all of them for a manager (everyone),
    else the viewer's own seat and groups, in three statements either way."""
    seats = select(Participant).where(Participant.meeting_id == meeting_id).order_by(Participant.id)
    groups = select(Group).where(Group.meeting_id == meeting_id).options(selectinload(Group.members))
    if everyone:
        seats = seats.options(joinedload(Participant.user))
    else:
        seats = seats.where(Participant.user_id == viewer.id)
        groups = groups.where(Group.members.any(GroupMember.user_id == viewer.id))
    rows = list(session.scalars(seats))
    shown_groups = list(session.scalars(groups.order_by(Group.name)))
    groups_of: dict[int, list[int]] = {}
    for g in shown_groups:
        for member in g.members:
            groups_of.setdefault(member.user_id, []).append(g.id)
    mine = next((p for p in rows if p.user_id == viewer.id), None)
    people = [participant(p, p.user if everyone else viewer, groups_of.get(p.user_id, [])) for p in rows]
    return people, [group(g) for g in shown_groups], mine.role if mine else None
