"""Upload safety: a file is accepted only if PyMuPDF opens it as a sound, unencrypted, sane PDF.

The check itself (meetings.pdf.worker.check_pdf) runs in a render worker process in the
server, so a large or hostile file never stalls the event loop; this module gives each problem its
message for the uploader, in their language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from meetings.pdf.pages import PageRenderer
from meetings.pdf.pool import RenderFailed, RenderPool
from meetings.pdf.worker import PdfProblem, check_pdf

log = logging.getLogger(__name__)


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


#: each problem's message; %(name)s placeholders are filled from the problem's params
MESSAGES: dict[str, Callable[..., Any]] = {
    "empty_file": lambda **_: _l("The file is empty."),
    "not_pdf": lambda **_: _l("The file is not a PDF."),
    "truncated_pdf": lambda **_: _l("The PDF is incomplete (truncated); upload it again."),
    "corrupt_pdf": lambda **_: _l("The PDF is damaged and cannot be opened."),
    "encrypted_pdf": lambda **_: _l("The PDF is password-protected; upload a copy without a password."),
    "no_pages": lambda **_: _l("The PDF has no pages."),
    "unreadable_pdf": lambda **_: _l("The PDF could not be checked in time; it may be damaged."),
    "too_many_pages": lambda count, limit, **_: _l(
        "The PDF has %(count)d pages; at most %(limit)d are accepted.", count=count, limit=limit),
    "page_size_out_of_bounds": lambda page, w, h, **_: _l(
        "Page %(page)d measures %(w)d × %(h)d pt, outside the accepted bounds.", page=page, w=w, h=h),
}


def refusal(code: str, params: dict[str, Any]) -> UnacceptablePdf:
    return UnacceptablePdf(code, MESSAGES[code](**params), status=415 if code == "not_pdf" else 422)


def facts_or_refusal(reply: dict[str, Any]) -> PdfFacts:
    """Turn a worker's "inspect" reply into the file's facts, or raise its refusal."""
    if "problem" in reply:
        raise refusal(reply["problem"]["code"], reply["problem"]["params"])
    return PdfFacts(page_count=reply["page_count"], page_sizes=reply["page_sizes"])


def inspect_pdf(path: Path, *, size: int, max_pages: int, max_side_pt: float) -> PdfFacts:
    """Check path in this process; return its page facts or raise UnacceptablePdf."""
    try:
        return facts_or_refusal(check_pdf(str(path), max_pages, max_side_pt))
    except PdfProblem as problem:
        raise refusal(problem.code, problem.params) from None


def inspect_in_workers(pool: RenderPool, path: Path, *, max_pages: int, max_side_pt: float) -> PdfFacts:
    """Check an upload in a render worker: a huge or hostile PDF must not stall the server."""
    request = {"op": "inspect", "pdf": str(path), "max_pages": max_pages, "max_side_pt": max_side_pt}
    try:
        return facts_or_refusal(pool.call(request))
    except RenderFailed:
        log.warning("upload %s could not be checked in time", path.name)
        raise refusal("unreadable_pdf", {}) from None


def extract_text(pages: PageRenderer, sha256: str) -> None:
    """Extract a new file's text layer in the render workers, before the upload's row is written:
    on SQLite a writer waiting for the workers would hold the only write lock, and every other
    upload's wait for it would block the server. A failure is logged; indexing retries later."""
    try:
        pages.text_layer(sha256)
    except Exception:
        log.exception("text layer of %s not extracted at upload", sha256[:12])
