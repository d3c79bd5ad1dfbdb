"""Shapes of the accounts API."""

from __future__ import annotations

import marshmallow as ma

from meetings.accounts.models import Role


class LoginIn(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=200))


class UserOut(ma.Schema):
    id = ma.fields.Integer()
    username = ma.fields.String()
    full_name = ma.fields.String()
    role = ma.fields.Enum(Role, by_value=True)
    locale = ma.fields.String(allow_none=True)


class LoginOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String(metadata={"description": "Send as X-CSRFToken on unsafe calls made with the cookie"})


class WhoAmIOut(UserOut):
    csrf_token = ma.fields.String(allow_none=True)
    via = ma.fields.String(metadata={"description": "session or token"})


class TokenIn(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))


class TokenOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    created_at = ma.fields.AwareDateTime()
    last_used_at = ma.fields.AwareDateTime(allow_none=True)
    token = ma.fields.String(metadata={"description": "The token itself, shown only once, at creation"})
