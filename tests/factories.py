"""Factories: rows made the way the app stores them, with defaults so that a test names only what
it is about. Each call commits in its own session and returns the row detached, attributes loaded."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from meetings.accounts.models import ApiToken, Role, User
from meetings.db import utcnow
from meetings.dossiers.models import (
    AgendaItem,
    Category,
    Confidentiality,
    Document,
    DocumentVersion,
    Meeting,
    MeetingStatus,
    Sitting,
)
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant
from meetings.pdf.store import FileStore
from tests.database import bind_of
from tests.pdfs import make_pdf, page_sizes_of

#: every account a factory makes signs in with this password
PASSWORD = "mật khẩu đúng 2027"
# Factories hash with few PBKDF2 rounds so that hundreds of accounts cost milliseconds; the app's own
# accounts (made by its services) keep the real, slow hash, and check_password_hash reads either.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

_numbers = itertools.count(1)

MEETING_ROLE_FOR = {
    Role.CHAIR: MeetingRole.CHAIR,
    Role.SECRETARY: MeetingRole.SECRETARY,
    Role.OBSERVER: MeetingRole.OBSERVER,
}


def unique(prefix: str) -> str:
    """A name no other factory call in this run has produced."""
    return f"{prefix}{next(_numbers):04d}"


@contextmanager
def session_of(app: Flask) -> Iterator[Session]:
    """A session on app's database that commits on success and keeps attributes after commit."""
    with app.app_context(), Session(bind_of(app), expire_on_commit=False,
                                    join_transaction_mode="create_savepoint") as session:
        yield session
        session.commit()


class Factories:
    """Makes users, meetings and the rest of a dossier in app's database and file store."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.store = FileStore(Path(app.config["DATA_DIR"]) / "files")

    def user(
        self,
        role: Role | str = Role.DELEGATE,
        username: str | None = None,
        *,
        active: bool = True,
        **fields: Any,
    ) -> User:
        role = Role(role)
        username = username or unique(role.value)
        fields.setdefault("full_name", f"Đại biểu {username.title()}")
        with session_of(self.app) as session:
            user = User(username=username, role=role, active=active, password_hash=_PASSWORD_HASH, **fields)
            session.add(user)
        return user

    def meeting(self, status: MeetingStatus | str = MeetingStatus.DRAFT, **fields: Any) -> Meeting:
        status = MeetingStatus(status)
        fields.setdefault("title", f"Kỳ họp thứ {next(_numbers)} Hội đồng nhân dân quận")
        if status is not MeetingStatus.DRAFT:
            fields.setdefault("published_at", utcnow())
        with session_of(self.app) as session:
            meeting = Meeting(status=status, **fields)
            session.add(meeting)
        return meeting

    def published_meeting(self, **fields: Any) -> Meeting:
        return self.meeting(MeetingStatus.PUBLISHED, **fields)

    def participant(self, meeting: Meeting, user: User, role: MeetingRole | str | None = None) -> Participant:
        role = MeetingRole(role) if role else MEETING_ROLE_FOR.get(user.role, MeetingRole.DELEGATE)
        with session_of(self.app) as session:
            participant = Participant(meeting_id=meeting.id, user_id=user.id, role=role)
            session.add(participant)
        return participant

    def sitting(self, meeting: Meeting, **fields: Any) -> Sitting:
        fields.setdefault("date", dt.date.today())
        with session_of(self.app) as session:
            sitting = Sitting(meeting_id=meeting.id, **fields)
            session.add(sitting)
        return sitting

    def agenda_item(self, meeting: Meeting, parent: AgendaItem | None = None, **fields: Any) -> AgendaItem:
        fields.setdefault("title", unique("Mục chương trình "))
        parent_id = parent.id if parent else None
        with session_of(self.app) as session:
            last = session.scalar(
                select(func.max(AgendaItem.position)).where(
                    AgendaItem.meeting_id == meeting.id, AgendaItem.parent_id.is_not_distinct_from(parent_id)
                )
            )
            item = AgendaItem(
                meeting_id=meeting.id, parent_id=parent_id, position=0 if last is None else last + 1, **fields
            )
            session.add(item)
        return item

    def document(
        self,
        meeting: Meeting,
        pdf: bytes | None = None,
        *,
        readers: Sequence[User] = (),
        agenda_item: AgendaItem | None = None,
        **fields: Any,
    ) -> Document:
        """A file document with one version whose PDF (a fresh one unless given) is in the store."""
        data = pdf if pdf is not None else make_pdf(text=unique("Tờ trình số "))
        spooled, sha256, size = self.store.spool(io.BytesIO(data), len(data))
        self.store.keep(spooled, sha256)
        sizes = page_sizes_of(data)
        fields.setdefault("title", unique("Tờ trình "))
        with session_of(self.app) as session:
            document = Document(
                meeting_id=meeting.id,
                agenda_item_id=agenda_item.id if agenda_item else None,
                readers=[session.get(User, r.id) for r in readers],
                **fields,
            )
            document.versions = [
                DocumentVersion(
                    number=1,
                    sha256=sha256,
                    size_bytes=size,
                    page_count=len(sizes),
                    page_sizes=sizes,
                    original_filename=f"{document.title}.pdf",
                )
            ]
            session.add(document)
        return document

    def restricted_document(self, meeting: Meeting, readers: Sequence[User], **fields: Any) -> Document:
        return self.document(meeting, readers=readers, confidentiality=Confidentiality.RESTRICTED, **fields)

    def link(self, meeting: Meeting, **fields: Any) -> Document:
        fields.setdefault("title", unique("Luật số "))
        fields.setdefault("url", "https://vbpl.vn/")
        with session_of(self.app) as session:
            document = Document(meeting_id=meeting.id, category=Category.LINK, **fields)
            session.add(document)
        return document

    def group(
        self,
        meeting: Meeting,
        members: Iterable[User] = (),
        rapporteur: User | None = None,
        name: str | None = None,
    ) -> Group:
        with session_of(self.app) as session:
            group = Group(meeting_id=meeting.id, name=name or unique("Tổ "))
            group.members = [
                GroupMember(user_id=u.id, is_rapporteur=rapporteur is not None and u.id == rapporteur.id)
                for u in members
            ]
            session.add(group)
        return group

    def discussion(self, meeting: Meeting, minutes: int = 60, **fields: Any) -> Any:
        """An open round of group discussion."""
        from meetings.discussion.models import Discussion

        fields.setdefault("topic", unique("Thảo luận tổ về dự toán "))
        with session_of(self.app) as session:
            discussion = Discussion(meeting_id=meeting.id, ends_at=utcnow() + dt.timedelta(minutes=minutes), **fields)
            session.add(discussion)
        return discussion

    def api_token(self, user: User, name: str | None = None) -> tuple[ApiToken, str]:
        """A bearer token of user's; returns the row and the clear token."""
        with session_of(self.app) as session:
            row, clear = ApiToken.issue(session.get(User, user.id), name or unique("tích hợp "))
            session.add(row)
        return row, clear

    def annotation(
        self,
        document: Document,
        author: User,
        kind: str = "highlight",
        *,
        page: int = 1,
        visibility: str = "private",
        group: Group | None = None,
        **payload: Any,
    ) -> Any:
        """An annotation of author's on document's latest version, stored through the annotations
        package's own store (as the live actions do); payload overrides the defaults (geometry, quote,
        note, color, client_id)."""
        from annotations import AnnotationStore, Reader, Target

        shapes = {
            "ink": {"strokes": [[[100, 300], [150, 340], [200, 310]]], "width": 2},
            "note": {"point": [500, 90]},
            "rect": {"rect": [60, 400, 320, 520]},
        }
        body: dict[str, Any] = {
            "kind": kind,
            "page": page,
            "visibility": visibility,
            "client_id": unique("annotation-"),
            "geometry": shapes.get(kind, {"rects": [[36, 38, 300, 52]]}),
        }
        if kind not in shapes:
            body["quote"] = {"exact": "Dự toán ngân sách", "prefix": "", "suffix": ""}
        if group is not None:
            body["group_id"] = group.id
        body.update(payload)
        with session_of(self.app) as session:
            version = session.scalars(
                select(DocumentVersion)
                .where(DocumentVersion.document_id == document.id)
                .order_by(DocumentVersion.number.desc())
            ).first()
            assert version is not None, "annotate a file document"
            groups = frozenset(
                session.scalars(
                    select(GroupMember.group_id)
                    .join(Group)
                    .where(GroupMember.user_id == author.id, Group.meeting_id == document.meeting_id)
                )
            )
            annotation, _ = AnnotationStore(session).create(
                Target(document.meeting_id, document.id, version.id, version.page_count),
                Reader(author.id, groups),
                body,
            )
        return annotation
