"""Adding people to a meeting, one by one or from a CSV file, and forming breakout groups."""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from meetings import audit
from meetings.accounts.models import Role, User
from meetings.errors import DomainError
from meetings.participants.models import Group, GroupMember, MeetingRole, Participant
from meetings.participants.schemas import ParticipantIn

if TYPE_CHECKING:  # the dossiers sit above this package: a meeting is passed in, never loaded here
    from meetings.dossiers.models import Meeting

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
#: CSV headers accepted for each field, English and Vietnamese
CSV_HEADERS = {
    "full_name": {"name", "full_name", "họ và tên", "họ tên", "ho ten"},
    "username": {"username", "tên đăng nhập", "ten dang nhap", "login"},
    "role": {"role", "vai trò", "vai tro"},
    "group": {"group", "tổ", "to", "tổ thảo luận", "nhóm"},
    "email": {"email"},
}
ROLE_WORDS = {
    "chair": MeetingRole.CHAIR, "chủ tọa": MeetingRole.CHAIR, "chủ toạ": MeetingRole.CHAIR,
    "secretary": MeetingRole.SECRETARY, "thư ký": MeetingRole.SECRETARY,
    "delegate": MeetingRole.DELEGATE, "đại biểu": MeetingRole.DELEGATE,
    "observer": MeetingRole.OBSERVER, "khách mời": MeetingRole.OBSERVER, "quan sát viên": MeetingRole.OBSERVER,
}
INSTALLATION_ROLE = {
    MeetingRole.CHAIR: Role.CHAIR, MeetingRole.SECRETARY: Role.SECRETARY,
    MeetingRole.DELEGATE: Role.DELEGATE, MeetingRole.OBSERVER: Role.OBSERVER,
}


@dataclass
class AddResult:
    participants: list[Participant] = field(default_factory=list)
    created_users: list[User] = field(default_factory=list)
    #: the one-time passwords of created accounts, to hand over (cards with QR links come later)
    initial_passwords: dict[str, str] = field(default_factory=dict)


class ParticipantService:
    def __init__(self, session: Session, actor: User, ip: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.ip = ip

    def add(self, meeting: Meeting, entries: Iterable[Mapping[str, Any]]) -> AddResult:
        """Add or update participants; unknown usernames become new accounts (with full_name given)."""
        result = AddResult()
        rows = list(entries)
        existing = {
            p.user_id: p
            for p in self.session.scalars(select(Participant).where(Participant.meeting_id == meeting.id))
        }
        for number, row in enumerate(rows, start=1):
            username = (row.get("username") or "").strip().lower()
            if not USERNAME.match(username):
                raise DomainError("invalid_username",
                               _l("Row %(n)d: the username “%(u)s” is not valid.", n=number, u=username))
            role = row.get("role") or MeetingRole.DELEGATE
            user = self.session.scalar(select(User).where(User.username == username))
            if user is None:
                full_name = (row.get("full_name") or "").strip()
                if not full_name:
                    raise DomainError("invalid",
                                   _l("Row %(n)d: a new account needs a full name.", n=number))
                user = User(username=username, full_name=full_name, role=INSTALLATION_ROLE[role],
                            email=row.get("email") or None)
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                self.session.add(user)
                self.session.flush()
                result.created_users.append(user)
                result.initial_passwords[username] = password
            elif row.get("full_name"):
                user.full_name = row["full_name"].strip()
            participant = existing.get(user.id)
            if participant is None:
                participant = Participant(meeting_id=meeting.id, user=user, role=role)
                self.session.add(participant)
                existing[user.id] = participant
            else:
                participant.role = role
            if row.get("group"):
                self._put_in_group(meeting, user, row["group"].strip())
            result.participants.append(participant)
        self.session.flush()
        audit.record(self.session, "participants.add", actor_id=self.actor.id, meeting_id=meeting.id,
                     ip=self.ip, usernames=[p.user.username for p in result.participants])
        return result

    def rename_group(self, meeting: Meeting, group: Group, name: str) -> None:
        """Give group another name, unless another group of the meeting has it (409)."""
        group.name = self._free_name(meeting, name, group.id)

    def _free_name(self, meeting: Meeting, name: str, keeping: int | None = None) -> str:
        name = name.strip()
        with self.session.no_autoflush:
            taken = self.session.scalar(select(Group.id).where(
                Group.meeting_id == meeting.id, Group.name == name, Group.id != (keeping or 0)))
        if taken is not None:
            raise DomainError("conflict", _l("A group with this name already exists."))
        return name

    def import_csv(self, meeting: Meeting, text: str) -> AddResult:
        """Add participants from CSV with a header row: name, username, role, group (email optional)."""
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), dialect)
        try:
            return self._import_rows(meeting, reader)
        except csv.Error:
            # a stray carriage return inside a field, an unterminated quote: say so, never a 500
            raise DomainError("invalid_csv", _l("The CSV file is malformed; save it again as CSV (UTF-8).")) from None

    def _import_rows(self, meeting: Meeting, reader: Any) -> AddResult:
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise DomainError("empty_csv", _l("The CSV file is empty.")) from None
        columns: dict[str, int] = {}
        for key, names in CSV_HEADERS.items():
            for index, name in enumerate(header):
                if name in names:
                    columns[key] = index
        if "username" not in columns:
            raise DomainError("invalid_csv", _l("The CSV file needs a header row with at least “username”."))
        entries = []
        for line_no, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            row = {key: cells[i].strip() if i < len(cells) else "" for key, i in columns.items()}
            # the same bounds as a JSON request's (names and e-mails must fit their columns)
            given = {k: v for k, v in row.items() if v and k != "role"}
            if problems := ParticipantIn(exclude=("role",)).validate(given):
                raise DomainError("invalid_csv", _l("Line %(n)d: invalid %(fields)s.", n=line_no,
                                                      fields=", ".join(sorted(problems))))
            role_word = row.pop("role", "").lower()
            if role_word and role_word not in ROLE_WORDS:
                raise DomainError("invalid_csv",
                               _l("Line %(n)d: unknown role “%(r)s”.", n=line_no, r=role_word))
            row["role"] = ROLE_WORDS.get(role_word, MeetingRole.DELEGATE)
            entries.append(row)
        return self.add(meeting, entries)

    def remove(self, meeting: Meeting, participant: Participant) -> None:
        for group in self.session.scalars(select(Group).where(Group.meeting_id == meeting.id)):
            group.members = [m for m in group.members if m.user_id != participant.user_id]
        self.session.delete(participant)
        self.session.flush()
        audit.record(self.session, "participants.remove", actor_id=self.actor.id, meeting_id=meeting.id,
                     ip=self.ip, username=participant.user.username)

    def create_group(self, meeting: Meeting, name: str, member_ids: Iterable[int] = (),
                     rapporteur_id: int | None = None) -> Group:
        name = self._free_name(meeting, name)
        group = Group(meeting_id=meeting.id, name=name)
        self.session.add(group)
        self.session.flush()
        self.set_members(meeting, group, member_ids, rapporteur_id)
        audit.record(self.session, "group.create", actor_id=self.actor.id, meeting_id=meeting.id,
                     target=group, ip=self.ip, name=name)
        return group

    def set_members(self, meeting: Meeting, group: Group, member_ids: Iterable[int],
                    rapporteur_id: int | None = None) -> Group:
        """Make exactly these users the group's members; each must take part in the meeting."""
        wanted = list(dict.fromkeys(member_ids))
        taking_part = set(self.session.scalars(
            select(Participant.user_id).where(Participant.meeting_id == meeting.id, Participant.user_id.in_(wanted))
        ))
        if missing := [uid for uid in wanted if uid not in taking_part]:
            raise DomainError("not_participant",
                           _l("Only participants of the meeting can join its groups (user ids %(ids)s).",
                              ids=", ".join(map(str, missing))))
        if rapporteur_id is not None and rapporteur_id not in wanted:
            raise DomainError("invalid", _l("The rapporteur must be a member of the group."))
        # Keep the rows of members who stay: replacing them would insert before deleting, and clash.
        kept = {m.user_id: m for m in group.members}
        group.members = [kept.get(uid) or GroupMember(user_id=uid) for uid in wanted]
        for member in group.members:
            member.is_rapporteur = member.user_id == rapporteur_id
        self.session.flush()
        return group

    def _put_in_group(self, meeting: Meeting, user: User, name: str) -> None:
        group = self.session.scalar(select(Group).where(Group.meeting_id == meeting.id, Group.name == name))
        if group is None:
            group = Group(meeting_id=meeting.id, name=name)
            self.session.add(group)
            self.session.flush()
        if not any(m.user_id == user.id for m in group.members):
            group.members.append(GroupMember(user_id=user.id))
