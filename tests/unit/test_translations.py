"""The message catalogs: Vietnamese translates every UI string, keeps its placeholders, and compiles.

A string wrapped in _(), _l() or ngettext() that has no Vietnamese translation fails here: run
`make translations`, then translate the new entries of meetings/translations/vi/LC_MESSAGES/messages.po."""

from __future__ import annotations

import gettext
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from meetings import config

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "meetings" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"

#: printf-style placeholders (%(name)s, %d, and the %% escape) and str.format-style ones ({name})
PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[^{}]*\}")


def catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def entries(cat: Catalog) -> list[Message]:
    return [m for m in cat if m.id]


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def forms(message: Message) -> list[str]:
    """The translation's forms (one for a plain message; nplurals for a plural one)."""
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def placeholders(text: str) -> Counter[str]:
    return Counter(m.group(0) for m in PERCENT.finditer(text)) + Counter(BRACES.findall(text))


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalog(TEMPLATE)


@pytest.fixture(scope="module")
def vietnamese() -> Catalog:
    return catalog(po_path("vi"), "vi")


def test_every_declared_language_has_a_catalog():
    for locale in config.DEFAULTS["LANGUAGES"]:
        assert po_path(locale).is_file(), f"no catalog for {locale}: pybabel init -l {locale}"


def test_the_template_holds_every_message_of_the_code(template):
    """The .pot is current: the messages extracted now, as `make translations` would, are all in it."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    extract = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    extra_keywords = re.findall(r"-k (\w+)", extract)  # the Makefile's: _l and lazy_gettext
    assert extra_keywords
    keywords = dict(DEFAULT_KEYWORDS) | dict.fromkeys(extra_keywords)
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)

    def only_meetings(path: str) -> bool:
        relative = Path(os.path.relpath(path, ROOT)).parts
        return (not relative or relative[0] == "meetings") and not any(
            part.startswith((".", "_")) for part in relative
        )

    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords, directory_filter=only_meetings
        )
    }
    assert found, "nothing extracted: check babel.cfg"
    missing = sorted(found - {key(m) for m in entries(template)})
    assert not missing, f"messages missing from messages.pot (run `make translations`): {missing}"


def test_vietnamese_translates_every_message_of_the_template(template, vietnamese):
    translated = {key(m): m for m in entries(vietnamese)}
    untranslated = []
    for message in entries(template):
        found = translated.get(key(message))
        if found is None or not all(form.strip() for form in forms(found)):
            untranslated.append(key(message))
    assert not untranslated, f"no Vietnamese for: {untranslated}"


def test_vietnamese_has_one_plural_form_and_nothing_fuzzy(vietnamese):
    assert vietnamese.num_plurals == 1
    assert not vietnamese.fuzzy
    fuzzy = [key(m) for m in entries(vietnamese) if m.fuzzy]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"
    for message in entries(vietnamese):
        if isinstance(message.id, tuple):
            assert len(forms(message)) == 1, key(message)


def test_translations_keep_the_placeholders(vietnamese):
    """Same %(name)x and {name} tokens, and as many %% escapes: templates format every message."""

    def tokens(text: str) -> tuple[set[str], int]:
        found = placeholders(text)
        return set(found), found["%%"]

    wrong = []
    for message in entries(vietnamese):
        originals = [message.id] if isinstance(message.id, str) else list(message.id)
        expected = tokens(originals[-1])  # the plural's, for the one Vietnamese form
        for form in forms(message):
            # a % that starts no placeholder would make the formatting raise
            stray = "%" in PERCENT.sub("", form)
            if tokens(form) != expected or stray:
                wrong.append((key(message), form))
    assert not wrong, f"placeholders changed: {wrong}"


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_catalog_compiles(locale):
    cat = catalog(po_path(locale), locale)
    problems = [(key(m), errors) for m, errors in cat.check()]
    assert not problems
    buffer = io.BytesIO()
    write_mo(buffer, cat)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    if locale == "vi":
        assert compiled.gettext("Sign in") == "Đăng nhập"
        assert compiled.ngettext("%(num)d page", "%(num)d pages", 5) == "%(num)d trang"
    else:
        assert compiled.gettext("Sign in") == "Sign in"
        assert compiled.ngettext("%(num)d page", "%(num)d pages", 5) == "%(num)d pages"
