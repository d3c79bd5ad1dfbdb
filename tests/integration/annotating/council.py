"""The cast of the annotating tests: a council meeting's people, documents and annotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meetings.accounts.models import User
from meetings.dossiers.models import Document, Meeting
from meetings.participants.models import Group

BUDGET = "Điều 2. Tổng thu ngân sách nhà nước trên địa bàn quận năm 2027 là 1.250 tỷ đồng."
SCHOOLS = "Điều 3. Ưu tiên vốn đầu tư công cho trường học và trạm y tế phường."
ROADS = "Điều 4. Giao Ủy ban nhân dân quận tổ chức thực hiện Nghị quyết này."


@dataclass
class Council:
    meeting: Meeting
    anh: User  # team A, the only reader of the restricted document
    binh: User  # team A
    chi: User  # team B
    outsider: User  # takes no part in the meeting
    secretary: User
    team_a: Group
    team_b: Group
    budget: Document
    secret: Document
    #: annotation ids by name
    notes: dict[str, int] = field(default_factory=dict)

    def names(self, ids: Any) -> set[str]:
        by_id = {v: k for k, v in self.notes.items()}
        return {by_id.get(i, f"unknown {i}") for i in ids}
