"""Field types every API schema shares."""

from __future__ import annotations

import marshmallow as ma

from meetings.db import MAX_ID


def Id(**kwargs: object) -> ma.fields.Integer:  # noqa: N802 - used like marshmallow's field classes
    """An id a client sends: positive, and small enough for the database's INTEGER keys."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)  # type: ignore[arg-type]
