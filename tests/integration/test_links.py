"""``{% path %}`` and ``mutual.web.links.path_to`` give exactly the address Django's
``reverse`` gives, for every kind of argument, under any script prefix; what ``reverse``
refuses, they refuse."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from mutual.web.links import path_to

IDS = [uuid.UUID(int=0), uuid.uuid4(), uuid.UUID("00000000-0000-4000-8000-000000000000")]


@pytest.mark.parametrize("name", ["bonds:bond", "bonds:numbers", "bonds:exchange"])
@pytest.mark.parametrize("pk", IDS)
def test_an_address_with_a_uuid_is_the_one_reverse_gives(name: str, pk: uuid.UUID) -> None:
    assert path_to(name, pk) == reverse(name, args=[pk])


def test_addresses_without_arguments_with_text_and_under_a_prefix() -> None:
    assert path_to("bonds:list") == reverse("bonds:list") == "/bonds/"
    assert path_to("bonds:join_code", "abc-123") == reverse("bonds:join_code", args=["abc-123"])
    pk = uuid.uuid4()
    try:
        set_script_prefix("/mutual/")
        assert path_to("bonds:bond", pk) == f"/mutual/bonds/{pk}/"
        assert path_to("bonds:list") == "/mutual/bonds/"
    finally:
        set_script_prefix("/")
    assert path_to("bonds:bond", pk) == f"/bonds/{pk}/"


def test_what_reverse_refuses_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        path_to("bonds:no-such-page")
    with pytest.raises(NoReverseMatch):
        path_to("bonds:bond", 7)
    with pytest.raises(NoReverseMatch):
        path_to("bonds:bond", "not a uuid")


def test_the_template_tag_writes_the_address() -> None:
    pk = uuid.uuid4()
    html = Template("{% path 'bonds:exchange' pk %}|{% asset 'mutual/mutual.css' %}").render(
        Context({"pk": pk})
    )
    address, asset = html.split("|")
    assert address == reverse("bonds:exchange", args=[pk])
    assert asset.endswith(".css")
    assert "mutual/mutual" in asset
