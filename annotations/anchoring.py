"""Re-anchoring annotations onto a new version of a document.

Text-anchored annotations keep a quote (the marked text and a little context either side), taken
from the same PyMuPDF word extraction that serves the reader, so that creation and re-anchoring see
the same text. On a new version each is placed, in order of preference: where it was, if the text
there still matches; where the quote occurs exactly (the occurrence whose context matches best,
nearest the old page); where the quote nearly occurs (fuzzy, near the old page); otherwise it is
kept as an orphan, never dropped. Shapes not anchored to text stay on their page if it still exists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

#: a word of the text layer: [x0, y0, x1, y1, text]
Word = Sequence[Any]

FUZZY_THRESHOLD = 0.8
FUZZY_PAGES = 2


@dataclass(frozen=True)
class Placement:
    page: int
    rects: list[list[float]]
    how: str  # "position", "exact", "fuzzy"


def _norm(text: str) -> str:
    return " ".join(text.split())


def quote_from(words: Sequence[Word], first: int, last: int, context: int = 32) -> dict[str, str]:
    """The quote for words[first..last] of a page: exact text and up to context characters around."""
    before = _norm(" ".join(str(w[4]) for w in words[:first]))
    after = _norm(" ".join(str(w[4]) for w in words[last + 1:]))
    return {"exact": _norm(" ".join(str(w[4]) for w in words[first:last + 1])),
            "prefix": before[-context:], "suffix": after[:context]}


def rects_of(words: Sequence[Word]) -> list[list[float]]:
    """One rectangle per line of words (words whose vertical extents overlap), in reading order."""
    rects: list[list[float]] = []
    for w in words:
        x0, y0, x1, y1 = (float(v) for v in w[:4])
        last = rects[-1] if rects else None
        if last is not None and y0 < last[3] and y1 > last[1] and x0 >= last[0] - 1:
            last[0], last[1], last[2], last[3] = min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)
        else:
            rects.append([x0, y0, x1, y1])
    return [[round(v, 2) for v in r] for r in rects]


def _inside(word: Word, rects: Sequence[Sequence[float]]) -> bool:
    cx, cy = (float(word[0]) + float(word[2])) / 2, (float(word[1]) + float(word[3])) / 2
    return any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in rects)


class PageText:
    """A page's words joined into one string, remembering where each word starts."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = list(words)
        self.starts: list[int] = []
        parts, offset = [], 0
        for w in self.words:
            self.starts.append(offset)
            parts.append(str(w[4]))
            offset += len(str(w[4])) + 1
        self.text = " ".join(parts)

    def word_span(self, start: int, end: int) -> tuple[int, int]:
        """Indices of the first and last word touching text[start:end]."""
        first = max(i for i, s in enumerate(self.starts) if s <= start)
        last = max(i for i, s in enumerate(self.starts) if s < end)
        return first, last

    def occurrences(self, needle: str) -> list[int]:
        found, at = [], self.text.find(needle)
        while at != -1 and needle:
            found.append(at)
            at = self.text.find(needle, at + 1)
        return found


def _context_score(page: PageText, start: int, end: int, quote: dict[str, str]) -> float:
    prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
    before = page.text[max(0, start - len(prefix) - 1):start].strip()
    after = page.text[end:end + len(suffix) + 1].strip()
    score = 0.0
    if prefix:
        score += SequenceMatcher(None, before[-len(prefix):], prefix).ratio()
    if suffix:
        score += SequenceMatcher(None, after[:len(suffix)], suffix).ratio()
    return score


def reanchor_text(page: int, rects: Sequence[Sequence[float]], quote: dict[str, str],
                  pages: Sequence[Sequence[Word]]) -> Placement | None:
    """Place a text-anchored annotation (old page from 1, its rects, its quote) on a version whose
    pages' words are given; None when it cannot be placed (an orphan)."""
    exact = _norm(quote["exact"])
    texts = [PageText(words) for words in pages]
    # 1. where it was, if the text there is still the quote
    if 1 <= page <= len(texts):
        here = [w for w in texts[page - 1].words if _inside(w, rects)]
        if here and _norm(" ".join(str(w[4]) for w in here)) == exact:
            return Placement(page, rects_of(here), "position")
    # 2. the quote, exactly: best context, then nearest the old page
    candidates = []
    for number, text in enumerate(texts, start=1):
        for start in text.occurrences(exact):
            end = start + len(exact)
            candidates.append((-_context_score(text, start, end, quote), abs(number - page), number, start, end))
    if candidates:
        _, _, number, start, end = min(candidates)
        first, last = texts[number - 1].word_span(start, end)
        return Placement(number, rects_of(texts[number - 1].words[first:last + 1]), "exact")
    # 3. nearly the quote, on pages near the old one
    best: tuple[float, int, int, int] | None = None
    size = len(exact.split())
    for number in range(max(1, page - FUZZY_PAGES), min(len(texts), page + FUZZY_PAGES) + 1):
        words = [str(w[4]) for w in texts[number - 1].words]
        for length in {max(1, size - 1), size, size + 1}:
            for first in range(0, max(0, len(words) - length) + 1):
                ratio = SequenceMatcher(None, " ".join(words[first:first + length]), exact).ratio()
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[0]):
                    best = (ratio, number, first, first + length - 1)
    if best is not None:
        _, number, first, last = best
        return Placement(number, rects_of(texts[number - 1].words[first:last + 1]), "fuzzy")
    return None


def reanchor_shape(page: int, page_count: int) -> int | None:
    """Ink, notes and areas stay on their page if the new version still has it."""
    return page if page <= page_count else None
