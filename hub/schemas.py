"""Validation of everything users type or import, with a message per field.

Every write goes through ``validate_project`` or ``validate_investor``. They accept the raw
shapes a form or a CSV row gives (strings, ``;``-separated lists, ``true``/``false``) and
either return a clean input object or raise ``InvalidInput`` listing every field that is
wrong, each with a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from hub import catalogues, lang
from hub.catalogues import N_, tr, translated
from hub.duplicates import normal_phone, normal_website
from hub.language import text_language
from hub.reference import Reference
from hub.vocab import AifcLink, Instrument, InvestorType, Language, Stage, Status, slugs

# Anything above this, in US dollars, is a typo rather than a project (the largest
# single projects in the region are a few tens of billions).
MAX_AMOUNT_USD = Decimal(50_000_000_000)
NEEDS_AIFC_REFERENCE = (AifcLink.AIFC_REGISTERED, AifcLink.AIX_LISTED, AifcLink.OTHER)
SUMMARY_MAX = 300
TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
THESIS_MAX = 5_000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(ValueError):
    """Input that cannot be saved; ``errors`` names every field that is wrong."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


def _fail(message: str, **values: Any) -> PydanticCustomError:
    """A validation error; ``message`` is a sentence template (its own msgid, see
    ``hub.catalogues.translated``), said in the reader's language."""
    return PydanticCustomError("hub", translated(message), values)


# --- parsing of raw cells --------------------------------------------------------------------


def _blank_to_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):  # an empty cell read by pandas
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


def _as_list(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple, set)):
        return [part.strip() if isinstance(part, str) else part for part in value]
    return [value]


def _as_lower_list(value: Any) -> Any:
    return [v.lower() if isinstance(v, str) else v for v in _as_list(value)]


def _as_bool(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None or isinstance(value, bool):
        return False if value is None else value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise _fail("'{value}' is not a yes/no value: write true or false", value=value)


THOUSANDS_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")  # 2,500,000 or 2,500,000.50
DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")  # 2500000,50 (Russian and Kazakh writing)
MAX_AMOUNT_DIGITS = 15  # before the decimal point: far above any real ask, well inside Decimal's range


def _as_amount(value: Any) -> Any:
    value = _blank_to_none(value)
    if value is None or isinstance(value, Decimal):
        return value
    text = str(value).replace(" ", "").replace("\u00a0", "")
    if THOUSANDS_COMMAS.match(text):
        text = text.replace(",", "")
    elif DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    elif "," in text:
        raise _fail("'{value}' mixes separators: write 2500000.50, 2,500,000.50 or 2 500 000,50", value=value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _fail(
            "'{value}' is not an amount: write digits only, e.g. 2500000 or 2500000.50", value=value
        ) from None
    if not amount.is_finite():
        raise _fail("'{value}' is not an amount: write a finite number", value=value)
    if amount.adjusted() >= MAX_AMOUNT_DIGITS:
        raise _fail("'{value}' is too large to be an amount: check the number of zeros", value=value)
    if amount != amount.quantize(Decimal("0.01")):
        raise _fail("'{value}' has more than two decimal places: round it to cents", value=value)
    return amount


def parse_amount(text: str) -> Decimal | None:
    """An amount as people type it (``2 500 000,50``, ``2,500,000.50``), or None when blank.

    Raises ``ValueError`` saying what is wrong: the same rules as every amount field."""
    try:
        return _as_amount(text)
    except PydanticCustomError as error:
        raise ValueError(str(error)) from None


def _as_slug(value: Any) -> Any:
    value = _blank_to_none(value)
    return value.lower() if isinstance(value, str) else value


def _as_upper(value: Any) -> Any:
    value = _blank_to_none(value)
    return value.upper() if isinstance(value, str) else value


# Control characters other than tab and newline: invisible, they break spreadsheets (openpyxl
# refuses them), PostgreSQL (NUL) and anyone searching the text. Line breaks are unified to "\n".
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: Any) -> Any:
    value = _blank_to_none(value)
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    found = CONTROL.search(value)
    if found:
        code = format(ord(found.group()), "04X")
        raise _fail(
            "contains an invisible control character (U+{code}) at position {at}: remove it "
            "(text copied from a PDF, a web page or another program often carries them)",
            code=code,
            at=found.start() + 1,
        )
    return value


Text = Annotated[str, BeforeValidator(_clean_text)]
OptText = Annotated[str | None, BeforeValidator(_clean_text)]
Slug = Annotated[str, BeforeValidator(_as_slug)]
OptSlug = Annotated[str | None, BeforeValidator(_as_slug)]
Upper = Annotated[str, BeforeValidator(_as_upper)]
OptUpper = Annotated[str | None, BeforeValidator(_as_upper)]
SlugList = Annotated[list[str], BeforeValidator(_as_lower_list)]
CodeList = Annotated[list[str], BeforeValidator(lambda v: [str(x).upper() for x in _as_list(v)])]
IntList = Annotated[list[int], BeforeValidator(_as_list)]
Amount = Annotated[Decimal, BeforeValidator(_as_amount)]
OptAmount = Annotated[Decimal | None, BeforeValidator(_as_amount)]
Flag = Annotated[bool, BeforeValidator(_as_bool)]
OptFloat = Annotated[float | None, BeforeValidator(_blank_to_none)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]


# --- shared checks -------------------------------------------------------------------------------


def _reference(info: ValidationInfo) -> Reference:
    if not info.context or "reference" not in info.context:
        raise RuntimeError("validate through validate_project/validate_investor (reference needed)")
    return info.context["reference"]


def _one_of(value: str, allowed: list[str], what: str) -> str:
    if value not in allowed:
        raise _fail(
            "'{value}' is not a known {what}: use one of {allowed}",
            value=value,
            what=translated(what),
            allowed=", ".join(allowed),
        )
    return value


def _all_of(values: list[str], allowed: list[str], what: str) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise _fail(
            "{unknown}: not a known {what}; use {allowed}",
            unknown=", ".join(f"'{u}'" for u in unknown),
            what=translated(what),
            allowed=", ".join(allowed),
        )
    return list(dict.fromkeys(values))


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise _fail(
            "'{value}' is not a valid email address ({reason})", value=value, reason=str(error)
        ) from None


def _check_currency(value: str, info: ValidationInfo) -> str:
    known = _reference(info).fx.currencies
    if value not in known:
        raise _fail(
            "'{value}' is not a supported currency: use one of {allowed}",
            value=value,
            allowed=", ".join(known),
        )
    return value


def _usd_ceiling(field: str, amount: Decimal | None, currency: str, reference: Reference) -> list[FieldError]:
    if amount is None:
        return []
    usd = reference.fx.to_usd(amount, currency)
    if usd <= MAX_AMOUNT_USD:
        return []
    return [
        FieldError(
            field,
            tr(
                "{amount} {currency} (about USD {usd}) is implausibly large: check for extra zeros or a "
                "wrong currency",
                amount=f"{amount:,.2f}",
                currency=currency,
                usd=f"{usd:,.0f}",
            ),
        )
    ]


class _Input(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", frozen=True)


# --- project passport ------------------------------------------------------------------------------


UNKNOWN = "unknown"  # what a listing writes for a fact it does not know (see ``UNKNOWABLE``)
UNKNOWABLE = ("stage", "instruments", "funding_ask")  # the facts that may be declared unknown
TITLE_MIN = 2  # real company names are short: "Qoly", "3D"
SUMMARY_MIN = 20
DESCRIPTION_MIN = 80
OWNER_MIN = 2


class ProjectIn(_Input):
    """A project passport as an owner submits it or a CSV row carries it.

    Only the title is needed to store a draft; ``missing_for_submission`` lists what a passport
    still needs before it may be submitted or published. Stage, instruments and funding ask
    may be declared ``unknown`` (listed in ``unknown``, their own field left empty)."""

    external_id: OptText = Field(default=None, max_length=64)
    title: Text = Field(min_length=TITLE_MIN, max_length=TITLE_MAX)
    summary: OptText = Field(default=None, max_length=SUMMARY_MAX)
    description: OptText = Field(default=None, max_length=DESCRIPTION_MAX)
    owner_name: OptText = Field(default=None, max_length=200)
    owner_email: OptText = None
    owner_phone: OptText = Field(default=None, max_length=40)
    country: OptUpper = None
    region: OptUpper = None
    city: OptText = Field(default=None, max_length=120)
    sectors: SlugList = Field(default_factory=list, max_length=3)
    sdgs: IntList = Field(default_factory=list, max_length=17)
    stage: OptSlug = None
    instruments: SlugList = Field(default_factory=list)
    funding_ask: OptAmount = Field(default=None, gt=0)
    total_cost: OptAmount = Field(default=None, gt=0)
    currency: OptUpper = None
    unknown: SlugList = Field(default_factory=list)
    aifc_link: Slug = AifcLink.NONE.value
    aifc_reference: OptText = Field(default=None, max_length=200)
    language: OptSlug = None
    status: Slug = Status.DRAFT.value
    expected_irr_pct: OptFloat = Field(default=None, ge=-100, le=200)
    payback_years: OptFloat = Field(default=None, gt=0, le=60)
    jobs_created: OptInt = Field(default=None, ge=0, le=1_000_000)
    green_certification: OptText = Field(default=None, max_length=120)
    website: OptText = Field(default=None, max_length=200)
    founded_year: OptInt = Field(default=None, ge=1800, le=2100)
    team_size: OptInt = Field(default=None, ge=0, le=1_000_000)
    past_investors: OptText = Field(default=None, max_length=500)

    @model_validator(mode="before")
    @classmethod
    def _unknowns(cls, data: Any) -> Any:
        """A cell reading ``unknown`` declares that fact unknown (and leaves the field empty)."""
        if not isinstance(data, Mapping):
            return data
        declared = [u.lower() for u in _as_list(data.get("unknown")) if isinstance(u, str)]
        values = dict(data)
        for name in UNKNOWABLE:
            cell = _as_list(values.get(name)) if name == "instruments" else [_blank_to_none(values.get(name))]
            if any(isinstance(c, str) and c.lower() == UNKNOWN for c in cell):
                if len(cell) > 1:
                    continue  # "equity;unknown": the instrument check names the stray word
                values[name] = None
                declared.append(name)
        values["unknown"] = sorted(set(declared))
        return values

    @field_validator("unknown")
    @classmethod
    def _unknown(cls, value: list[str]) -> list[str]:
        return _all_of(value, list(UNKNOWABLE), N_("field that may be unknown"))

    @field_validator("owner_email")
    @classmethod
    def _owner_email(cls, value: str | None) -> str | None:
        return None if value is None else _email(value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _check_currency(value, info)

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str | None) -> str | None:
        return None if value is None else _one_of(value, [*slugs(Stage), UNKNOWN], N_("stage"))

    @field_validator("instruments")
    @classmethod
    def _instruments(cls, value: list[str]) -> list[str]:
        return _all_of(value, slugs(Instrument), N_("instrument"))

    @field_validator("aifc_link")
    @classmethod
    def _aifc_link(cls, value: str) -> str:
        return _one_of(value, slugs(AifcLink), N_("AIFC link"))

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return None if value is None else _one_of(value, slugs(Language), N_("language"))

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _one_of(value, slugs(Status), N_("status"))

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None, info: ValidationInfo) -> str | None:
        return (
            None if value is None else _one_of(value, sorted(_reference(info).countries), N_("country code"))
        )

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value not in _reference(info).regions:
            raise _fail(
                "'{value}' is not a known region code: use an ISO 3166-2 code such as KZ-71 "
                "(Astana), UZ-TK (Tashkent) or KG-GB (Bishkek)",
                value=value,
            )
        return value

    @field_validator("sectors")
    @classmethod
    def _sectors(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _all_of(value, sorted(_reference(info).sectors), N_("sector slug"))

    @field_validator("sdgs")
    @classmethod
    def _sdgs(cls, value: list[int]) -> list[int]:
        wrong = [v for v in value if not 1 <= v <= 17]
        if wrong:
            raise _fail("SDG numbers run from 1 to 17; remove {wrong}", wrong=", ".join(map(str, wrong)))
        return sorted(set(value))

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normal_website(value)
        except ValueError as error:
            raise _fail("{reason}", reason=str(error)) from None

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


# --- investor profile ------------------------------------------------------------------------------


class InvestorIn(_Input):
    """An investor profile. ``regions`` may list country codes, meaning the whole country."""

    external_id: OptText = Field(default=None, max_length=64)
    name: Text = Field(min_length=2, max_length=200)
    investor_type: Slug
    thesis: Text = Field(min_length=40, max_length=THESIS_MAX)
    sectors: SlugList = Field(min_length=1)
    excluded_sectors: SlugList = Field(default_factory=list)
    regions: CodeList = Field(min_length=1)
    stages: SlugList = Field(min_length=1)
    instruments: SlugList = Field(min_length=1)
    ticket_min: Amount = Field(gt=0)
    ticket_max: Amount = Field(gt=0)
    currency: Upper
    esg_mandate: Flag = False
    aifc_participant: Flag = False
    contact_email: Text
    language: SlugList = Field(min_length=1)
    active: Flag = True

    @field_validator("contact_email")
    @classmethod
    def _contact_email(cls, value: str) -> str:
        return _email(value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str, info: ValidationInfo) -> str:
        return _check_currency(value, info)

    @field_validator("investor_type")
    @classmethod
    def _type(cls, value: str) -> str:
        return _one_of(value, slugs(InvestorType), N_("investor type"))

    @field_validator("stages")
    @classmethod
    def _stages(cls, value: list[str]) -> list[str]:
        return _all_of(value, slugs(Stage), N_("stage"))

    @field_validator("instruments")
    @classmethod
    def _instruments(cls, value: list[str]) -> list[str]:
        return _all_of(value, slugs(Instrument), N_("instrument"))

    @field_validator("language")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return _all_of(value, slugs(Language), N_("language"))

    @field_validator("sectors", "excluded_sectors")
    @classmethod
    def _sectors(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _all_of(value, sorted(_reference(info).sectors), N_("sector slug"))

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: list[str], info: ValidationInfo) -> list[str]:
        reference = _reference(info)
        unknown = [v for v in value if v not in reference.regions and v not in reference.countries]
        if unknown:
            raise _fail(
                "{unknown}: not a known region or country; use ISO 3166-2 region codes such as KZ-71 or "
                "country codes ({countries}) for a whole country",
                unknown=", ".join(f"'{u}'" for u in unknown),
                countries=", ".join(sorted(reference.countries)),
            )
        return list(dict.fromkeys(value))

    @property
    def region_codes(self) -> list[str]:
        return [code for code in self.regions if "-" in code]

    @property
    def country_codes(self) -> list[str]:
        return [code for code in self.regions if "-" not in code]


# --- messages ------------------------------------------------------------------------------------

_LABELS = {
    "external_id": "External id",
    "owner_name": "Owner organisation",
    "owner_email": "Owner email",
    "owner_phone": "Owner phone",
    "founded_year": "Founding year",
    "past_investors": "Past investors",
    "funding_ask": "Funding ask",
    "total_cost": "Total cost",
    "aifc_link": "AIFC link",
    "aifc_reference": "AIFC reference",
    "sdgs": "SDGs",
    "expected_irr_pct": "Expected return (% a year)",
    "payback_years": "Payback (years)",
    "jobs_created": "Jobs created",
    "investor_type": "Investor type",
    "ticket_min": "Minimum ticket",
    "ticket_max": "Maximum ticket",
    "esg_mandate": "ESG mandate",
    "aifc_participant": "AIFC participant",
    "contact_email": "Contact email",
    "excluded_sectors": "Excluded sectors",
}


def field_name(field: str) -> str:
    """A field's name in the reader's language (the interface's ``field.*`` texts)."""
    return catalogues.load(lang.current()).get(f"field.{field}") or label(field)


def label(field: str) -> str:
    """The human name of an input field."""
    return _LABELS.get(field, field.replace("_", " ").capitalize())


def _message(error: Mapping[str, Any]) -> str:
    """Turn one pydantic error into a sentence saying what is wrong and how to fix it."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "hub":
        return str(error["msg"])
    if kind == "missing" or (kind in {"string_type", "decimal_type", "int_type"} and given is None):
        return tr("is required: fill it in")
    if kind == "string_too_short":
        return tr(
            "is too short ({length} characters): write at least {least}",
            length=len(given or ""),
            least=ctx["min_length"],
        )
    if kind == "string_too_long":
        return tr(
            "is {length} characters long: shorten it to at most {most}",
            length=len(given),
            most=ctx["max_length"],
        )
    if kind == "too_short":
        return tr("is empty: give at least one value (separate several with ';')")
    if kind == "too_long":
        return tr("has too many values: give at most {most}", most=ctx["max_length"])
    if kind == "greater_than":
        return tr("must be above {bound}; '{given}' is not", bound=ctx.get("gt"), given=given)
    if kind == "greater_than_equal":
        return tr("must be at least {bound}; '{given}' is not", bound=ctx.get("ge"), given=given)
    if kind in {"less_than", "less_than_equal"}:
        return tr(
            "must be at most {bound}; '{given}' is too large", bound=ctx.get("lt", ctx.get("le")), given=given
        )
    if kind in {"int_parsing", "int_from_float"}:
        return tr("'{given}' is not a whole number: write digits only, e.g. 25", given=given)
    if kind == "float_parsing":
        return tr("'{given}' is not a number: write e.g. 12.5", given=given)
    return tr("'{given}' is not valid here ({reason})", given=given, reason=error["msg"])


def _errors_from(error: ValidationError) -> list[FieldError]:
    found: list[FieldError] = []
    for item in error.errors():
        loc = item["loc"]
        field = str(loc[0]) if loc else "record"
        found.append(FieldError(field, _message(item)))
    return found


def _project_checks(project: ProjectIn, reference: Reference) -> list[FieldError]:
    """Rules that span several fields of a project passport (on whatever it gives)."""
    problems: list[FieldError] = []
    if project.region and project.country:
        region = reference.regions[project.region]
        if region.country != project.country:
            problems.append(
                FieldError(
                    "region",
                    tr(
                        "{region} ({name}) lies in {country}, not {given}: correct the country or the region",
                        region=project.region,
                        name=region.name(),
                        country=region.country,
                        given=project.country,
                    ),
                )
            )
    amounts = [name for name in ("funding_ask", "total_cost") if getattr(project, name) is not None]
    if amounts and project.currency is None:
        problems.append(
            FieldError(
                "currency",
                tr(
                    "is required with the {amounts}: write its ISO code, e.g. KZT or USD",
                    amounts=" + ".join(field_name(a).lower() for a in amounts),
                ),
            )
        )
    elif project.currency:
        problems += _usd_ceiling("funding_ask", project.funding_ask, project.currency, reference)
        problems += _usd_ceiling("total_cost", project.total_cost, project.currency, reference)
    ask, total = project.funding_ask, project.total_cost
    if total is not None and ask is not None and total < ask:
        problems.append(
            FieldError(
                "total_cost",
                tr(
                    "is {total}, below the funding ask of {ask}: the ask is the part of the total cost you "
                    "raise, so raise the total cost or lower the ask",
                    total=f"{total:,.2f}",
                    ask=f"{ask:,.2f}",
                ),
            )
        )
    both = sorted(set(project.unknown) & {n for n in UNKNOWABLE if getattr(project, n)})
    if both:
        problems.append(FieldError(both[0], tr("is both given and declared unknown: keep one")))
    return problems


def _fill_in(project: ProjectIn, reference: Reference) -> ProjectIn:
    """What a passport leaves out but can be told from the rest: its language from its text,
    a currency for a passport without amounts, its phone in international form."""
    update: dict[str, Any] = {}
    if project.language is None:
        update["language"] = text_language(
            " ".join(filter(None, (project.title, project.summary, project.description)))
        )
    if project.currency is None and project.funding_ask is None and project.total_cost is None:
        country = reference.countries.get(project.country or "")
        update["currency"] = country.currency if country else "USD"
    if project.owner_phone:
        try:
            update["owner_phone"] = normal_phone(project.owner_phone, project.country)
        except ValueError as error:
            raise InvalidInput([FieldError("owner_phone", str(error))]) from None
    return project.model_copy(update=update) if update else project


def _passport_fields(project: Any) -> dict[str, Any]:
    """The fields submission checks, from a ``ProjectIn`` or a stored ``models.Project``."""
    if isinstance(project, ProjectIn):
        return dict(project)
    confidential = project.confidential
    return {
        **{name: getattr(project, name) for name in ("title", "summary", "description", "owner_name")},
        **{name: getattr(project, name) for name in ("sectors", "stage", "instruments", "funding_ask")},
        **{name: getattr(project, name) for name in ("unknown", "aifc_link", "aifc_reference")},
        "owner_email": confidential.contact_email if confidential else None,
        "country": project.country_code,
        "region": project.region_code,
    }


def missing_for_submission(project: ProjectIn | Any) -> list[FieldError]:
    """What a passport (a ``ProjectIn`` or a stored project) still needs before it may be
    submitted or published, each with how to fix it. Empty when it is complete."""
    given = _passport_fields(project)
    needs: list[FieldError] = []
    for name, least in (("title", TITLE_MIN), ("summary", SUMMARY_MIN), ("description", DESCRIPTION_MIN)):
        length = len((given[name] or "").strip())
        if length < least:
            needs.append(
                FieldError(
                    name,
                    tr(
                        "is too short ({length} characters): write at least {least}",
                        length=length,
                        least=least,
                    ),
                )
                if length
                else FieldError(name, tr("is required: write at least {least} characters", least=least))
            )
    if len((given["owner_name"] or "").strip()) < OWNER_MIN:
        needs.append(FieldError("owner_name", tr("is required: name the organisation behind the project")))
    for name in ("owner_email", "country", "region"):
        if not given[name]:
            needs.append(FieldError(name, tr("is required: fill it in")))
    if not given["sectors"]:
        needs.append(
            FieldError("sectors", tr("is empty: name at least one sector (separate several with ';')"))
        )
    unknown = set(given["unknown"] or ())
    for name in UNKNOWABLE:
        if not given[name] and name not in unknown:
            needs.append(
                FieldError(name, tr("is required: give it, or write unknown if the listing does not say"))
            )
    if given["aifc_link"] in NEEDS_AIFC_REFERENCE and not given["aifc_reference"]:
        needs.append(
            FieldError(
                "aifc_reference",
                tr(
                    "is required for the AIFC link '{link}': give the registration number, AIX ticker or "
                    "supporting AIFC body so staff can verify it",
                    link=given["aifc_link"],
                ),
            )
        )
    return needs


def _investor_checks(investor: InvestorIn, reference: Reference) -> list[FieldError]:
    """Rules that span several fields of an investor profile."""
    problems: list[FieldError] = []
    if investor.ticket_min > investor.ticket_max:
        problems.append(
            FieldError(
                "ticket_min",
                tr(
                    "{low} is above the maximum ticket of {high}: swap them or correct one",
                    low=f"{investor.ticket_min:,.2f}",
                    high=f"{investor.ticket_max:,.2f}",
                ),
            )
        )
    problems += _usd_ceiling("ticket_max", investor.ticket_max, investor.currency, reference)
    both = sorted(set(investor.sectors) & set(investor.excluded_sectors))
    if both:
        problems.append(
            FieldError(
                "excluded_sectors",
                tr(
                    "{sectors} is both a target and an excluded sector: keep it in only one list",
                    sectors=", ".join(both),
                ),
            )
        )
    return problems


def _validate(model: type[_Input], data: Mapping[str, Any], reference: Reference) -> Any:
    # an empty cell of a field with a default means "not given": the default applies (a blank
    # "active" keeps an investor active); a blank required field gets that field's own message
    fields = model.model_fields
    given = {
        name: value
        for name, value in data.items()
        if _blank_to_none(value) is not None or (name in fields and fields[name].is_required())
    }
    try:
        return model.model_validate(given, context={"reference": reference})
    except ValidationError as error:
        raise InvalidInput(_errors_from(error)) from None


def validate_project(data: Mapping[str, Any], reference: Reference) -> ProjectIn:
    """Check a project passport; raise ``InvalidInput`` naming every wrong field.

    A draft (status ``draft``) may be incomplete: only wrong values are errors, and
    ``missing_for_submission`` says what it still needs. Any other status must be complete."""
    project = _fill_in(_validate(ProjectIn, data, reference), reference)
    problems = _project_checks(project, reference)
    if not project.is_draft:
        problems += missing_for_submission(project)
    if problems:
        raise InvalidInput(problems)
    return project


def validate_investor(data: Mapping[str, Any], reference: Reference) -> InvestorIn:
    """Check an investor profile; raise ``InvalidInput`` naming every wrong field."""
    investor = _validate(InvestorIn, data, reference)
    problems = _investor_checks(investor, reference)
    if problems:
        raise InvalidInput(problems)
    return investor
