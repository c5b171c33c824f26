"""The translation catalogues: gettext ``.po`` files read and written with Babel.

English is the source: ``hub.i18n.MESSAGES["en"]`` maps each key (``nav.home``) to its text.
``python -m hub i18n update`` writes the template ``hub/locale/hub.pot`` (msgid = key, the
English text as the comment translators see) and merges new keys into
``hub/locale/<language>/LC_MESSAGES/hub.po`` for Russian and Kazakh, which translators edit with
any gettext tool (Poedit, Weblate, Lokalise). At run time the ``.po`` files are read directly: an
empty or fuzzy entry falls back to English.
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from hub import lang
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


def update(english: dict[str, str], languages: tuple[str, ...] = LANGUAGES[1:]) -> dict[str, int]:
    """Write the template and merge it into each translation (new keys empty, gone keys dropped);
    returns how many keys each language still lacks. ``english``: see ``source``."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    pot = template(english)
    with template_path().open("wb") as out:
        write_po(out, pot, width=100)
    missing = {}
    for language in languages:
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


def translated(template: str, language: str | None = None) -> str:
    """A sentence template the domain says, in ``language`` (default: the reader's): gettext
    style, the English template is its own msgid; untranslated, it stays English."""
    language = language or lang.current()
    return (load(language).get(template) if language != "en" else None) or template


def tr(template: str, /, **values: object) -> str:
    """``translated`` with its ``{placeholders}`` filled in."""
    text = translated(template)
    return text.format(**values) if values else text


def N_(message: str) -> str:
    """Mark a word for translation where it is defined; it is translated where it is shown."""
    return message


# the functions whose first argument is a msgid, for Babel's extractor
KEYWORDS = {"tr": None, "_fail": None, "translated": None, "N_": None}


def source(keyed: dict[str, str]) -> dict[str, str]:
    """Everything to translate, msgid -> English: the interface's keyed texts and the domain's
    sentence templates."""
    return {**sentences(), **keyed}


def sentences() -> dict[str, str]:
    """The domain's sentence templates found in the code (Babel's Python extractor), msgid ->
    English: with ``hub.i18n.MESSAGES["en"]`` they make the catalogue template."""
    from babel.messages.extract import extract_from_dir

    found = extract_from_dir(
        str(Path(__file__).parent), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    )
    # the extractor remarks on every f-string passed as a value (not as the template): quiet
    with contextlib.redirect_stderr(io.StringIO()):
        return {message: message for _, _, message, _, _ in found if isinstance(message, str) and message}
