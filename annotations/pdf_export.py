"""An annotated copy of a document: each annotation becomes a real PDF annotation that a desktop
reader shows. Works on plain data (what annotations.schema.present gives), so it can run in a
render worker process, away from the server's event loop."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pymupdf

ORPHAN_LABEL = "[không còn vị trí / unplaced]"


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")[:6]
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def from_page_images(images: Sequence[str], page_sizes: Sequence[Sequence[float]]) -> pymupdf.Document:
    """A PDF whose pages are the given page images at the original page sizes (no original text or
    objects: what a delegate may have when the original is not offered for download)."""
    doc = pymupdf.open()
    for path, (width, height) in zip(images, page_sizes, strict=True):
        page = doc.new_page(width=width, height=height)
        page.insert_image(page.rect, filename=path)
    return doc


def annotate(doc: pymupdf.Document, annotations: Iterable[dict[str, Any]], authors: dict[int, str]) -> bytes:
    """Add the annotations to doc; orphans become notes on page 1. Return the PDF's bytes."""
    for item in annotations:
        if item.get("deleted"):
            continue
        orphan = item["orphaned"] or item["page"] > doc.page_count
        page = doc[0 if orphan else item["page"] - 1]
        kind, g = item["kind"], item["geometry"]
        content = item["note"] or ""
        if orphan:
            quoted = (item.get("quote") or {}).get("exact", "")
            # the label and the quote say what it was about: the note alone would lose it
            content = f"{ORPHAN_LABEL} {quoted}\n{content}".strip()
            made = page.add_text_annot((12, 12), content)
        elif kind in ("highlight", "underline", "strikeout"):
            adder = {"highlight": page.add_highlight_annot, "underline": page.add_underline_annot,
                     "strikeout": page.add_strikeout_annot}[kind]
            made = adder(quads=[pymupdf.Rect(r).quad for r in g["rects"]])
        elif kind == "ink":
            made = page.add_ink_annot([[tuple(p) for p in stroke] for stroke in g["strokes"]])
            made.set_border(width=g["width"])
        elif kind == "note":
            made = page.add_text_annot(tuple(g["point"]), item["note"] or "")
        else:
            made = page.add_rect_annot(pymupdf.Rect(g["rect"]))
        if not orphan and kind != "note":
            made.set_colors(stroke=_rgb(item["color"]))
        made.set_info(title=authors.get(item["author_id"], ""), content=content)
        made.update(opacity=0.45 if kind == "highlight" else 1.0)
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data
