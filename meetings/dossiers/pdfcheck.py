"""Upload safety: a file is accepted only if PyMuPDF opens it as a sound, unencrypted, sane PDF."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf
from flask_babel import lazy_gettext as _l

# MuPDF repairs what it can and reports the rest on stderr; we decide from the outcome instead.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

#: an intact PDF ends with %%EOF within its last kilobyte (a few writers add trailing bytes)
TAIL = 1024


class UnacceptablePdf(Exception):
    """The file is not a PDF we can serve; code and message say why, for the uploader."""

    def __init__(self, code: str, message: Any, status: int = 422) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class PdfFacts:
    page_count: int
    page_sizes: list[list[float]]


def inspect_pdf(path: Path, *, size: int, max_pages: int, max_side_pt: float) -> PdfFacts:
    """Open path with PyMuPDF and check it; return its page facts or raise UnacceptablePdf."""
    if size == 0:
        raise UnacceptablePdf("empty_file", _l("The file is empty."))
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - TAIL))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise UnacceptablePdf("not_pdf", _l("The file is not a PDF."), status=415)
    if b"%%EOF" not in tail:
        raise UnacceptablePdf("truncated_pdf", _l("The PDF is incomplete (truncated); upload it again."))
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise UnacceptablePdf("corrupt_pdf", _l("The PDF is damaged and cannot be opened.")) from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise UnacceptablePdf(
                "encrypted_pdf", _l("The PDF is password-protected; upload a copy without a password.")
            )
        count = doc.page_count
        if count == 0:
            raise UnacceptablePdf("no_pages", _l("The PDF has no pages."))
        if count > max_pages:
            raise UnacceptablePdf(
                "too_many_pages",
                _l("The PDF has %(count)d pages; at most %(limit)d are accepted.", count=count, limit=max_pages),
            )
        sizes: list[list[float]] = []
        try:
            for page in doc:
                rect = page.rect
                if not (1 <= rect.width <= max_side_pt and 1 <= rect.height <= max_side_pt):
                    raise UnacceptablePdf(
                        "page_size_out_of_bounds",
                        _l(
                            "Page %(page)d measures %(w)d × %(h)d pt, outside the accepted bounds.",
                            page=page.number + 1,
                            w=rect.width,
                            h=rect.height,
                        ),
                    )
                sizes.append([round(rect.width, 2), round(rect.height, 2)])
        except UnacceptablePdf:
            raise
        except Exception as exc:
            raise UnacceptablePdf("corrupt_pdf", _l("The PDF is damaged and cannot be opened.")) from exc
    return PdfFacts(page_count=count, page_sizes=sizes)
