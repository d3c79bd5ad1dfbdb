"""Validating annotation payloads from clients, and presenting stored annotations as plain data."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from annotations.model import TEXT_KINDS, Annotation, Kind
from annotations.visibility import Visibility

COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")
MAX_NOTE = 10_000
MAX_POINTS = 20_000
MAX_RECTS = 500


class AnnotationError(Exception):
    """A payload or action that cannot be applied; code is machine-readable, message human."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AnnotationError("invalid", f"{name} must be a finite number")
    return float(value)


def _rect(value: Any, name: str) -> list[float]:
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise AnnotationError("invalid", f"{name} must be [x0, y0, x1, y1]")
    x0, y0, x1, y1 = (_number(v, name) for v in value)
    if x1 < x0 or y1 < y0:
        raise AnnotationError("invalid", f"{name} must have x0 <= x1 and y0 <= y1")
    return [x0, y0, x1, y1]


def _point(value: Any, name: str) -> list[float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise AnnotationError("invalid", f"{name} must be [x, y]")
    return [_number(value[0], name), _number(value[1], name)]


def geometry_for(kind: Kind, geometry: Any) -> dict[str, Any]:
    """Check and normalise the shape of an annotation of kind."""
    if not isinstance(geometry, dict):
        raise AnnotationError("invalid", "geometry must be an object")
    if kind in TEXT_KINDS:
        rects = geometry.get("rects")
        if not isinstance(rects, list) or not 1 <= len(rects) <= MAX_RECTS:
            raise AnnotationError("invalid", f"a {kind} needs 1 to {MAX_RECTS} rects")
        return {"rects": [_rect(r, "rects[]") for r in rects]}
    if kind is Kind.INK:
        strokes = geometry.get("strokes")
        if not isinstance(strokes, list) or not strokes:
            raise AnnotationError("invalid", "ink needs strokes: [[[x, y], ...], ...]")
        points = sum(len(s) if isinstance(s, list) else 0 for s in strokes)
        if points > MAX_POINTS:
            raise AnnotationError("invalid", f"ink has more than {MAX_POINTS} points")
        clean = []
        for stroke in strokes:
            if not isinstance(stroke, list) or not stroke:
                raise AnnotationError("invalid", "each stroke is a non-empty list of points")
            clean.append([_point(p, "strokes[][]") for p in stroke])
        width = _number(geometry.get("width", 2), "width")
        if not 0.1 <= width <= 50:
            raise AnnotationError("invalid", "width must be between 0.1 and 50 points")
        return {"strokes": clean, "width": width}
    if kind is Kind.NOTE:
        return {"point": _point(geometry.get("point"), "point")}
    return {"rect": _rect(geometry.get("rect"), "rect")}


def quote_for(kind: Kind, quote: Any) -> dict[str, str] | None:
    if kind not in TEXT_KINDS:
        return None
    if not isinstance(quote, dict) or not isinstance(quote.get("exact"), str) or not quote["exact"].strip():
        raise AnnotationError("invalid", f"a {kind} needs quote.exact, the text it marks")
    return {key: str(quote.get(key, ""))[:2000] for key in ("exact", "prefix", "suffix")}


def parse_new(payload: Any) -> dict[str, Any]:
    """Validate a create payload; return the fields to store (ids are checked by the caller)."""
    if not isinstance(payload, dict):
        raise AnnotationError("invalid", "the payload must be an object")
    try:
        kind = Kind(str(payload.get("kind")))
    except ValueError:
        raise AnnotationError("invalid", f"kind must be one of {', '.join(k.value for k in Kind)}") from None
    fields = {
        "kind": kind,
        "geometry": geometry_for(kind, payload.get("geometry")),
        "quote": quote_for(kind, payload.get("quote")),
        "page": _page(payload.get("page")),
        **parse_changes(payload, creating=True),
    }
    client_id = payload.get("client_id")
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise AnnotationError("invalid", "client_id must be a string of 8 to 64 characters")
    fields["client_id"] = client_id
    return fields


def parse_changes(payload: dict[str, Any], creating: bool = False) -> dict[str, Any]:
    """The editable fields present in payload: visibility, group, colour, note."""
    changes: dict[str, Any] = {}
    if "visibility" in payload or creating:
        try:
            changes["visibility"] = Visibility(payload.get("visibility") or "private")
        except ValueError:
            raise AnnotationError("invalid", "visibility must be private, group or meeting") from None
    if "color" in payload:
        if not isinstance(payload["color"], str) or not COLOR.fullmatch(payload["color"]):
            raise AnnotationError("invalid", "color must be #rrggbb or #rrggbbaa")
        changes["color"] = payload["color"].lower()
    if "note" in payload:
        if not isinstance(payload["note"], str) or len(payload["note"]) > MAX_NOTE:
            raise AnnotationError("invalid", f"note must be text of at most {MAX_NOTE} characters")
        if "\x00" in payload["note"]:  # PostgreSQL stores no NUL in text: refused here, not failed there
            raise AnnotationError("invalid", "note must not contain the NUL character")
        changes["note"] = payload["note"]
    if "group_id" in payload:
        if payload["group_id"] is not None and (isinstance(payload["group_id"], bool)
                                               or not isinstance(payload["group_id"], int)):
            raise AnnotationError("invalid", "group_id must be a group's id")
        changes["group_id"] = payload["group_id"]
    return changes


def _page(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise AnnotationError("invalid", "page must be a page number from 1")
    return value


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def present(annotation: Annotation) -> dict[str, Any]:
    """An annotation as plain JSON-ready data (what clients receive, live and in lists)."""
    return {
        "id": annotation.id,
        "meeting": annotation.meeting_id,
        "document": annotation.document_id,
        "version_id": annotation.version_id,
        "page": annotation.page,
        "kind": annotation.kind.value,
        "visibility": annotation.visibility.value,
        "group_id": annotation.group_id,
        "author_id": annotation.author_id,
        "client_id": annotation.client_id,
        "color": annotation.color,
        "note": annotation.note,
        "geometry": annotation.geometry,
        "quote": annotation.quote,
        "orphaned": annotation.orphaned,
        "revision": annotation.revision,
        "created_at": _iso(annotation.created_at),
        "updated_at": _iso(annotation.updated_at),
        "deleted": annotation.deleted,
    }
