"""Addresses of Mutual's own pages, reversed once per process and pattern rather than once
per link.

Django's ``reverse`` (and ``{% url %}``) walks the resolver for every call; a page that
links to each of its items paid that walk for every item. :func:`path_to` reverses a
route once, with a stand-in for each argument, and fills the stand-ins in afterwards:
the same address ``reverse`` gives. Arguments given as ``UUID`` or ``int`` values are
filled in this way; any other argument is left to ``reverse`` itself. The shape is kept
per script prefix, so a deployment under a sub-path gets its own.

In templates (a builtin, no ``{% load %}``): ``{% path "bonds:exchange" exchange.pk %}``;
``{% asset "mutual/mutual.css" %}`` is ``{% static %}`` looked up once per process (the
collected files, and so their names, do not change while it runs).
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

register = template.Library()

_UUID_STAND_IN = "00000000-0000-4000-8000-{:012d}"
_INT_STAND_IN = 7_000_000_000_000_000_000


def _kind(value: Any) -> str | None:
    if isinstance(value, uuid.UUID):
        return "uuid"
    if isinstance(value, int) and not isinstance(value, bool):
        return "int"
    return None


@functools.lru_cache(maxsize=512)
def _shape(prefix: str, name: str, kinds: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The address of ``name`` with a stand-in for each argument, and the stand-ins as
    they appear in it (``prefix`` keys the shape: it is part of the address)."""
    stand_ins = [
        uuid.UUID(_UUID_STAND_IN.format(i)) if kind == "uuid" else _INT_STAND_IN + i
        for i, kind in enumerate(kinds)
    ]
    return reverse(name, args=stand_ins), tuple(str(s) for s in stand_ins)


def path_to(name: str, *args: Any) -> str:
    """``reverse(name, args=args)``, with the resolver walked once per route."""
    kinds = tuple(_kind(a) for a in args)
    if None in kinds:
        return reverse(name, args=args)
    address, stand_ins = _shape(get_script_prefix(), name, kinds)  # type: ignore[arg-type]
    for stand_in, value in zip(stand_ins, args, strict=True):
        address = address.replace(stand_in, str(value), 1)
    return address


@register.simple_tag(name="path")
def path_tag(name: str, *args: Any) -> str:
    """``{% path "bonds:exchange" exchange.pk %}``: :func:`path_to` in a template."""
    return path_to(name, *args)


@functools.lru_cache(maxsize=64)
def _asset(name: str, static_url: str) -> str:
    return static(name)


@register.simple_tag
def asset(name: str) -> str:
    """``{% asset "mutual/mutual.css" %}``: the address of a static file, as ``{% static %}``."""
    return _asset(name, str(settings.STATIC_URL))
