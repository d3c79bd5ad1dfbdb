"""Snippets: a short stretch of a page's original text around the first match, and where the
matched words are in it. Plain text and offsets, never HTML: the client marks the words up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: characters of original text shown around a match
WIDTH = 80


@dataclass(frozen=True)
class Snippet:
    text: str
    #: [start, end) of each matched word or phrase, as offsets into text
    highlights: list[tuple[int, int]] = field(default_factory=list)
    #: whether the page's text goes on before or after the snippet (the client may show "…")
    more_before: bool = False
    more_after: bool = False


def _term(term: str, prefix: bool) -> str:
    return re.escape(term) + (r"\w*" if prefix else "")


def patterns(terms: list[str], prefix: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regular expressions over folded text: the terms as a phrase, and any one term alone.

    prefix: the last term may be the start of a longer word ("ngan sa" for "ngân sách")."""
    last = len(terms) - 1
    parts = [_term(t, prefix and i == last) for i, t in enumerate(terms)]
    phrase = re.compile(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)")
    alone = sorted(set(parts), key=len, reverse=True)
    any_term = re.compile(r"(?<!\w)(?:" + "|".join(alone) + r")(?!\w)")
    return phrase, any_term


def holds_phrase(folded: str, terms: list[str], prefix: bool) -> bool:
    """Whether folded text holds the terms as a phrase (the last perhaps as a word's start)."""
    return patterns(terms, prefix)[0].search(folded) is not None


def make_snippet(text: str, folded: str, terms: list[str], prefix: bool, width: int = WIDTH) -> Snippet:
    """The stretch of text (about width characters) around the first occurrence of the terms as a
    phrase, or else of any one of them, with every occurrence in it highlighted.

    folded is fold(text): the same length, so offsets found in it are offsets in text."""
    phrase, any_term = patterns(terms, prefix)
    first = phrase.search(folded) or any_term.search(folded)
    if first is None:  # the database matched what we cannot place: show the page's start
        end = _word_end(folded, min(len(text), width), len(text))
        return Snippet(text[:end].strip(), [], False, end < len(text.rstrip()))
    start, end = _window(folded, first.start(), first.end(), width)
    spans: list[tuple[int, int]] = []
    for pattern in (phrase, any_term):
        for match in pattern.finditer(folded, start, end):
            if not any(s < match.end() and match.start() < e for s, e in spans):
                spans.append((match.start(), match.end()))
    # drop the spaces at either end, keeping the offsets right
    while start < end and not text[start].strip():
        start += 1
    while end > start and not text[end - 1].strip():
        end -= 1
    return Snippet(
        text[start:end],
        sorted((s - start, e - start) for s, e in spans),
        bool(text[:start].strip()),
        bool(text[end:].strip()),
    )


def _window(folded: str, first: int, last: int, width: int) -> tuple[int, int]:
    """About width characters around [first, last), a third of the context before, cut between words."""
    room = max(0, width - (last - first))
    start = max(0, first - room // 3)
    end = min(len(folded), start + max(width, last - start))
    start = max(0, min(start, end - width))  # near the end of the page: show more before
    start = min(_word_start(folded, start), first)
    end = max(_word_end(folded, end, len(folded)), last)
    return start, end


def _word_start(folded: str, at: int) -> int:
    """at, moved forward to the start of a word if it falls inside one."""
    while 0 < at < len(folded) and folded[at - 1].isalnum() and folded[at].isalnum():
        at += 1
    return at


def _word_end(folded: str, at: int, limit: int) -> int:
    """at, moved back to the end of a word if it falls inside one."""
    while 0 < at < limit and folded[at - 1].isalnum() and folded[at].isalnum():
        at -= 1
    return at
