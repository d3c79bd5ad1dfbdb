"""Field types every API schema shares."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from meetings.db import MAX_ID


class BoundedList(ma.fields.List):
    """A list whose length is checked before any item is parsed: a body of a million items is refused
    at once, not after a million items (and a million error messages) have been made."""

    def __init__(self, inner: ma.fields.Field | type[ma.fields.Field], *, max_items: int, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.max_items = max_items
        self.metadata.setdefault("maxItems", max_items)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > self.max_items:
            raise ma.ValidationError(f"At most {self.max_items} items.")
        return super()._deserialize(value, attr, data, **kwargs)


def Id(**kwargs: object) -> ma.fields.Integer:  # noqa: N802 - used like marshmallow's field classes
    """An id a client sends: positive, and small enough for the database's INTEGER keys."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)  # type: ignore[arg-type]
