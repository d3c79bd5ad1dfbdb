"""What every page shares: template helpers and security headers."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf


def bound_the_body() -> None:
    """A body that is not a file upload (JSON, a form) is small: refused with 413 past MAX_BODY_KB
    while it is read, before anything parses it, so no single request can make the server build a
    million of anything. Uploads (multipart) keep MAX_CONTENT_LENGTH."""
    if request.mimetype != "multipart/form-data":
        request.max_content_length = current_app.config["MAX_BODY_KB"] << 10


def init_app(app: Flask) -> None:
    app.before_request(bound_the_body)

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
