"""Three interface languages: complete catalogues, the reader's language, and numbers, money and
dates formatted per locale by Babel."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_decimal

from hub import catalogues, lang
from hub.i18n import MESSAGES, Text, day, money, number, t
from hub.reference import Reference

ENGLISH = MESSAGES["en"]


def test_every_interface_text_has_a_russian_translation() -> None:
    russian = catalogues.load("ru", fresh=True)
    missing = sorted(key for key in ENGLISH if not russian.get(key))
    assert not missing, (
        f"{len(missing)} texts lack Russian (python -m hub i18n --update, then translate): {missing[:20]}"
    )


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_translations_keep_every_placeholder_of_the_english(language: str) -> None:
    translated = catalogues.load(language, fresh=True)
    wrong = {
        key: (catalogues.placeholders(ENGLISH[key]), catalogues.placeholders(text))
        for key, text in translated.items()
        if key in ENGLISH and catalogues.placeholders(ENGLISH[key]) != catalogues.placeholders(text)
    }
    assert not wrong


def test_kazakh_covers_the_navigation_forms_cards_queue_and_errors() -> None:
    kazakh = catalogues.load("kk", fresh=True)
    required = ("nav.", "field.", "submit.", "card.", "matches.", "explain.", "constraint.", "queue.", "workflow.",
                "permission.", "account.")  # fmt: skip
    missing = sorted(k for k in ENGLISH if k.startswith(required) and not kazakh.get(k))
    share = catalogues.coverage("kk", ENGLISH)
    print(f"Kazakh covers {share:.1%} of {len(ENGLISH)} interface texts")  # the figure, with -s
    assert not missing, f"{len(missing)} required Kazakh texts missing: {missing[:20]}"


def test_a_text_missing_in_a_language_falls_back_to_english() -> None:
    assert t("no.such.key", "kk") == "no.such.key"
    assert t("app.title", "kk") == "HubMatch"


def test_the_readers_language_follows_the_run(reference: Reference) -> None:
    try:
        lang.use("ru")
        assert t("nav.home") == catalogues.load("ru")["nav.home"]
        assert reference.countries["KZ"].name() == reference.countries["KZ"].name_ru
        assert Text("matches.passing", {"passing": 3}).render("en").startswith("3 published")
    finally:
        lang.use("en")
    assert lang.use("xx") == "en"  # anything unknown reads as English


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_money_numbers_and_dates_are_formatted_by_babel_for_the_locale(language: str) -> None:
    assert money(12_500_000, "USD", language) == format_compact_currency(
        12_500_000, "USD", locale=language, fraction_digits=1
    )
    assert money(500_000_000, "KZT", language).replace("\u00a0", " ") == format_compact_currency(
        500_000_000, "KZT", locale=language, fraction_digits=1
    ).replace("KZT5", "KZT 5").replace("\u00a0", " ")
    assert number(1_250_000, language) == format_decimal(1_250_000, locale=language)
    assert day(date(2026, 11, 30), language) == format_date(
        date(2026, 11, 30), format="medium", locale=language
    )


def test_the_examples_people_here_expect() -> None:
    assert money(12_500_000, "USD", "ru").replace("\u00a0", " ") == "12,5 млн $"
    assert money(500_000_000, "KZT", "kk").replace("\u00a0", " ") == "500 млн ₸"
    assert number(1_250_000, "ru").replace("\u00a0", " ") == "1 250 000"
    assert format_date(date(2026, 11, 30), "d MMMM y", locale="kk") == "30 қараша 2026"
    assert money(500_000_000, "KZT", "en").replace("\u00a0", " ") == "KZT 500M"  # not "KZT500M"


def test_validation_and_criteria_are_said_in_the_readers_language(reference: Reference) -> None:
    from hub.passport import eligibility
    from hub.schemas import InvalidInput, validate_project
    from tests.unit.test_validation import GOOD_PROJECT

    russian = catalogues.load("ru", fresh=True)
    template = "is too short ({length} characters): write at least {least}"
    try:
        lang.use("ru")
        with pytest.raises(InvalidInput) as caught:
            validate_project({**GOOD_PROJECT, "summary": "Short"}, reference)
        (error,) = caught.value.errors
        assert (
            error.message
            == russian[template].format(length=5, least=20)
            != template.format(length=5, least=20)
        )
        valid = validate_project(GOOD_PROJECT, reference)
        sentences = [criterion.message for criterion in eligibility(valid, reference)]
        assert russian["a priority sector is named"] in sentences
    finally:
        lang.use("en")


def test_a_file_that_cannot_be_imported_is_explained_in_the_readers_language(tmp_path) -> None:
    from hub.filereading import ImportFileError, read_records

    (tmp_path / "rows.txt").write_text("a,b\n1,2\n", encoding="utf-8")
    russian = catalogues.load("ru", fresh=True)
    try:
        lang.use("kk")
        with pytest.raises(ImportFileError) as caught:
            read_records(tmp_path / "rows.txt")
    finally:
        lang.use("en")
    template = "{file}: unsupported file type '{suffix}'; use {formats}"
    kazakh = catalogues.load("kk")[template]
    assert str(caught.value) == kazakh.format(file="rows.txt", suffix=".txt", formats=".csv, .xlsx, .json")
    assert russian[template] != kazakh != template


def test_no_text_uses_a_placeholder_named_like_a_parameter_of_t() -> None:
    # t(key, language, **values): a "{language}" value would be taken for the reader's language
    assert not [key for key, text in catalogues.source(ENGLISH).items() if "{language}" in text]
    assert t("card.original_language", "ru", name="English").endswith("English.")
