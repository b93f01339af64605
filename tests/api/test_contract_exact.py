"""The OpenAPI document says what the server enforces: the pieces that make it exact."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from mutual import limits
from mutual.api import pagination
from mutual.api.schemas.types import EMAIL, SOME_TEXT, SPACES, Whole


def ecma(pattern: str) -> str:
    """The pattern as JSON Schema reads it: ``$`` is the very end, never before a newline."""
    return pattern.removesuffix("$") + r"\Z"


def test_the_text_pattern_knows_every_space_python_strips() -> None:
    spaces = re.compile(f"[{SPACES}]")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert bool(spaces.fullmatch(char)) == char.isspace(), hex(code)


@pytest.mark.parametrize(
    ("text", "valid"),
    [("a", True), (" \u3000x\n", True), (" \t\x1c\u2028", False), ("", False)],
)
def test_a_text_must_hold_more_than_spaces(text: str, valid: bool) -> None:
    assert bool(re.search(SOME_TEXT, text)) == valid
    assert bool(text.strip()) == valid


@given(st.from_regex(ecma(pagination.KEYSET_CURSOR), fullmatch=True))
def test_every_keyset_cursor_the_document_allows_is_taken(cursor: str) -> None:
    at, id_ = pagination._decode(cursor)
    micros, hex_id = cursor.split("-")
    assert pagination._encode(at, id_) == f"{int(micros)}-{hex_id}"


@given(st.from_regex(ecma(pagination.OFFSET_CURSOR), fullmatch=True))
def test_every_offset_cursor_the_document_allows_is_taken(cursor: str) -> None:
    assert pagination.offset_of(cursor) == int(cursor)


def test_a_cursor_round_trips() -> None:
    from datetime import UTC, datetime
    from uuid import uuid4

    at, id_ = datetime(2026, 12, 3, 16, 0, 0, 123456, tzinfo=UTC), uuid4()
    assert pagination._decode(pagination._encode(at, id_)) == (at, id_)


@pytest.mark.parametrize(("value", "taken"), [(3, 3), (3.0, 3), (-2.0, -2)])
def test_a_whole_number_may_be_written_with_a_zero_fraction(value: Any, taken: int) -> None:
    assert TypeAdapter(Whole).validate_python(value) == taken


@pytest.mark.parametrize("value", ["3", True, 3.5, float("nan"), None])
def test_anything_else_is_not_a_whole_number(value: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Whole).validate_python(value)


@pytest.mark.parametrize(
    "address",
    ["alice@example.org", "a.b+c@mail.example.co", "x@a-b.example", "o'neil@example.org"],
)
def test_an_address_the_pattern_takes_django_takes(address: str) -> None:
    from django.core.validators import validate_email

    assert re.fullmatch(EMAIL, address)
    validate_email(address)


@settings(deadline=None)
@given(st.from_regex(ecma(EMAIL), fullmatch=True).filter(lambda a: len(a) <= 254))
def test_every_address_the_pattern_takes_django_takes(address: str) -> None:
    from django.core.validators import validate_email

    validate_email(address)


def test_the_document_states_the_limits(openapi: dict[str, Any]) -> None:
    schemas = openapi["components"]["schemas"]
    assert schemas["RevelationIn"]["properties"]["body"]["maxLength"] == limits.ANSWER
    assert schemas["PromptIn"]["properties"]["text"]["maxLength"] == limits.QUESTION
    assert schemas["SignupIn"]["properties"]["password"]["minLength"] == 12
    assert schemas["RatingIn"]["properties"]["understood"]["type"] == "integer"
    assert schemas["ReportIn"]["then"]["required"] == ["revelation_id"]
