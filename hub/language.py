"""Which of HubMatch's languages a text is written in, by its script."""

from __future__ import annotations

import re

LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)


def text_language(text: str) -> str:
    """``en``, ``ru`` or ``kk`` by script: Latin is read as English, Cyrillic with Kazakh-only
    letters as Kazakh, other Cyrillic as Russian."""
    letters = len(LETTER.findall(text))
    cyrillic = len(CYRILLIC.findall(text))
    if not letters or cyrillic < letters / 2:
        return "en"
    kazakh = len(KAZAKH_LETTERS.findall(text))
    return "kk" if kazakh >= max(2, cyrillic // 100) else "ru"
