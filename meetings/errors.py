"""One error envelope for the API, friendly pages for browsers; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

import marshmallow as ma
from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

#: the machine-readable code for each HTTP status, and its default message for humans
STATUS_CODES: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Please sign in.")),
    403: ("forbidden", _l("You are not allowed to do this.")),
    404: ("not_found", _l("Not found.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    409: ("conflict", _l("This conflicts with the current state.")),
    413: ("too_large", _l("The upload is larger than allowed.")),
    415: ("unsupported_media_type", _l("This type of content is not accepted.")),
    422: ("invalid", _l("Some fields are invalid.")),
    429: ("rate_limited", _l("Too many attempts; please wait a moment and try again.")),
    500: ("internal_error", _l("Something went wrong on our side. It has been logged.")),
}


#: the HTTP status of each refusal code a service raises: the edge maps, services never speak HTTP
STATUS_OF_CODE: dict[str, int] = {
    "invalid": 422,
    "invalid_csv": 422,
    "invalid_order": 422,
    "invalid_username": 422,
    "empty_csv": 422,
    "not_participant": 422,
    "empty_dossier": 409,
    "file_too_large": 413,
    "not_pdf": 415,
    "empty_file": 422,
    "truncated_pdf": 422,
    "corrupt_pdf": 422,
    "encrypted_pdf": 422,
    "no_pages": 422,
    "unreadable_pdf": 422,
    "too_many_pages": 422,
    "page_size_out_of_bounds": 422,
    "published": 409,
    "forbidden": 403,
    "not_in_group": 403,
    "not_found": 404,
    "already_open": 409,
    "conflict": 409,
    "discussion_closed": 409,
    "gone": 409,
    "hidden": 409,
    "locked": 409,
    "meeting_closed": 409,
    "stale_revision": 409,
    "rate_limited": 429,
}


class DomainError(Exception):
    """What a service refuses, in the domain's words: code is machine-readable, message for a developer
    (the edge may put a translated one in its place). HTTP answers map code through STATUS_OF_CODE;
    the live layer answers with an error ack."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    @property
    def status(self) -> int:
        return STATUS_OF_CODE.get(self.code, 400)


class ApiError(HTTPException):
    """An error a service or a view raises on purpose, with its own code and message."""

    def __init__(self, status: int, code: str, message: Any, **extra: Any) -> None:
        super().__init__(description=str(message))
        self.code = status
        self.error_code = code
        self.message = message
        self.extra = extra


class ErrorDetail(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(metadata={"description": "Per-field problems, for validation errors"})


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorDetail, required=True)


def envelope(status: int, code: str | None = None, message: Any = None, **extra: Any) -> dict[str, Any]:
    default_code, default_message = STATUS_CODES.get(status, ("error", _l("Error.")))
    body: dict[str, Any] = {"code": code or default_code, "message": str(message or default_message)}
    body.update({k: v for k, v in extra.items() if v is not None})
    return {"error": body}


def wants_json() -> bool:
    """API paths always get JSON; elsewhere, whatever the client prefers."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" or (request.is_json and best != "text/html")


def error_response(error: HTTPException) -> Response | tuple[Any, int]:
    status = error.code or 500
    if isinstance(error, ApiError):
        body = envelope(status, error.error_code, error.message, **error.extra)
    else:
        data = getattr(error, "data", None) or {}
        fields = data.get("messages")  # webargs validation problems, per location and field
        if fields and len(fields) == 1:
            fields = next(iter(fields.values()))
        fields = _capped(fields)
        body = envelope(status, fields=fields)
    if wants_json():
        response = jsonify(body)
        response.status_code = status
    else:
        response = Response(
            render_template("errors/error.html", status=status, message=body["error"]["message"]),
            status=status,
        )
    for key, value in (error.get_response().headers.items() if status == 405 or status == 429 else []):
        if key.lower() in {"allow", "retry-after"}:
            response.headers[key] = value
    return response


#: how many problems an error answer lists, at each level: enough to fix a form, never a flood
MAX_LISTED = 20


def _capped(problems: Any, depth: int = 0) -> Any:
    """Validation problems, at most MAX_LISTED per level and four levels deep."""
    if depth > 3:
        return "…"
    if isinstance(problems, dict):
        items = list(problems.items())
        capped = {str(k): _capped(v, depth + 1) for k, v in items[:MAX_LISTED]}
        if len(items) > MAX_LISTED:
            capped["…"] = f"{len(items) - MAX_LISTED} more"
        return capped
    if isinstance(problems, list):
        return [_capped(v, depth + 1) for v in problems[:MAX_LISTED]]
    return problems


def schema_name(schema: Any) -> str:
    """OpenAPI component names that tell variants apart (a partial MeetingIn is MeetingInPatch)."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    if not isinstance(schema, type):
        if schema.partial:
            name += "Patch"
        if schema.exclude:
            name += "Without" + "".join(f.title().replace("_", "") for f in sorted(schema.exclude))
        if schema.only:
            name += "Only" + "".join(f.title().replace("_", "") for f in sorted(schema.only))
    return name


class PaperlessApi(Api):
    """flask-smorest's Api, answering errors with the project's envelope."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Any:
        return error_response(error)


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def refused(error: DomainError) -> Any:
        """A service's refusal, answered with the status its code maps to."""
        return error_response(ApiError(error.status, error.code, error.message, **error.extra))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return error_response(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        # A failed flush leaves the session unusable, and the answer's language looks at the user's row.
        from meetings.db import db

        db.session.rollback()
        return error_response(InternalServerError())
