"""The sitting's QR code: PNG, SVG and an A4 poster, all pointing at the meeting through sign-in."""

from __future__ import annotations

import datetime as dt

import pymupdf
import pytest

from tests.client import error_of
from tests.integration.attendance.conftest import (
    BASE,
    login_through_form,
    path_of,
    pdf_pages,
    png_codes,
    svg_codes,
)


@pytest.fixture
def sitting(hall):
    return hall.make.sitting(hall.meeting, title="Phiên khai mạc", date=dt.date(2027, 7, 8),
                             starts_at=dt.time(8, 0), ends_at=dt.time(11, 30), room="Phòng họp số 1")


def qr_url(hall, sitting, fmt):
    return f"/api/v1/meetings/{hall.meeting.id}/sittings/{sitting.id}/qr?format={fmt}"


def test_png_and_svg_codes_decode_to_the_meeting_address(auth, hall, sitting):
    auth.login(hall.secretary)
    expected = f"{BASE}/meetings/{hall.meeting.id}"

    png = auth.client.get(qr_url(hall, sitting, "png"))
    svg = auth.client.get(qr_url(hall, sitting, "svg"))

    assert png.mimetype == "image/png" and svg.mimetype == "image/svg+xml"
    assert png_codes(png.data) == [expected]
    assert svg_codes(svg.data) == [expected]


def test_the_code_survives_damage_error_correction_is_at_least_q(auth, hall, sitting):
    import io

    import zxingcpp
    from PIL import Image, ImageDraw

    auth.login(hall.secretary)
    image = Image.open(io.BytesIO(auth.client.get(qr_url(hall, sitting, "png")).data)).convert("RGB")
    [code] = zxingcpp.read_barcodes(image)
    assert code.ec_level in {"Q", "H"}
    # a stripe of glare across the code, as a projector's hot spot would make
    width, height = image.size
    ImageDraw.Draw(image).rectangle((width * 0.45, height * 0.3, width * 0.55, height * 0.7), fill="white")
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [code.text]


def test_poster_pdf_is_one_a4_page_with_the_sitting_the_code_and_the_address(auth, hall, sitting):
    auth.login(hall.secretary)
    answer = auth.client.get(qr_url(hall, sitting, "pdf"))

    assert answer.mimetype == "application/pdf"
    with pymupdf.open(stream=answer.data, filetype="pdf") as doc:
        assert doc.page_count == 1
        assert round(doc[0].rect.width) == 595 and round(doc[0].rect.height) == 842
    [(codes, text)] = pdf_pages(answer.data)
    url = f"{BASE}/meetings/{hall.meeting.id}"
    assert codes == [url]
    flat = " ".join(text.split())
    for expected in ("Kỳ họp thứ mười Hội đồng nhân dân quận Hoàn Kiếm", "Phiên khai mạc", "08:00–11:30",
                     "Phòng họp số 1", url):
        assert expected in flat, expected


def test_scanning_the_sitting_code_leads_through_sign_in_to_the_meeting(app, auth, hall, sitting):
    auth.login(hall.secretary)
    [url] = png_codes(auth.client.get(qr_url(hall, sitting, "png")).data)
    phone = auth.client_for(None)

    first = phone.get(path_of(url), headers={"Accept": "text/html"})
    assert first.status_code == 302
    assert first.location.startswith("/login?next=")

    signed_in = login_through_form(phone, first.location, hall.delegates[0].username)
    assert signed_in.status_code == 302
    assert signed_in.location == path_of(url)
    meeting_page = phone.get(signed_in.location)
    assert meeting_page.status_code == 200
    assert hall.meeting.title in meeting_page.get_data(as_text=True)


def test_participants_may_fetch_the_code_others_may_not(auth, hall, sitting):
    for user in (hall.delegates[0], hall.observer, hall.chair):
        assert auth.client_for(user).get(qr_url(hall, sitting, "svg")).status_code == 200
    error_of(auth.client_for(None).get(qr_url(hall, sitting, "png")), 401)
    error_of(auth.client_for(hall.outsider).get(qr_url(hall, sitting, "png")), 404)
    other = hall.make.sitting(hall.make.published_meeting())
    error_of(auth.client_for(hall.secretary).get(qr_url(hall, other, "png")), 404)
    error_of(auth.client_for(hall.secretary).get(qr_url(hall, sitting, "gif")), 422)
