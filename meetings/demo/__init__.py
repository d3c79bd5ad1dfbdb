"""The demo meeting: a district People's Council's year-end session, with its accounts."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from meetings.accounts.models import Role, User
from meetings.demo.content import DOCUMENTS
from meetings.demo.pdfs import render
from meetings.dossiers.models import Category, Confidentiality
from meetings.dossiers.services import DossierService, UploadLimits
from meetings.participants.models import Group, MeetingRole
from meetings.participants.services import ParticipantService
from meetings.pdf.store import FileStore

PASSWORD = "demo"  # noqa: S105 - the demo's published password, printed by seed-demo
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
            "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh", "Hữu", "Khánh"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khoa",
         "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng",
         "Trang", "Tuấn", "Việt", "Yến"]


def delegate_name(n: int) -> str:
    return f"{SURNAMES[n % len(SURNAMES)]} {MIDDLE[(n * 7) % len(MIDDLE)]} {GIVEN[n % len(GIVEN)]}"


def is_empty(session: Session) -> bool:
    return not session.scalar(select(func.count()).select_from(User))


def seed(session: Session, store: FileStore, limits: UploadLimits) -> dict[str, Any]:
    """Create the demo accounts and meeting; return what was made. The caller commits."""
    def account(username: str, full_name: str, role: Role) -> User:
        user = User(username=username, full_name=full_name, role=role)
        user.set_password(PASSWORD)
        session.add(user)
        return user

    admin = account("admin", "Quản trị hệ thống", Role.ADMIN)
    secretary = account("secretary", "Lê Thị Thu Hà (Thư ký kỳ họp)", Role.SECRETARY)
    chair = account("chair", "Nguyễn Văn Thành (Chủ tọa)", Role.CHAIR)
    delegates = [account(f"delegate{n:02d}", delegate_name(n), Role.DELEGATE) for n in range(1, 31)]
    session.flush()

    dossier = DossierService(session, store, limits, secretary)
    meeting = dossier.create_meeting({
        "title": "Kỳ họp thứ mười hai Hội đồng nhân dân quận Hồng Hà khóa XVI",
        "body": "Hội đồng nhân dân quận Hồng Hà",
        "term": "Khóa XVI, nhiệm kỳ 2021–2026",
        "place": "Hội trường Trung tâm Hành chính quận, số 1 phố Hồng Hà",
        "description": "Kỳ họp thường lệ cuối năm: kinh tế - xã hội năm 2026, dự toán ngân sách năm 2027, "
                       "công tác cán bộ.",
    })
    today = dt.date.today()
    for offset, title, start, end in ((0, "Phiên khai mạc và thảo luận tổ", dt.time(8), dt.time(17)),
                                      (1, "Phiên thảo luận hội trường và bế mạc", dt.time(8), dt.time(16))):
        dossier.add_sitting(meeting, {"title": title, "date": today + dt.timedelta(days=offset),
                                      "starts_at": start, "ends_at": end, "room": "Hội trường tầng 3"})

    def item(title: str, presenter: str = "", parent: Any = None) -> Any:
        return dossier.add_agenda_item(meeting, {"title": title, "presenter": presenter,
                                                 "parent_id": parent.id if parent else None})

    opening = item("Khai mạc kỳ họp", "Chủ tọa kỳ họp")
    economy = item("Tình hình kinh tế - xã hội năm 2026 và kế hoạch năm 2027", "Ủy ban nhân dân quận")
    budget = item("Dự toán ngân sách địa phương năm 2027")
    budget_proposal = item("Tờ trình và dự thảo Nghị quyết", "Ủy ban nhân dân quận", budget)
    budget_review = item("Báo cáo thẩm tra", "Ban Kinh tế - Ngân sách", budget)
    integrity = item("Công tác phòng, chống tham nhũng", "Ủy ban nhân dân quận")
    personnel = item("Công tác cán bộ", "Thường trực Hội đồng nhân dân quận")
    item("Thảo luận tổ", "Các tổ đại biểu")
    item("Bế mạc kỳ họp", "Chủ tọa kỳ họp")

    def upload(key: str, under: Any, category: Category = Category.MAIN, **fields: Any) -> Any:
        spec = DOCUMENTS[key]
        number, _, symbol = spec.number.partition("/")
        data = {"title": spec.title, "category": category, "agenda_item_id": under.id, "number": number,
                "symbol": symbol or None, "issuing_body": spec.issuer, "issued_on": dt.date(2026, 11, 20), **fields}
        return dossier.upload_document(meeting, io.BytesIO(render(spec)), f"{key}.pdf", data)

    upload("programme", opening, downloadable=True)
    upload("economy", economy, downloadable=True)
    upload("statistics", economy, Category.REFERENCE, downloadable=True)
    upload("budget", budget_proposal)
    upload("draft_resolution", budget_proposal)
    upload("review", budget_review)
    dossier.add_link(meeting, {"title": "Luật Ngân sách nhà nước số 83/2015/QH13",
                               "url": "https://vbpl.vn/", "agenda_item_id": budget.id,
                               "issuing_body": "Quốc hội"})
    upload("anti_corruption", integrity, confidentiality=Confidentiality.CONFIDENTIAL)
    upload("personnel", personnel, confidentiality=Confidentiality.RESTRICTED,
           reader_ids=[chair.id, delegates[0].id, delegates[10].id, delegates[20].id])

    people = ParticipantService(session, secretary)
    entries: list[dict[str, Any]] = [
        {"username": "chair", "role": MeetingRole.CHAIR},
        {"username": "secretary", "role": MeetingRole.SECRETARY},
    ]
    for index, delegate in enumerate(delegates):
        entries.append({"username": delegate.username, "role": MeetingRole.DELEGATE,
                        "group": f"Tổ {index // 10 + 1}"})
    people.add(meeting, entries)
    for group in session.scalars(select(Group).where(Group.meeting_id == meeting.id)):
        group.members[0].is_rapporteur = True  # the first delegate of each group writes its summary
    dossier.publish(meeting)
    session.flush()
    return {"meeting": meeting, "accounts": ["admin", "secretary", "chair", "delegate01 … delegate30"],
            "password": PASSWORD, "admin": admin}
