"""Showing user text safely: every title, summary, description, name, note and message that
can hold what someone typed goes through ``plain()`` before Streamlit renders it as markdown.

Streamlit renders markdown in ``st.markdown``, ``st.write`` of a string, titles, captions and the
message boxes. It never renders HTML unless asked (``unsafe_allow_html``, which HubMatch never
passes), but markdown alone lets a listing draw links, images fetched from a foreign server,
headings and coloured text. ``plain()`` backslash-escapes every character markdown (and
Streamlit's ``:color[...]``, ``:emoji:`` and ``$math$`` extensions) gives a meaning to, so the
text shows exactly as typed.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def plain(value: object) -> str:
    """``value`` as markdown that displays it literally (line breaks kept)."""
    text = "" if value is None else str(value)
    text = _SPECIAL.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.replace("\n", "  \n")
