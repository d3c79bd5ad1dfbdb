"""A render worker: a separate process that owns PyMuPDF, so the server's gevent loop never does.

PyMuPDF is not thread-safe and holds the GIL while it renders; a process of its own is the only
place it cannot freeze the server, and the only thing that can be killed when a page hangs.
Protocol: one JSON request a line on stdin, one JSON reply a line on stdout. This module imports
neither Flask nor the app (the pool runs this file directly, not as part of the meetings package),
so a worker starts in a fraction of a second."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pymupdf
from PIL import Image

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

#: encoder settings, chosen by measurement (docs/benchmarks.md): WebP method 0 is the cheapest WebP,
#: JPEG through Pillow's libjpeg-turbo the cheapest of all
ENCODERS: dict[str, tuple[str, dict[str, Any]]] = {
    "webp": ("WEBP", {"quality": 80, "method": 0}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": False, "progressive": False}),
}


class PageTooLarge(Exception):
    pass


class PdfProblem(Exception):
    """An upload that is not a PDF we can serve: a code and the numbers its message needs."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


#: an intact PDF ends with %%EOF within its last kilobyte (a few writers add trailing bytes)
TAIL = 1024


def check_pdf(path: str, max_pages: int, max_side_pt: float) -> dict[str, Any]:
    """Open an uploaded file with PyMuPDF and check it: {"page_count", "page_sizes"} or PdfProblem."""
    size = os.path.getsize(path)
    if size == 0:
        raise PdfProblem("empty_file")
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - TAIL))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise PdfProblem("not_pdf")
    if b"%%EOF" not in tail:
        raise PdfProblem("truncated_pdf")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise PdfProblem("corrupt_pdf") from exc
    with doc:
        if doc.needs_pass or doc.is_encrypted:
            raise PdfProblem("encrypted_pdf")
        count = doc.page_count
        if count == 0:
            raise PdfProblem("no_pages")
        if count > max_pages:
            raise PdfProblem("too_many_pages", count=count, limit=max_pages)
        sizes: list[list[float]] = []
        try:
            for page in doc:
                rect = page.rect
                if not (1 <= rect.width <= max_side_pt and 1 <= rect.height <= max_side_pt):
                    raise PdfProblem("page_size_out_of_bounds", page=page.number + 1, w=rect.width, h=rect.height)
                sizes.append([round(rect.width, 2), round(rect.height, 2)])
        except PdfProblem:
            raise
        except Exception as exc:
            raise PdfProblem("corrupt_pdf") from exc
    return {"page_count": count, "page_sizes": sizes}


def write_atomically(path: str, data: bytes) -> None:
    """Write data to path so that readers see the whole file or none of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_open: OrderedDict[str, pymupdf.Document] = OrderedDict()
#: documents kept open between requests: stored files never change, and pre-rendering asks for
#: every page of one document in a row, so reopening (parsing the xref) each time would be waste
KEEP_OPEN = 4


def open_document(pdf: str) -> pymupdf.Document:
    doc = _open.pop(pdf, None)
    if doc is None:
        doc = pymupdf.open(pdf, filetype="pdf")
    _open[pdf] = doc
    while len(_open) > KEEP_OPEN:
        _open.popitem(last=False)[1].close()
    return doc


def render_page(pdf: str, page_number: int, width: int, fmt: str, max_pixels: int) -> bytes:
    """Render one page (numbered from 0) width pixels wide and encode it."""
    page = open_document(pdf).load_page(page_number)
    rect = page.rect
    zoom = width / rect.width
    height = round(rect.height * zoom)
    if width * height > max_pixels:
        raise PageTooLarge(f"{width}x{height} px is over the budget of {max_pixels} px")
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
    return encode(pix, fmt)


def encode(pix: pymupdf.Pixmap, fmt: str) -> bytes:
    pil_format, options = ENCODERS[fmt]
    image = Image.frombuffer("RGB", (pix.width, pix.height), pix.samples, "raw", "RGB", pix.stride, 1)
    out = io.BytesIO()
    image.save(out, pil_format, **options)
    return out.getvalue()


def text_layer(pdf: str) -> dict[str, Any]:
    """Every page's words with their boxes (PDF points, origin top-left), and the outline."""
    pages = []
    doc = open_document(pdf)
    for page in doc:
        words = page.get_text("words", sort=True)
        pages.append({
            "width": round(page.rect.width, 2),
            "height": round(page.rect.height, 2),
            "words": [[round(w[0], 2), round(w[1], 2), round(w[2], 2), round(w[3], 2), w[4]] for w in words],
        })
    outline = [{"level": level, "title": title, "page": page} for level, title, page, *_ in doc.get_toc()]
    return {"pages": pages, "outline": outline}


def handle(request: dict[str, Any]) -> dict[str, Any]:
    op = request["op"]
    if op == "render":
        data = render_page(request["pdf"], request["page"], request["width"], request["format"],
                           request["max_pixels"])
        write_atomically(request["out"], data)
        return {"ok": True, "bytes": len(data)}
    if op == "text":
        write_atomically(request["out"], json.dumps(text_layer(request["pdf"]), ensure_ascii=False).encode())
        return {"ok": True}
    if op == "annotate":
        from annotations.pdf_export import annotate, from_page_images

        if request.get("pdf"):
            doc = pymupdf.open(request["pdf"], filetype="pdf")
        else:
            doc = from_page_images(request["images"], request["page_sizes"])
        authors = {int(k): v for k, v in request["authors"].items()}
        write_atomically(request["out"], annotate(doc, request["annotations"], authors))
        return {"ok": True}
    if op == "inspect":
        try:
            return {"ok": True, **check_pdf(request["pdf"], request["max_pages"], request["max_side_pt"])}
        except PdfProblem as problem:
            return {"ok": True, "problem": {"code": problem.code, "params": problem.params}}
    if op == "ping":
        return {"ok": True, "pid": os.getpid()}
    return {"ok": False, "error": "unknown_op", "message": op}


def main() -> None:
    # say when the imports are done: the render budget starts with the request, not the start-up
    sys.stdout.write(json.dumps({"ok": True, "ready": True}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        try:
            reply = handle(json.loads(line))
        except PageTooLarge as exc:
            reply = {"ok": False, "error": "over_budget", "message": str(exc)}
        except Exception as exc:  # a broken page must not end the worker
            reply = {"ok": False, "error": "render_failed", "message": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
