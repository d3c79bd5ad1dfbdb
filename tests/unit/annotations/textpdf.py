"""PDFs made of given lines of text, and their words as the reader's text layer has them.

The words come from PyMuPDF's own extraction (page.get_text("words", sort=True), rounded like the
render worker's text layer), so these tests see the same text that production re-anchors against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pymupdf

#: the first line's baseline and the distance between lines, in points from the page's top
TOP, LEADING = 100, 24


def pdf_of(*pages: Sequence[str]) -> bytes:
    """An A4 PDF with one page per argument, each a list of lines in Noto Sans (Vietnamese included)."""
    font = pymupdf.Font("notos")
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=595, height=842)
        if lines:
            writer = pymupdf.TextWriter(page.rect)
            for number, line in enumerate(lines):
                writer.append((72, TOP + number * LEADING), line, font=font, fontsize=11)
            writer.write_text(page)
    doc.subset_fonts()
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def words_of(data: bytes) -> list[list[list[Any]]]:
    """Every page's words as [x0, y0, x1, y1, text], in reading order."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [
            [
                [round(w[0], 2), round(w[1], 2), round(w[2], 2), round(w[3], 2), w[4]]
                for w in page.get_text("words", sort=True)
            ]
            for page in doc
        ]


def span_of(words: Sequence[Sequence[Any]], phrase: str, occurrence: int = 0) -> tuple[int, int]:
    """Indices of the first and last word of phrase's occurrence-th appearance among words."""
    wanted = phrase.split()
    texts = [str(w[4]) for w in words]
    found = [i for i in range(len(texts) - len(wanted) + 1) if texts[i : i + len(wanted)] == wanted]
    assert len(found) > occurrence, f"{phrase!r} appears {len(found)} times"
    first = found[occurrence]
    return first, first + len(wanted) - 1
