"""The reader's language for the current run: a context variable, so each Streamlit session (its
own thread) and each CLI call reads text in its own language without passing it everywhere."""

from __future__ import annotations

from contextvars import ContextVar

LANGUAGES = ("en", "ru", "kk")  # English, Russian, Kazakh: the interface languages
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("hub_language", default=DEFAULT)


def use(language: str | None) -> str:
    """Read text in ``language`` from now on in this run (anything unknown: English)."""
    chosen = language if language in LANGUAGES else DEFAULT
    _current.set(chosen)
    return chosen


def current() -> str:
    return _current.get()
