"""Read receipts: the first opening of each document by each participant, the report, and CSV."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from meetings.attendance.models import ReadReceipt
from meetings.db import db
from tests.client import error_of, json_of


def receipts_url(hall, fmt="json"):
    return f"/api/v1/meetings/{hall.meeting.id}/read-receipts?format={fmt}"


def test_a_receipt_is_recorded_once_at_the_first_opening(app, auth, hall):
    document = hall.make.document(hall.meeting, title="Tờ trình dự toán ngân sách")
    reader = auth.client_for(hall.delegates[0])
    page = f"/meetings/{hall.meeting.id}/documents/{document.id}"

    assert reader.get(page).status_code == 200
    with app.app_context():
        [first] = db.session.scalars(sa.select(ReadReceipt)).all()
    assert reader.get(page).status_code == 200
    with app.app_context():
        [again] = db.session.scalars(sa.select(ReadReceipt)).all()

    assert (first.document_id, first.user_id) == (document.id, hall.delegates[0].id)
    assert again.first_opened_at == first.first_opened_at


def test_the_report_says_opened_not_opened_and_not_delivered(auth, hall):
    shared = hall.make.document(hall.meeting, title="Báo cáo kinh tế - xã hội")
    secret = hall.make.restricted_document(hall.meeting, [hall.delegates[1]], title="Tài liệu mật")
    hall.make.link(hall.meeting)
    auth.client_for(hall.delegates[0]).get(f"/meetings/{hall.meeting.id}/documents/{shared.id}")
    auth.client_for(hall.delegates[1]).get(f"/meetings/{hall.meeting.id}/documents/{secret.id}")

    report = json_of(auth.client_for(hall.secretary).get(receipts_url(hall)), 200)

    by_doc = {d["document_id"]: d for d in report["documents"]}
    assert set(by_doc) == {shared.id, secret.id}  # links have nothing to open
    status = {(d, r["user_id"]): r["status"] for d, doc in by_doc.items() for r in doc["readers"]}
    assert status[shared.id, hall.delegates[0].id] == "opened"
    assert status[shared.id, hall.delegates[2].id] == "not_opened"
    assert status[secret.id, hall.delegates[1].id] == "opened"
    assert status[secret.id, hall.delegates[0].id] == "not_delivered"
    assert by_doc[shared.id]["counts"] == {"opened": 1, "not_opened": 7, "not_delivered": 0}
    opened = next(r for r in by_doc[shared.id]["readers"] if r["user_id"] == hall.delegates[0].id)
    assert opened["first_opened_at"] is not None


def test_csv_has_a_bom_and_vietnamese_names(auth, hall):
    document = hall.make.document(hall.meeting, title="Dự thảo Nghị quyết về đầu tư công")
    auth.client_for(hall.delegates[0]).get(f"/meetings/{hall.meeting.id}/documents/{document.id}")

    answer = auth.client_for(hall.secretary).get(receipts_url(hall, "csv"), headers={"Accept-Language": "en"})

    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Document ID", "Document"]
    names = {row[3]: row for row in rows[1:]}
    assert names["Trần Văn Đức"][5] == "Opened" and names["Trần Văn Đức"][6]
    assert names["Lê Thị Ánh Tuyết"][5] == "Not opened"
    assert all(row[1] == "Dự thảo Nghị quyết về đầu tư công" for row in rows[1:])


def test_only_secretaries_see_read_receipts(auth, hall):
    error_of(auth.client_for(None).get(receipts_url(hall)), 401)
    error_of(auth.client_for(hall.outsider).get(receipts_url(hall)), 404)
    for user in (hall.delegates[0], hall.chair, hall.observer):
        error_of(auth.client_for(user).get(receipts_url(hall)), 403)
    assert auth.client_for(hall.secretary).get(f"/meetings/{hall.meeting.id}/access").status_code == 200
    assert auth.client_for(hall.delegates[0]).get(f"/meetings/{hall.meeting.id}/access").status_code == 403
