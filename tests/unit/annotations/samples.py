"""Annotations as they come out of the store, made in memory for the presenters' tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from annotations import Annotation, Kind, Visibility

_ids = itertools.count(1)

GEOMETRY: dict[Kind, dict[str, Any]] = {
    Kind.HIGHLIGHT: {"rects": [[72.0, 88.0, 300.0, 103.0], [72.0, 112.0, 200.0, 127.0]]},
    Kind.UNDERLINE: {"rects": [[72.0, 136.0, 250.0, 151.0]]},
    Kind.STRIKEOUT: {"rects": [[72.0, 160.0, 220.0, 175.0]]},
    Kind.INK: {
        "strokes": [[[100.0, 300.0], [150.0, 340.0], [200.0, 310.0]], [[120.0, 360.0], [180.0, 362.0]]],
        "width": 3.0,
    },
    Kind.NOTE: {"point": [500.0, 90.0]},
    Kind.RECT: {"rect": [60.0, 400.0, 320.0, 520.0]},
}


def annotation(kind: Kind = Kind.HIGHLIGHT, **fields: Any) -> Annotation:
    """A stored-looking annotation of kind on document 7, page 1, by user 3, overridden by fields."""
    number = next(_ids)
    made = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=number)
    values: dict[str, Any] = {
        "id": number,
        "meeting_id": 1,
        "document_id": 7,
        "version_id": 70,
        "page": 1,
        "kind": kind,
        "visibility": Visibility.PRIVATE,
        "group_id": None,
        "author_id": 3,
        "client_id": f"client-{number:06d}",
        "color": "#ffd400",
        "note": "",
        "geometry": GEOMETRY[kind],
        "quote": {"exact": "Dự toán ngân sách", "prefix": "Điều 1. ", "suffix": " năm 2027"}
        if kind in (Kind.HIGHLIGHT, Kind.UNDERLINE, Kind.STRIKEOUT)
        else None,
        "orphaned": False,
        "revision": 1,
        "last_action_id": None,
        "created_at": made,
        "updated_at": made,
        "deleted_at": None,
    }
    values.update(fields)
    return Annotation(**values)
