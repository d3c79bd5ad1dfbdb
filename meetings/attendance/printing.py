"""Printable PDFs made with PyMuPDF: the sitting's A4 poster and sheets of delegate cards.

Text is set in Noto Sans (pymupdf-fonts), which has every Vietnamese letter with its tone marks.
Labels arrive already translated: these functions only lay out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pymupdf

from meetings.attendance import qr

A4 = pymupdf.paper_rect("a4")
MM = 72 / 25.4
#: ISO/IEC 7810 ID-1, the size of a bank card: fits a wallet and a badge holder
CARD_W, CARD_H = 85.6 * MM, 54 * MM
COLUMNS, ROWS = 2, 5
CUT_MARK = 4 * MM
#: pixels a module in the PNGs placed on paper: sharp at print resolutions once scaled down
MODULE_PX = 12


def _fonts(page: pymupdf.Page) -> None:
    page.insert_font(fontname="notos", fontbuffer=pymupdf.Font("notos").buffer)
    page.insert_font(fontname="notosbo", fontbuffer=pymupdf.Font("notosbo").buffer)


def _text(page: pymupdf.Page, rect: pymupdf.Rect, text: str, size: float, *, bold: bool = False,
          align: int = pymupdf.TEXT_ALIGN_LEFT, color: tuple[float, float, float] = (0, 0, 0)) -> None:
    """Set text in rect, shrinking it until it fits (a long Vietnamese title must not vanish)."""
    font = "notosbo" if bold else "notos"
    while size > 4:
        if page.insert_textbox(rect, text, fontname=font, fontsize=size, align=align, color=color) >= 0:
            return
        size -= 0.5
    page.insert_textbox(rect, text, fontname=font, fontsize=4, align=align, color=color)


@dataclass(frozen=True)
class Poster:
    meeting_title: str
    body: str
    sitting_line: str
    when_line: str
    room_line: str
    url: str
    instruction: str


def poster_pdf(poster: Poster) -> bytes:
    """One A4 page: who meets, which sitting, when and where, the code large, the URL in text."""
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    _fonts(page)
    margin = 20 * MM
    width = A4.width - 2 * margin
    y = margin
    if poster.body:
        _text(page, pymupdf.Rect(margin, y, margin + width, y + 22), poster.body, 13,
              align=pymupdf.TEXT_ALIGN_CENTER, color=(0.3, 0.3, 0.3))
        y += 24
    _text(page, pymupdf.Rect(margin, y, margin + width, y + 70), poster.meeting_title, 22, bold=True,
          align=pymupdf.TEXT_ALIGN_CENTER)
    y += 76
    for line, size in ((poster.sitting_line, 16), (poster.when_line, 15), (poster.room_line, 15)):
        if line:
            _text(page, pymupdf.Rect(margin, y, margin + width, y + 24), line, size,
                  align=pymupdf.TEXT_ALIGN_CENTER)
            y += 26
    side = min(width, A4.height - y - 110)
    left = (A4.width - side) / 2
    page.insert_image(pymupdf.Rect(left, y + 8, left + side, y + 8 + side),
                      stream=qr.png(poster.url, MODULE_PX))
    y += side + 16
    _text(page, pymupdf.Rect(margin, y, margin + width, y + 24), poster.instruction, 14,
          align=pymupdf.TEXT_ALIGN_CENTER)
    _text(page, pymupdf.Rect(margin, y + 26, margin + width, y + 50), poster.url, 14, bold=True,
          align=pymupdf.TEXT_ALIGN_CENTER)
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


@dataclass(frozen=True)
class CardFace:
    name: str
    role: str
    group: str
    meeting_title: str
    footer: str
    url: str


def _cut_marks(page: pymupdf.Page, xs: Sequence[float], ys: Sequence[float]) -> None:
    """Cards abut, so one cut serves two of them: a short line in the sheet's margin at each cut,
    outside the printed area, for the guillotine to follow."""
    gap = 1.5 * MM
    top, bottom, left, right = ys[0], ys[-1], xs[0], xs[-1]
    for x in xs:
        page.draw_line((x, top - gap), (x, top - gap - CUT_MARK), width=0.4)
        page.draw_line((x, bottom + gap), (x, bottom + gap + CUT_MARK), width=0.4)
    for y in ys:
        page.draw_line((left - gap, y), (left - gap - CUT_MARK, y), width=0.4)
        page.draw_line((right + gap, y), (right + gap + CUT_MARK, y), width=0.4)


def _card(page: pymupdf.Page, rect: pymupdf.Rect, face: CardFace) -> None:
    pad = 3 * MM
    side = rect.height - 2 * pad
    page.insert_image(pymupdf.Rect(rect.x0 + pad, rect.y0 + pad, rect.x0 + pad + side, rect.y0 + pad + side),
                      stream=qr.png(face.url, MODULE_PX))
    x0 = rect.x0 + 2 * pad + side - 2 * MM  # the code's own quiet zone is white already
    text = pymupdf.Rect(x0, rect.y0 + pad, rect.x1 - pad, rect.y1 - pad)
    _text(page, pymupdf.Rect(text.x0, text.y0, text.x1, text.y0 + 32), face.name, 11, bold=True)
    _text(page, pymupdf.Rect(text.x0, text.y0 + 33, text.x1, text.y0 + 47), face.role, 8.5)
    _text(page, pymupdf.Rect(text.x0, text.y0 + 47, text.x1, text.y0 + 61), face.group, 8.5)
    _text(page, pymupdf.Rect(text.x0, text.y0 + 63, text.x1, text.y1 - 16), face.meeting_title, 7,
          color=(0.3, 0.3, 0.3))
    _text(page, pymupdf.Rect(text.x0, text.y1 - 15, text.x1, text.y1), face.footer, 6, color=(0.3, 0.3, 0.3))


def cards_pdf(faces: Sequence[CardFace]) -> bytes:
    """A4 sheets of bank-card-sized cards, two across and five down, with cut marks."""
    doc = pymupdf.open()
    x_margin = (A4.width - COLUMNS * CARD_W) / 2
    y_margin = (A4.height - ROWS * CARD_H) / 2
    per_page = COLUMNS * ROWS
    for start in range(0, len(faces), per_page):
        page = doc.new_page(width=A4.width, height=A4.height)
        _fonts(page)
        _cut_marks(page, [x_margin + c * CARD_W for c in range(COLUMNS + 1)],
                   [y_margin + r * CARD_H for r in range(ROWS + 1)])
        for index, face in enumerate(faces[start:start + per_page]):
            row, column = divmod(index, COLUMNS)
            x, y = x_margin + column * CARD_W, y_margin + row * CARD_H
            rect = pymupdf.Rect(x, y, x + CARD_W, y + CARD_H)
            _card(page, rect, face)
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data
