"""Vietnamese-language demo documents, drawn with PyMuPDF in Noto Sans (which carries every
Vietnamese diacritic), so that the demo shows real text to render, select and search."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf

A4 = pymupdf.paper_rect("a4")
MARGIN = 72


@dataclass
class DemoPdf:
    """An official-looking document: header block, title, then numbered sections across pages."""

    issuer: str
    number: str
    title: str
    place_date: str
    sections: list[tuple[str, list[str]]]
    confidential: bool = False
    table: list[list[str]] = field(default_factory=list)


def _fonts() -> dict[str, pymupdf.Font]:
    return {"regular": pymupdf.Font("notos"), "bold": pymupdf.Font("notosbo"), "italic": pymupdf.Font("notosit")}


def render(spec: DemoPdf) -> bytes:
    """Lay the document out on A4 pages and return the PDF's bytes."""
    fonts = _fonts()
    doc = pymupdf.open()
    page, y = _new_page(doc, spec, fonts, first=True)
    body_width = A4.width - 2 * MARGIN
    for heading, paragraphs in spec.sections:
        blocks = [(heading, fonts["bold"], 14, 10)] + [(p, fonts["regular"], 13, 8) for p in paragraphs]
        for text, font, size, gap in blocks:
            lines = _wrap(text, font, size, body_width)
            height = len(lines) * size * 1.45
            if y + height > A4.height - MARGIN - 20:
                page, y = _new_page(doc, spec, fonts)
            writer = pymupdf.TextWriter(A4)
            for line in lines:
                y += size * 1.45
                writer.append((MARGIN, y), line, font=font, fontsize=size)
            writer.write_text(page)
            y += gap
    if spec.table:
        page, y = _table(doc, spec, fonts, page, y)
    doc.set_metadata({"title": spec.title, "author": spec.issuer, "creator": "Paperless Meetings demo"})
    doc.set_toc([[1, h, 1 + i // 3] for i, (h, _) in enumerate(spec.sections)])
    _number_pages(doc, fonts)
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def _wrap(text: str, font: pymupdf.Font, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if font.text_length(candidate, fontsize=size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _new_page(doc: pymupdf.Document, spec: DemoPdf, fonts: dict[str, pymupdf.Font],
              first: bool = False) -> tuple[pymupdf.Page, float]:
    page = doc.new_page(width=A4.width, height=A4.height)
    writer = pymupdf.TextWriter(A4)
    if spec.confidential:
        writer.append((A4.width - MARGIN - 40, 40), "MẬT", font=fonts["bold"], fontsize=14)
    if not first:
        writer.write_text(page, color=(0.6, 0, 0))
        return page, MARGIN
    left, right = MARGIN, A4.width / 2 + 10
    writer.append((left, 70), spec.issuer.upper(), font=fonts["bold"], fontsize=10)
    writer.append((left, 86), f"Số: {spec.number}", font=fonts["regular"], fontsize=10)
    writer.append((right, 70), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=fonts["bold"], fontsize=10)
    writer.append((right + 22, 86), "Độc lập - Tự do - Hạnh phúc", font=fonts["bold"], fontsize=10)
    writer.append((right + 10, 110), spec.place_date, font=fonts["italic"], fontsize=10)
    y = 150.0
    for line in _wrap(spec.title.upper(), fonts["bold"], 14, A4.width - 2 * MARGIN - 40):
        width = fonts["bold"].text_length(line, fontsize=14)
        writer.append(((A4.width - width) / 2, y), line, font=fonts["bold"], fontsize=14)
        y += 20
    writer.write_text(page, color=(0, 0, 0))
    return page, y + 14


def _table(doc: pymupdf.Document, spec: DemoPdf, fonts: dict[str, pymupdf.Font], page: pymupdf.Page,
           y: float) -> tuple[pymupdf.Page, float]:
    columns = len(spec.table[0])
    total = A4.width - 2 * MARGIN
    # the first column holds the labels: give it two fifths, share the rest
    widths = [total * 0.4] + [total * 0.6 / (columns - 1)] * (columns - 1)
    lefts = [MARGIN + sum(widths[:i]) for i in range(columns)]
    row_height = 22
    if y + row_height * len(spec.table) > A4.height - MARGIN:
        page, y = _new_page(doc, spec, fonts)
    y += 10
    for index, row in enumerate(spec.table):
        writer = pymupdf.TextWriter(A4)
        for col, cell in enumerate(row):
            rect = pymupdf.Rect(lefts[col], y, lefts[col] + widths[col], y + row_height)
            page.draw_rect(rect, color=(0.5, 0.5, 0.5), fill=(0.92, 0.94, 0.98) if index == 0 else None, width=0.6)
            font = fonts["bold"] if index == 0 else fonts["regular"]
            writer.append((rect.x0 + 5, rect.y0 + 15), cell, font=font, fontsize=9.5)
        writer.write_text(page)
        y += row_height
    return page, y


def _number_pages(doc: pymupdf.Document, fonts: dict[str, pymupdf.Font]) -> None:
    total = doc.page_count
    for page in doc:
        writer = pymupdf.TextWriter(A4)
        label = f"Trang {page.number + 1}/{total}"
        writer.append((A4.width / 2 - 25, A4.height - 30), label, font=fonts["italic"], fontsize=9)
        writer.write_text(page, color=(0.35, 0.35, 0.35))
