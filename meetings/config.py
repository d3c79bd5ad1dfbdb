"""Configuration from environment variables, with safe defaults for the embedded demo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def secret_key(data_dir: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept under DATA_DIR."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = data_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    # O_EXCL: when two processes start at once, one writes and both read the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def from_environment() -> dict[str, Any]:
    """Build the app's configuration from the process environment."""
    data_dir = Path(os.environ.get("DATA_DIR", "instance")).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    host = os.environ.get("HOST", "127.0.0.1")
    port = _int("PORT", 5000)
    return {
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": secret_key(data_dir),
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'meetings.db'}",
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or f"http://{host}:{port}",
        # Uploads: the request limit is a little above the file limit so that the multipart
        # envelope of a file at the limit still fits and the file gets the precise error.
        "MAX_UPLOAD_MB": _int("MAX_UPLOAD_MB", 100),
        "MAX_PDF_PAGES": _int("MAX_PDF_PAGES", 2000),
        # ISO 216 A0 is 2384 pt; PDF's own bound for a page side is 14400 pt (200 inches).
        "MAX_PAGE_SIDE_PT": _int("MAX_PAGE_SIDE_PT", 14400),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"},
        # render worker processes per server process (default: up to 4, one per core), and each
        # page's budgets: seconds, and pixels of the rendered image
        "RENDER_WORKERS": _int("RENDER_WORKERS", 0) or None,
        "RENDER_TIMEOUT_S": float(os.environ.get("RENDER_TIMEOUT_S") or 20),
        "RENDER_MAX_PIXELS": _int("RENDER_MAX_PIXELS", 2400 * 3400 * 2),
        # how many proxies in front add X-Forwarded-For/-Proto (nginx: 1); 0 trusts none
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        # Redis channel of the Socket.IO message queue: distinct per installation sharing one Redis
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL") or "paperless-meetings",
    }


DEFAULTS: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_CHECK_DEFAULT": False,  # checked in meetings.accounts.csrf, which knows about bearer tokens
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "vi",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
    "LANGUAGES": ["vi", "en"],
    "API_TITLE": "Paperless Meetings API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    # 429 answers say when to try again (Retry-After), and every answer how much is left
    "RATELIMIT_HEADERS_ENABLED": True,
    # every body that is not a file upload (JSON, forms) stops here: read before any parsing
    "MAX_BODY_KB": 512,
}
