"""Passwords and API tokens are kept as hashes; the sign-in form follows only same-site next links."""

from __future__ import annotations

import pytest

from meetings.accounts.models import ApiToken, User
from meetings.accounts.views import safe_next


def test_a_password_is_stored_as_a_salted_hash():
    one, two = User(username="a"), User(username="b")

    one.set_password("Mật khẩu 2027")
    two.set_password("Mật khẩu 2027")

    assert "Mật khẩu 2027" not in one.password_hash
    assert one.password_hash != two.password_hash
    assert one.check_password("Mật khẩu 2027")
    assert not one.check_password("mật khẩu 2027")


def test_an_account_without_a_password_never_signs_in():
    assert not User(username="khong-mat-khau").check_password("")


def test_an_api_token_is_random_prefixed_and_stored_as_its_sha256():
    user = User(username="tich-hop")

    row, clear = ApiToken.issue(user, "Cổng dữ liệu")
    other, other_clear = ApiToken.issue(user, "Cổng dữ liệu")

    assert clear.startswith(ApiToken.PREFIX) and len(clear) > 40
    assert clear != other_clear and row.token_hash != other.token_hash
    assert row.token_hash == ApiToken.digest(clear) and clear not in row.token_hash


@pytest.fixture
def request_context(tmp_path):
    from meetings import create_app
    from tests.conftest import app_settings, dispose

    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'unused.db'}"))
    with app.test_request_context("/login"):
        yield
    dispose(app)


@pytest.mark.parametrize("target", ["/meetings/3", "/meetings/3?tab=agenda#item-2", "/"])
def test_a_same_site_path_is_followed(request_context, target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "evil.example/path",
        "meetings/3",
    ],
)
def test_anything_else_goes_home(request_context, target):
    assert safe_next(target) == "/"
