"""W3C Web Annotation (JSON-LD) presenter: https://www.w3.org/TR/annotation-model/."""

from __future__ import annotations

from typing import Any

from annotations.model import TEXT_KINDS, Annotation, Kind
from annotations.schema import present

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {Kind.HIGHLIGHT: "highlighting", Kind.UNDERLINE: "highlighting", Kind.STRIKEOUT: "editing",
              Kind.INK: "highlighting", Kind.NOTE: "commenting", Kind.RECT: "highlighting"}


def _fragment(annotation: Annotation) -> str:
    """A media fragment of the page in PDF points (xywh) covering the annotation's shape."""
    g = annotation.geometry
    if "rects" in g:
        boxes = g["rects"]
    elif "rect" in g:
        boxes = [g["rect"]]
    elif "point" in g:
        x, y = g["point"]
        boxes = [[x, y, x, y]]
    else:
        points = [p for stroke in g["strokes"] for p in stroke]
        boxes = [[min(p[0] for p in points), min(p[1] for p in points),
                  max(p[0] for p in points), max(p[1] for p in points)]]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return f"page={annotation.page}&viewrect={x0:.2f},{y0:.2f},{x1 - x0:.2f},{y1 - y0:.2f}"


def to_w3c(annotation: Annotation, base_url: str, creator: dict[str, Any] | None = None) -> dict[str, Any]:
    """One annotation as a W3C Web Annotation."""
    data = present(annotation)
    source = f"{base_url}/api/v1/documents/{annotation.document_id}"
    selectors: list[dict[str, Any]] = [
        {"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778", "value": _fragment(annotation)}
    ]
    if annotation.kind in TEXT_KINDS and annotation.quote:
        selectors.append({"type": "TextQuoteSelector", **annotation.quote})
    item: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{base_url}/api/v1/annotations/{annotation.id}",
        "type": "Annotation",
        "motivation": MOTIVATION[annotation.kind],
        "created": data["created_at"],
        "modified": data["updated_at"],
        "target": {"source": source, "selector": selectors if len(selectors) > 1 else selectors[0],
                   "styleClass": annotation.kind.value},
        "stylesheet": {"type": "CssStylesheet",
                       "value": f".{annotation.kind.value} {{ color: {annotation.color} }}"},
        "audience": {"type": "Audience", "visibility": annotation.visibility.value},
    }
    if creator:
        item["creator"] = {"type": "Person", **creator}
    if annotation.note:
        item["body"] = {"type": "TextualBody", "value": annotation.note, "format": "text/plain",
                        "purpose": "commenting"}
    if annotation.kind is Kind.INK:
        item["target"]["renderedVia"] = {"type": "Ink", "strokes": annotation.geometry["strokes"],
                                         "width": annotation.geometry["width"]}
    return item


def collection(annotations: list[Annotation], base_url: str, label: str,
               creators: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Annotations as one W3C AnnotationCollection with a single page of items."""
    items = [to_w3c(a, base_url, (creators or {}).get(a.author_id)) for a in annotations]
    return {"@context": CONTEXT, "type": "AnnotationCollection", "label": label, "total": len(items),
            "first": {"type": "AnnotationPage", "startIndex": 0, "items": items}}
