"""One live action's context: the socket's viewer, the action's session, and the facts the live
path reads from the caches (meetings.live.facts) instead of the database."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy.orm import Session

from annotations import AnnotationError, Target
from meetings.accounts.models import User
from meetings.live import events
from meetings.live.facts import Facts, MeetingFacts, Viewer
from meetings.live.models import Audience
from meetings.participants.membership import Member, member_of

Delivery = tuple[dict[str, Any], list[str]]


class LiveContext:
    def __init__(self, session: Session, facts: Facts, viewer: Viewer, ip: str | None = None) -> None:
        self.session = session
        self.facts = facts
        self.viewer = viewer
        self.ip = ip

    @property
    def user_id(self) -> int:
        return self.viewer.user_id

    @property
    def name(self) -> str:
        """The acting user's name, for the payloads (their own items carry it as author_name)."""
        return self.viewer.name

    @functools.cached_property
    def user(self) -> User:
        """The socket's user in this session, without a query (the snapshot taken at connect)."""
        return self.session.merge(self.viewer.user, load=False)

    def member(self, meeting_id: int) -> Member:
        """The user's membership of a meeting: kept on the socket once loaded."""
        member = self.viewer.members.get(meeting_id) if self.facts.trusted else None
        if member is None:
            member = member_of(self.session, self.user, meeting_id)
            if self.facts.trusted:
                self.viewer.members[meeting_id] = member
        return member

    def meeting(self, meeting_id: int, document_id: int | None = None) -> MeetingFacts | None:
        return self.facts.meeting(self.session, meeting_id, document_id=document_id)

    def opens(self, meeting_id: int) -> bool:
        """Whether the user may open the meeting (dossiers.permissions.visible_meetings, on facts)."""
        facts = self.meeting(meeting_id) if isinstance(meeting_id, int) else None
        if facts is None:
            return False
        member = self.member(meeting_id)
        return member.manager or (member.takes_part and not facts.draft)

    def target(self, document_id: object) -> tuple[Target, Member]:
        """The current version of a document the user may work on, with their membership of its
        meeting (dossiers.targets.target_for, from cached facts); AnnotationError not_found (also
        for what they may not see) or meeting_closed."""
        meeting_id = self.facts.meeting_of(self.session, document_id)
        if meeting_id is None or not isinstance(document_id, int):
            raise AnnotationError("not_found", "no such document")
        facts = self.meeting(meeting_id, document_id)
        document = facts.documents.get(document_id) if facts is not None else None
        if facts is None or document is None or document.link or document.version_id is None:
            raise AnnotationError("not_found", "no such document")
        member = self.member(facts.id)
        if not member.may_see(draft=facts.draft, restricted=document.restricted,
                              named=member.user_id in document.readers):
            raise AnnotationError("not_found", "no such document")
        if facts.closed:
            raise AnnotationError("meeting_closed", "the meeting is closed")
        return Target(facts.id, document.id, document.version_id, document.page_count or 0), member

    def log(self, meeting_id: int, type_: str, data: dict[str, Any], audience: tuple[Audience, int],
            document_id: int | None = None) -> tuple[int, Delivery]:
        """Record an event (its seq taken in this transaction) and the rooms to tell after the commit."""
        who, whom = audience
        event = events.record(self.session, meeting_id, type_, data, audience=who, audience_id=whom,
                              document_id=document_id, actor_id=self.user_id)
        facts = self.meeting(meeting_id) if document_id is not None else None
        return event.seq, (event.envelope(), events.rooms_with(event, facts))
