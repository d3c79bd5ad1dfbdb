"""The test client the suite uses, and how it reads the API's answers."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage, Headers
from werkzeug.test import TestResponse, encode_multipart

from tests.factories import PASSWORD

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
LOGIN = "/api/v1/auth/login"


class ApiClient(FlaskClient):
    """Signs in through the JSON login API and, like the web app's scripts, sends the CSRF token it
    got there as X-CSRFToken on every unsafe call (unless told csrf=False)."""

    csrf_token: str | None = None

    def open(self, *args: Any, csrf: bool = True, **kwargs: Any) -> TestResponse:
        method = str(kwargs.get("method", "GET")).upper()
        if csrf and self.csrf_token and method not in SAFE_METHODS:
            headers = Headers(kwargs.get("headers") or {})
            headers.setdefault("X-CSRFToken", self.csrf_token)
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, user: Any, password: str = PASSWORD) -> dict[str, Any]:
        """Sign in as user (a User or a username); keep the CSRF token; return the answer."""
        username = user if isinstance(user, str) else user.username
        response = self.post(LOGIN, json={"username": username, "password": password})
        assert response.status_code == 200, response.get_data(as_text=True)
        body: dict[str, Any] = response.get_json()
        self.csrf_token = body["csrf_token"]
        return body


def error_of(response: TestResponse, status: int) -> dict[str, Any]:
    """Assert that response is the API's error envelope with status; return its error object."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert isinstance(error.get("code"), str) and error["code"], body
    assert isinstance(error.get("message"), str) and error["message"], body
    return error


def json_of(response: TestResponse, status: int) -> Any:
    """Assert the status of a successful answer; return its JSON."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    return response.get_json()


def multipart(**fields: Any) -> dict[str, Any]:
    """Request arguments for a multipart body encoded in memory.

    The test client spools a large body to a temporary file it never closes (a ResourceWarning, which
    the suite treats as an error); values are strings or (bytes, filename) pairs."""
    values = {
        k: FileStorage(io.BytesIO(v[0]), filename=v[1], content_type="application/octet-stream")
        if isinstance(v, tuple)
        else v
        for k, v in fields.items()
    }
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
