"""A published council meeting with two teams of delegates, an ordinary and a restricted document,
and annotations of every visibility on them."""

from __future__ import annotations

import pytest

from meetings.accounts.models import Role
from tests.factories import Factories
from tests.integration.annotating.council import BUDGET, ROADS, SCHOOLS, Council
from tests.unit.annotations.textpdf import pdf_of


@pytest.fixture
def council(make: Factories) -> Council:
    meeting = make.published_meeting()
    anh, binh, chi = (
        make.user(full_name=name) for name in ("Nguyễn Văn Anh", "Lê Thị Bình", "Phạm Minh Chi")
    )
    outsider, secretary = (
        make.user(full_name="Hoàng Ngoại"),
        make.user(Role.SECRETARY, full_name="Thư ký Hương"),
    )
    for user in (anh, binh, chi, secretary):
        make.participant(meeting, user)
    team_a = make.group(meeting, [anh, binh], name="Tổ đại biểu số 1")
    team_b = make.group(meeting, [chi], name="Tổ đại biểu số 2")
    budget = make.document(meeting, pdf_of([BUDGET, SCHOOLS], [ROADS], [BUDGET]), title="Tờ trình dự toán")
    secret = make.restricted_document(meeting, readers=[anh], title="Báo cáo mật")
    return Council(meeting, anh, binh, chi, outsider, secretary, team_a, team_b, budget, secret)


@pytest.fixture
def annotated(make: Factories, council: Council) -> Council:
    """The council with an annotation of each visibility on its documents, each note naming itself."""
    c = council
    made = {
        "anh_private": make.annotation(c.budget, c.anh, note="RIÊNG của Anh"),
        "anh_team_a": make.annotation(
            c.budget, c.anh, "underline", page=2, visibility="group", note="NHÓM A"
        ),
        "anh_meeting": make.annotation(
            c.budget, c.anh, "note", page=3, visibility="meeting", note="CHUNG của Anh"
        ),
        "binh_private": make.annotation(c.budget, c.binh, "ink", note="RIÊNG của Bình"),
        "chi_team_b": make.annotation(
            c.budget, c.chi, "rect", page=2, visibility="group", group=c.team_b, note="NHÓM B"
        ),
        "secretary_meeting": make.annotation(
            c.budget, c.secretary, "strikeout", visibility="meeting", note="CHUNG của thư ký"
        ),
        "anh_meeting_on_secret": make.annotation(
            c.secret, c.anh, visibility="meeting", note="CHUNG trên tài liệu mật"
        ),
        "anh_private_on_secret": make.annotation(c.secret, c.anh, "note", note="RIÊNG trên tài liệu mật"),
    }
    c.notes.update({name: a.id for name, a in made.items()})
    return c
