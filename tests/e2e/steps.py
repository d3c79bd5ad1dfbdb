"""What a person does in every browser test, written once."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def log_in(page: Page, base: str, username: str = "delegate01") -> None:
    """Sign in through the login page, as a person would (every demo account's password is demo)."""
    page.goto(f"{base}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("demo")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{base}/")
