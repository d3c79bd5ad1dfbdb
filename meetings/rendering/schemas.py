"""Shapes of the rendering API."""

from __future__ import annotations

import marshmallow as ma

from meetings.pdf.pages import BUCKETS, FORMATS


class PageImageArgs(ma.Schema):
    width = ma.fields.Integer(
        load_default=1200, validate=ma.validate.Range(min=1, max=10000),
        metadata={"description": f"Wanted width in device pixels; rounded up to one of {list(BUCKETS)}"},
    )
    format = ma.fields.String(load_default="webp", validate=ma.validate.OneOf(list(FORMATS)))
    version = ma.fields.Integer(validate=ma.validate.Range(min=1),
                                metadata={"description": "Version number; the current one by default"})


class VersionArgs(ma.Schema):
    version = ma.fields.Integer(validate=ma.validate.Range(min=1))


class WordOut(ma.Schema):
    x0 = ma.fields.Float()
    y0 = ma.fields.Float()
    x1 = ma.fields.Float()
    y1 = ma.fields.Float()
    text = ma.fields.String()


class PageTextOut(ma.Schema):
    page = ma.fields.Integer()
    width = ma.fields.Float(metadata={"description": "Page width in PDF points"})
    height = ma.fields.Float()
    words = ma.fields.List(ma.fields.Nested(WordOut), metadata={"description": "Boxes in PDF points, origin top-left"})


class OutlineEntry(ma.Schema):
    level = ma.fields.Integer()
    title = ma.fields.String()
    page = ma.fields.Integer()


class ProgressOut(ma.Schema):
    document_id = ma.fields.Integer()
    version = ma.fields.Integer()
    total = ma.fields.Integer()
    done = ma.fields.Integer()
    failed = ma.fields.Integer()
    state = ma.fields.String()
