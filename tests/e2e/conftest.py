"""End-to-end fixtures: the real server in a subprocess, started as `make demo` starts it, and a
headless Chromium driven by Playwright.

Without /usr/bin/chromium the tests skip, saying why; with CI=true they fail instead, so that a CI
machine missing its browser cannot pass by testing nothing."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.harness import ServerProcess, flask_cli, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: a 10-inch tablet held in landscape, touch screen, English UI (the tests read English labels)
TABLET: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, "has_touch": True, "locale": "en-US"}
STARTUP_SECONDS = 90


def unavailable(reason: str) -> None:
    """Skip, or fail when CI=true: a CI run must not pass by skipping its browser tests."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def _flask(*args: str, env: dict[str, str]) -> None:
    """Run a Flask CLI command of the app, as the Makefile's demo target does."""
    done = flask_cli(*args, env=env, timeout=STARTUP_SECONDS)
    if done.returncode != 0:
        pytest.fail(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium that Playwright drives."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (install Debian's chromium package)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(chromium: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by `python wsgi.py` on a free port, over a fresh DATA_DIR with the demo seeded."""
    data_dir = tmp_path_factory.mktemp("data")
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "PYTHONUNBUFFERED": "1",
        "LOGIN_RATE_LIMIT": "1000 per minute",
    }
    env.pop("DATABASE_URL", None)  # the server's own SQLite file under DATA_DIR
    _flask("db", "upgrade", env=env)
    _flask("seed-demo", "--if-empty", env=env)
    server = ServerProcess(env, data_dir / "server.log", port)
    try:
        try:
            server.wait_healthy(STARTUP_SECONDS)
        except RuntimeError as failed:
            pytest.fail(f"the server did not start: {failed}", pytrace=False)
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser(chromium: Path) -> Iterator[Any]:
    """One headless Chromium for the session; each test opens its own contexts (fresh cookies)."""
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def tablet(browser: Any) -> Iterator[Callable[[], Any]]:
    """tablet() opens a page in a fresh browser context (cookies of its own) the size of a
    10-inch tablet held in landscape; every context is closed after the test."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(**TABLET)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
