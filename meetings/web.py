"""What every page shares: template helpers and security headers."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, current_app, jsonify, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from meetings.errors import envelope


def bound_the_body() -> None:
    """A body that is not a file upload (JSON, a form) is small: refused with 413 past MAX_BODY_KB
    while it is read, before anything parses it, so no single request can make the server build a
    million of anything. Uploads (multipart) keep MAX_CONTENT_LENGTH."""
    if request.mimetype != "multipart/form-data":
        request.max_content_length = current_app.config["MAX_BODY_KB"] << 10


def refuse_nul() -> Response | None:
    """Text with a NUL character is refused with 422: PostgreSQL stores none, and no person types one."""
    # a small form is read here; a multipart upload is not: it is parsed only once the view has
    # checked who sends it (its few text fields are left to the view's schema)
    small_form = request.mimetype == "application/x-www-form-urlencoded"
    values = [*request.args.values(), *(request.form.values() if small_form else ())]
    nul = any("\x00" in value for value in values)
    if not nul and request.is_json:
        data = request.get_data(cache=True)
        nul = b"\x00" in data or b"\\u0000" in data
    if not nul:
        return None
    response = jsonify(envelope(422, "invalid", _l("Text must not contain the NUL character.")))
    response.status_code = 422
    return response


def content_disposition(kind: str, name: str) -> str:
    """A Content-Disposition header for a file named name (RFC 6266): an ASCII fallback for old
    clients, and the exact UTF-8 name (Vietnamese titles keep their diacritics) as filename*."""
    fallback = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    fallback = "".join(c for c in fallback if c.isascii() and (c.isalnum() or c in " ._-()")).strip() or "file"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def init_app(app: Flask) -> None:
    app.before_request(bound_the_body)
    app.before_request(refuse_nul)

    @app.context_processor
    def page_helpers() -> dict[str, Any]:
        return {"csrf_token": generate_csrf, "current_locale": str(get_locale()),
                "languages": app.config["LANGUAGES"]}

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # The API's browsable page is Swagger UI's own, with an inline script: it keeps its default policy.
        if response.mimetype == "text/html" and not request.path.startswith("/api/"):
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; connect-src 'self' ws: wss:; frame-ancestors 'none'",
            )
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
