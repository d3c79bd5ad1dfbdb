"""Reading back what the server prints: every QR code is decoded by zxing-cpp (a decoder that has
nothing to do with the library that drew it), from PNG, from SVG and PDF pages rendered by PyMuPDF."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pymupdf
import pytest
import zxingcpp
from PIL import Image

from meetings.accounts.models import Role, User
from meetings.dossiers.models import Meeting
from tests.client import ApiClient
from tests.factories import PASSWORD, Factories

BASE = "http://meetings.test"  # PUBLIC_BASE_URL in tests/conftest.py


def decode(image: Image.Image) -> list[str]:
    """The text of every QR code zxing-cpp finds in image, top to bottom, left to right."""
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    found.sort(key=lambda b: (round(b.position.top_left.y / 50), b.position.top_left.x))
    return [b.text for b in found]


def png_codes(data: bytes) -> list[str]:
    with Image.open(io.BytesIO(data)) as image:
        return decode(image.convert("RGB"))


def pixmap_image(pixmap: Any) -> Image.Image:
    return Image.frombytes("RGB", (pixmap.width, pixmap.height), pixmap.samples)


def svg_codes(data: bytes, dpi: int = 200) -> list[str]:
    with pymupdf.open(stream=data, filetype="svg") as doc:
        return decode(pixmap_image(doc[0].get_pixmap(dpi=dpi, alpha=False)))


def pdf_pages(data: bytes, dpi: int = 200) -> list[tuple[list[str], str]]:
    """Per page of a PDF: the codes on its image and its text."""
    pages = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for page in doc:
            pages.append((decode(pixmap_image(page.get_pixmap(dpi=dpi, alpha=False))), page.get_text()))
    return pages


def path_of(url: str) -> str:
    assert url.startswith(BASE + "/"), url
    return urlsplit(url).path


def login_through_form(client: ApiClient, location: str, username: str) -> Any:
    """Follow a redirect to the sign-in page and sign in there as a person would; return the answer."""
    page = client.get(location)
    assert page.status_code == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert token is not None
    next_path = re.search(r'name="next"[^>]*value="([^"]*)"', page.get_data(as_text=True))
    assert next_path is not None
    return client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1),
                                       "next": next_path.group(1)})


@dataclass
class Hall:
    """A published meeting with a sitting today, its secretary, chair, delegates, an observer, and
    someone who takes part in nothing."""

    meeting: Meeting
    secretary: User
    chair: User
    delegates: list[User]
    observer: User
    outsider: User
    make: Factories

    @property
    def participants(self) -> list[User]:
        return [self.chair, *self.delegates, self.observer]


@pytest.fixture
def hall(make: Factories) -> Hall:
    meeting = make.published_meeting(title="Kỳ họp thứ mười Hội đồng nhân dân quận Hoàn Kiếm", body="HĐND quận",
                                     place="Hội trường tầng 3")
    secretary = make.user(Role.SECRETARY)
    chair = make.user(Role.CHAIR, full_name="Chủ tọa Nguyễn Thị Hằng")
    names = ["Trần Văn Đức", "Lê Thị Ánh Tuyết", "Phạm Quốc Việt", "Hoàng Thị Ngọc Ánh", "Vũ Đình Lượng",
             "Đặng Thu Hương"]
    delegates = [make.user(Role.DELEGATE, full_name=name) for name in names]
    observer = make.user(Role.OBSERVER, full_name="Quan sát viên Bùi Minh")
    outsider = make.user(Role.DELEGATE)
    make.participant(make.published_meeting(), outsider)
    for user in (chair, *delegates, observer):
        make.participant(meeting, user)
    make.group(meeting, delegates[:3], name="Tổ 1")
    return Hall(meeting, secretary, chair, delegates, observer, outsider, make)
