"""Shapes of the search API."""

from __future__ import annotations

import marshmallow as ma

from meetings.db import MAX_ID

#: longest query accepted, in characters
MAX_QUERY = 200


class SearchArgs(ma.Schema):
    q = ma.fields.String(
        required=True,
        metadata={
            "description": "Words to find, with or without Vietnamese marks, in any case; the last word "
            "may be the start of a word. Letters and digits count, the rest is ignored.",
            "maxLength": MAX_QUERY,
        },
    )
    document = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=MAX_ID),
        metadata={"description": "Search only this document of the meeting"},
    )
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class HitOut(ma.Schema):
    document_id = ma.fields.Integer()
    document_title = ma.fields.String()
    version = ma.fields.Integer(metadata={"description": "The document's current version number"})
    page = ma.fields.Integer(metadata={"description": "Page number from 1 (1 for a match in the title)"})
    match = ma.fields.String(metadata={"description": "Where the words are: page (its text) or title"})
    snippet = ma.fields.String(
        metadata={
            "description": "About 80 characters of the original text around "
            "the first match; plain text, not HTML"
        }
    )
    highlights = ma.fields.List(
        ma.fields.List(ma.fields.Integer()),
        metadata={"description": "[start, end) offsets into snippet of each matched word or phrase"},
    )
    more_before = ma.fields.Boolean(metadata={"description": "The page's text goes on before the snippet"})
    more_after = ma.fields.Boolean(metadata={"description": "The page's text goes on after the snippet"})
    rank = ma.fields.Float(metadata={"description": "Relevance, higher first; comparable within one answer"})


class SearchOut(ma.Schema):
    query = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(HitOut))
