"""The translation catalogues: gettext ``.po`` files read and written with Babel.

English is the source: ``hub.i18n.MESSAGES["en"]`` maps each key (``nav.home``) to its text.
``python -m hub i18n update`` writes the template ``hub/locale/hub.pot`` (msgid = key, the
English text as the comment translators see) and merges new keys into
``hub/locale/<language>/LC_MESSAGES/hub.po`` for Russian and Kazakh, which translators edit with
any gettext tool (Poedit, Weblate, Lokalise). At run time the ``.po`` files are read directly: an
empty or fuzzy entry falls back to English.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from hub.lang import LANGUAGES

FOLDER = Path(__file__).parent / "locale"
DOMAIN = "hub"
PLACEHOLDER = re.compile(r"\{(\w+)")


def template_path() -> Path:
    return FOLDER / f"{DOMAIN}.pot"


def catalogue_path(language: str) -> Path:
    return FOLDER / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template(english: dict[str, str]) -> Catalog:
    catalog = Catalog(project="HubMatch", domain=DOMAIN, fuzzy=False)
    for key, text in sorted(english.items()):
        catalog.add(key, "", auto_comments=[line for line in text.splitlines() or [""]])
    return catalog


def update(english: dict[str, str]) -> dict[str, int]:
    """Write the template and merge it into each translation (new keys empty, gone keys dropped);
    returns how many keys each language still lacks."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    pot = template(english)
    with template_path().open("wb") as out:
        write_po(out, pot, width=100)
    missing = {}
    for language in LANGUAGES[1:]:
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as source:
                catalog = read_po(source, locale=language)
            catalog.update(pot, no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language, project="HubMatch", domain=DOMAIN, fuzzy=False)
            for message in pot:
                if message.id:
                    catalog.add(message.id, "", auto_comments=message.auto_comments)
        with path.open("wb") as out:
            write_po(out, catalog, width=100, omit_header=False)
        missing[language] = len([k for k in english if not load(language, fresh=True).get(k)])
    return missing


def load(language: str, *, fresh: bool = False) -> dict[str, str]:
    """Key -> translated text for ``language`` (empty and fuzzy entries left out)."""
    if fresh:
        _load.cache_clear()
    return _load(language)


@cache
def _load(language: str) -> dict[str, str]:
    path = catalogue_path(language)
    if not path.exists():
        return {}
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    kept = (m for m in catalog if m.id and isinstance(m.string, str) and m.string and not m.fuzzy)
    return {m.id: m.string for m in kept}


def coverage(language: str, english: dict[str, str]) -> float:
    """Share of the English keys translated into ``language``."""
    translated = load(language)
    return sum(bool(translated.get(key)) for key in english) / len(english)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))
