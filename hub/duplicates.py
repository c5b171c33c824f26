"""Is this listing one already on file? Entity signals beside text similarity.

Two independently written profiles of one company share little wording (cosine about 0.6-0.7
with the bundled encoder), while the demo's edited resubmissions reach 0.92 and more. So text
alone cannot tell them apart from two companies in one line of business. What independent
profiles do share is the entity: the organisation's name once its legal form, case and
punctuation are folded ("ТОО «Kaspi»" = "Kaspi LLP"), the website's domain, and the contact's
email or phone. Each is a signal; the rule below says which signals, with how much text
similarity, make a probable duplicate. Its thresholds are calibrated on real pairs
(``data/eval/duplicate_eval.json``, ``python -m hub evaluate``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from urllib.parse import urlsplit

import phonenumbers

from hub.catalogues import N_, tr, translated

# Legal forms and company-kind words, in the languages of the region (lower case, no dots):
# English, Russian, Kazakh, Kyrgyz and Uzbek abbreviations and their spelled-out forms.
LEGAL_FORMS = frozenset(
    [
        "llp",
        "llc",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "jsc",
        "pjsc",
        "ojsc",
        "cjsc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "srl",
        "bv",
        "nv",
        "lp",
        "pte",
        "pty",
        "group",
        "holding",
        "holdings",
        "joint",
        "stock",
        "liability",
        "partnership",
        "тоо",
        "ооо",
        "ао",
        "пао",
        "оао",
        "зао",
        "ип",
        "чп",
        "тов",
        "жшс",
        "ақ",
        "ак",
        "кгп",
        "гкп",
        "ргп",
        "гу",
        "осоо",
        "мчж",
        "хк",
        "ок",
        "товарищество",
        "ограниченной",
        "ответственностью",
        "общество",
        "акционерное",
        "публичное",
        "mchj",
        "xk",
        "aj",
    ]
)
# Words that join a spelled-out legal form ("общество с ограниченной ответственностью").
JOINERS = frozenset({"с", "и", "of", "the", "and"})

# Hosts that many organisations share: their first path segment names the entity
# (instagram.com/kaspi.kz), the host alone names nobody.
SHARED_HOSTS = frozenset(
    [
        "facebook.com",
        "fb.com",
        "instagram.com",
        "linkedin.com",
        "t.me",
        "telegram.me",
        "vk.com",
        "ok.ru",
        "youtube.com",
        "twitter.com",
        "x.com",
        "github.com",
        "gitlab.com",
        "medium.com",
        "linktr.ee",
        "taplink.cc",
        "notion.site",
        "tilda.ws",
        "wixsite.com",
        "sites.google.com",
        "play.google.com",
        "apps.apple.com",
        "tiktok.com",
    ]
)
# Second-level labels under which a registry sells names (kaspi.com.kz is "kaspi.com.kz").
SECOND_LEVEL = frozenset({"com", "org", "net", "gov", "edu", "co", "ac", "biz", "info", "or"})

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "iu",
            "ia",
            "a",
            "g",
            "k",
            "n",
            "o",
            "u",
            "u",
            "h",
            "i",
        ],
        strict=True,
    )
)
_NON_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")


def _latin(word: str) -> str:
    return "".join(_CYRILLIC.get(ch, ch) for ch in word).replace("_", "")


@lru_cache(maxsize=65_536)  # an import repeats its owners' names row after row
def entity_key(name: str | None) -> str | None:
    """An organisation or product name folded for comparison: case, accents, quotes,
    punctuation and legal forms dropped, Cyrillic spelt in Latin letters. ``None`` when
    nothing distinctive is left (a name that is only a legal form, or under 2 letters)."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"\.(kz|com|ru|uz|kg|io|ai|app|net|org)\b", " ", text)  # "Kaspi.kz" is Kaspi
    words = [w for w in _NON_WORD.split(text.replace("_", " ")) if w]
    kept = [w for w in words if w not in LEGAL_FORMS and w not in JOINERS]
    key = " ".join(_latin(w) for w in kept)
    return key if len(key.replace(" ", "")) >= 2 else None


@lru_cache(maxsize=65_536)
def website_key(url: str | None) -> str | None:
    """The part of a website address that names its owner: the registrable domain
    (``https://www.kaspi.kz/shop`` -> ``kaspi.kz``), or host and first path segment on a
    shared host (``instagram.com/kaspi.kz``). ``None`` for an empty or unreadable address."""
    if not url or not url.strip():
        return None
    text = url.strip()
    if "//" not in text:
        text = f"//{text}"
    try:
        parts = urlsplit(text.casefold())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return None
    if "." not in host:
        return None
    host = host.removeprefix("www.").removeprefix("m.")
    if host in SHARED_HOSTS or any(host.endswith(f".{shared}") for shared in SHARED_HOSTS):
        segment = parts.path.strip("/").split("/")[0].lstrip("@")
        return f"{host}/{segment}" if segment else None
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def normal_website(url: str) -> str:
    """A website as it is stored: with its scheme (``kaspi.kz`` -> ``https://kaspi.kz``).
    Raises ``ValueError`` saying what is wrong when it is not a web address."""
    text = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or website_key(text) is None or " " in text:
        raise ValueError(
            tr("'{url}' is not a web address: write it as example.kz or https://example.kz", url=url)
        )
    return text


def normal_phone(phone: str, country: str | None) -> str:
    """A phone number in international form (+77172000000), read as dialled in ``country``
    when it has no country code. Raises ``ValueError`` when it is not a possible number."""
    try:
        number = phonenumbers.parse(phone, (country or "KZ").upper())
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise ValueError(
            tr(
                "'{phone}' is not a phone number: write it with the country code, e.g. +7 717 200 00 00",
                phone=phone,
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- the rule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """What says who a listing is: its name, organisation, website, contact and place."""

    name: str | None  # entity_key of the title (a startup's title is its company or product name)
    organisation: str | None  # entity_key of the owner organisation
    website: str | None  # website_key
    email: str | None = None  # lower-cased; only where contacts may be compared (curation)
    phone: str | None = None  # E.164
    region: str | None = None


def identity(title: str, organisation: str | None, website: str | None, **contact: str | None) -> Identity:
    """The ``Identity`` of a listing from its raw fields (``email``, ``phone``, ``region``)."""
    email = contact.get("email")
    return Identity(
        name=entity_key(title),
        organisation=entity_key(organisation),
        website=website_key(website),
        email=email.strip().lower() if email else None,
        phone=contact.get("phone") or None,
        region=contact.get("region") or None,
    )


def same_name(a: str | None, b: str | None) -> bool:
    """Two folded names of one entity: equal, or (both of 5+ letters, with the same numbers)
    a letter or so apart ("indriver" / "indrive"). Short names must match exactly, and
    "Phase 2" is never "Phase 3"."""
    if not a or not b:
        return False
    if a == b:
        return True
    if _DIGITS.findall(a) != _DIGITS.findall(b) or min(len(a), len(b)) < 5:
        return False
    return SequenceMatcher(None, a, b).ratio() >= FUZZY_NAME


FUZZY_NAME = 0.85


@dataclass(frozen=True)
class Signal:
    """One reason two listings look like the same one: ``kind`` and the shared ``value``."""

    kind: str  # website, name, organisation, email, phone, text
    value: str

    def __str__(self) -> str:
        """The signal in the reader's language."""
        said = {
            "website": N_("same website {value}"),
            "name": N_("same name '{value}'"),
            "organisation": N_("same organisation '{value}'"),
            "email": N_("same contact email {value}"),
            "phone": N_("same contact phone {value}"),
            "text": N_("text similarity {value}"),
        }[self.kind]
        return translated(said).format(value=self.value)


@dataclass(frozen=True)
class DuplicateRule:
    """When signals make a probable duplicate.

    - the same website: always (an organisation's own domain or page names it);
    - the same name (a title, or a title and the other's organisation: a startup's listing is
      named after the company), with text at least ``name_similarity`` alike, in the same
      region or where either does not say (two "School construction" listings in two regions
      are two schools);
    - the same organisation, email or phone under different names, with text at least
      ``entity_similarity`` alike: one organisation may list several different projects, and
      only their text tells a resubmission from a sibling;
    - text at least ``copy_similarity`` alike with the same region or any shared signal: an
      edited copy, as the demo's resubmissions are.
    """

    name_similarity: float = 0.3
    entity_similarity: float = 0.6
    copy_similarity: float = 0.92

    def signals(self, a: Identity, b: Identity, similarity: float) -> tuple[Signal, ...]:
        """Why ``a`` and ``b`` are probably one listing; empty when they are not."""
        shared: list[Signal] = []
        if a.website and a.website == b.website:
            shared.append(Signal("website", a.website))
        names = [(x, y) for x in (a.name, a.organisation) for y in (b.name, b.organisation)]
        title_pairs = names[:3]  # title-title, title-organisation, organisation-title
        named = next((x for x, y in title_pairs if same_name(x, y)), None)
        if named:
            shared.append(Signal("name", named))
        elif same_name(a.organisation, b.organisation):
            shared.append(Signal("organisation", str(a.organisation)))
        if a.email and a.email == b.email:
            shared.append(Signal("email", a.email))
        if a.phone and a.phone == b.phone:
            shared.append(Signal("phone", a.phone))
        kinds = {s.kind for s in shared}
        text = Signal("text", f"{similarity:.2f}")
        if (
            "website" in kinds
            or ("name" in kinds and similarity >= self.name_similarity and _same_place(a, b))
            or (kinds & {"organisation", "email", "phone"} and similarity >= self.entity_similarity)
            or (similarity >= self.copy_similarity and (shared or (a.region and a.region == b.region)))
        ):
            return (*shared, text)
        return ()


def _same_place(a: Identity, b: Identity) -> bool:
    return not a.region or not b.region or a.region == b.region


def describe(signals: tuple[Signal, ...]) -> str:
    """The signals as one line: "same website kaspi.kz; text similarity 0.67"."""
    return "; ".join(str(s) for s in signals)
