"""Every string the UI shows goes through ``t``; English now, Russian and Kazakh later."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "HubMatch",
        "app.tagline": "Investment and innovation hub for Astana, Central Asia "
        "and the Russian border regions",
        "app.disclaimer": "HubMatch is a listing and introduction service. It does not take money, "
        "make offers or promise returns.",
        "nav.public": "Explore",
        "nav.home": "Home",
        "start.loading": "First start: loading the demo data set…",
        "start.progress": "Loading demo data: {done} of {total} rows",
        "start.done": "Demo data loaded: {summary}",
        "home.intro": "HubMatch brings investors and project proposals from Kazakhstan, Uzbekistan, "
        "Kyrgyzstan, Tajikistan, Turkmenistan and the Russian regions bordering Kazakhstan together, "
        "and makes the AIFC-linked opportunities visible.",
        "home.published": "Published projects",
        "home.investors": "Active investors",
        "home.sought": "Capital sought (USD)",
        "home.capacity": "Ticket capacity (USD)",
        "home.regions": "Regions with projects",
        "home.by_country": "Projects per country",
        "home.by_sector": "Projects per sector",
        "home.fx_note": "Amounts converted to US dollars at the FX table of {day}.",
        "chart.projects": "Projects",
    }
}


def t(key: str, language: str = "en", **values: object) -> str:
    """The UI text for ``key`` in ``language`` (falling back to English), with ``values`` filled in."""
    catalogue = MESSAGES.get(language, MESSAGES["en"])
    text = catalogue.get(key) or MESSAGES["en"].get(key) or key
    return text.format(**values) if values else text
