"""Property-based: whatever a form or a file holds, validation and the file reader either
accept it or say what is wrong; they never raise anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.filereading import ImportFileError, read_records
from hub.reference import Reference
from hub.schemas import InvalidInput, validate_investor, validate_project
from tests.unit.test_validation import GOOD_INVESTOR, GOOD_PROJECT

cell = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.text(max_size=10), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(GOOD_PROJECT)), cell, max_size=8))
def test_any_project_fields_are_accepted_or_refused_with_field_messages(
    reference: Reference, change: dict
) -> None:
    try:
        validate_project({**GOOD_PROJECT, **change}, reference)
    except InvalidInput as invalid:
        assert invalid.errors and all(e.field and e.message for e in invalid.errors)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(GOOD_INVESTOR)), cell, max_size=8))
def test_any_investor_fields_are_accepted_or_refused_with_field_messages(
    reference: Reference, change: dict
) -> None:
    try:
        validate_investor({**GOOD_INVESTOR, **change}, reference)
    except InvalidInput as invalid:
        assert invalid.errors and all(e.field and e.message for e in invalid.errors)


@SETTINGS
@given(st.binary(max_size=2_000), st.sampled_from([".csv", ".json", ".xlsx"]))
def test_any_file_content_is_read_or_refused_with_a_reason(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        try:
            records = read_records(path)
        except ImportFileError as error:
            assert str(error)
        else:
            assert all(isinstance(line, int) and isinstance(record, dict) for line, record in records)


@SETTINGS
@given(st.text(max_size=400))
def test_any_csv_text_is_read_or_refused_with_a_reason(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.csv"
        path.write_text("external_id,title,summary\n" + text, encoding="utf-8")
        try:
            read_records(path)
        except ImportFileError as error:
            assert str(error)
