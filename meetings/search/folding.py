"""Folding text for search: the same letters whatever the case, the tone marks or the input method.

Vietnamese carries tone and vowel marks on almost every syllable, and people type them sparingly
("hop" for "họp") or in either Unicode form (precomposed "ệ", or "e" and two combining marks).
fold() maps each character of NFC text to exactly one character, so an offset in the folded text is
the same offset in the original: matches found in the folded text point straight at the original
words for snippets and highlights. Pure functions, no Flask."""

from __future__ import annotations

import re
import unicodedata

#: letters with a stroke, which Unicode does not decompose into a base letter and a mark
STROKED = {"đ": "d", "Đ": "d", "Ð": "d", "ð": "d"}
#: what a character that cannot be part of a word folds to: FTS5 and PostgreSQL then both see
#: words separated by spaces only, and split the text the same way
SEPARATOR = " "
WORD = re.compile(r"\w+")


class _FoldTable(dict[int, str]):
    """str.translate() table filled on first sight of each character."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint))
        self[codepoint] = folded
        return folded


def _fold_char(char: str) -> str:
    if char in STROKED:
        return STROKED[char]
    base = unicodedata.normalize("NFD", char)[0]
    if unicodedata.category(base).startswith("M"):
        return SEPARATOR  # a mark NFC could not attach to a letter
    lower = base.lower()
    if len(lower) != 1:  # e.g. "İ": keep one character for one
        lower = base
    if not lower.isalnum():
        return SEPARATOR  # punctuation, symbols, spaces, the underscore
    return lower


_TABLE = _FoldTable()


def normalize(text: str) -> str:
    """The stored form of text: NFC, and no NUL (which PostgreSQL's text type refuses)."""
    return unicodedata.normalize("NFC", text).replace("\x00", " ")


def fold(text: str) -> str:
    """Lower case, tone and vowel marks removed, đ as d, anything but letters and digits a space.

    One character for one: len(fold(s)) == len(s). Give it NFC text (see normalize()); a
    combining mark that NFC could not attach to its letter becomes a space."""
    return text.translate(_TABLE)


def terms(query: str) -> list[str]:
    """The folded words of a query, in order: what the user means to find, whatever they typed."""
    return WORD.findall(fold(normalize(query)))
