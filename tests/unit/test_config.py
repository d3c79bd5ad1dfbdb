"""Configuration from the environment: the generated secret key, and the defaults."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from meetings import config


@pytest.fixture(autouse=True)
def no_secret_key_in_the_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)


def test_a_secret_key_is_generated_once_and_kept_under_data_dir(tmp_path):
    first = config.secret_key(tmp_path)

    second = config.secret_key(tmp_path)

    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_the_secret_key_file_is_readable_by_its_owner_only(tmp_path):
    config.secret_key(tmp_path)

    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)

    assert mode & 0o077 == 0


def test_each_data_dir_gets_its_own_secret_key(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()

    assert config.secret_key(one) != config.secret_key(two)


def test_a_secret_key_from_the_environment_wins_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "khóa-bí-mật-từ-môi-trường")

    assert config.secret_key(tmp_path) == "khóa-bí-mật-từ-môi-trường"
    assert not (tmp_path / "secret_key").exists()


def test_two_apps_on_one_data_dir_share_the_generated_key(tmp_path, monkeypatch):
    from meetings import create_app

    for name in (
        "DATABASE_URL",
        "SOCKETIO_MESSAGE_QUEUE",
        "PUBLIC_BASE_URL",
        "MAX_UPLOAD_MB",
        "MAX_PDF_PAGES",
        "MAX_PAGE_SIDE_PT",
        "LOGIN_RATE_LIMIT",
        "RATELIMIT_STORAGE_URI",
        "SESSION_COOKIE_SECURE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")

    first, second = create_app(), create_app()

    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    assert first.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{Path(tmp_path) / 'meetings.db'}"
    for app in (first, second):
        from tests.conftest import dispose

        dispose(app)


def test_the_request_limit_leaves_room_for_the_multipart_envelope(tmp_path):
    from meetings import create_app
    from tests.conftest import app_settings, dispose

    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'x.db'}", MAX_UPLOAD_MB=3))

    assert app.config["MAX_CONTENT_LENGTH"] > 3 << 20
    dispose(app)


def test_render_budgets_proxies_and_channel_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RENDER_WORKERS", "3")
    monkeypatch.setenv("RENDER_TIMEOUT_S", "7.5")
    monkeypatch.setenv("RENDER_MAX_PIXELS", "1000000")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    monkeypatch.setenv("SOCKETIO_CHANNEL", "hdnd-hong-ha")
    settings = config.from_environment()
    render = (settings["RENDER_WORKERS"], settings["RENDER_TIMEOUT_S"], settings["RENDER_MAX_PIXELS"])
    assert render == (3, 7.5, 1000000)
    assert settings["TRUSTED_PROXIES"] == 1 and settings["SOCKETIO_CHANNEL"] == "hdnd-hong-ha"
