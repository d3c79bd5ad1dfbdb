"""Plain text as delegates write it: checked, never interpreted as markup, and @mentions found."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from meetings.errors import DomainError

MAX_BODY = 4000
MAX_SUMMARY = 20000
#: @username: the characters usernames are made of, not ending in a full stop ("@binh." names binh)
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.\-]{2,64})")


class DiscussionError(DomainError):
    """A comment or discussion action that cannot be applied."""


def clean_text(value: Any, name: str = "body", limit: int = MAX_BODY) -> str:
    """The text as given, trimmed, with control characters other than newlines and tabs removed.

    Markup is not removed or escaped here: it is text, and every client shows it as text."""
    if not isinstance(value, str):
        raise DiscussionError("invalid", f"{name} must be a string")
    text = "".join(c for c in value.replace("\r\n", "\n") if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    text = text.strip()
    if not text:
        raise DiscussionError("invalid", f"{name} must not be empty")
    if len(text) > limit:
        raise DiscussionError("invalid", f"{name} is longer than {limit} characters")
    return text


def mentioned_usernames(text: str) -> list[str]:
    """The usernames named with @ in text, in order, once each."""
    seen: dict[str, None] = {}
    for name in MENTION.findall(text):
        seen.setdefault(name.rstrip(".-").lower(), None)
    return list(seen)


def client_id_of(payload: dict[str, Any]) -> str:
    client_id = payload.get("client_id")
    if not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
        raise DiscussionError("invalid", "client_id must be a string of 8 to 64 characters")
    return client_id
