"""``{% load history_tags %}{% history_list items %}``: a bond's exchanges as list items.

The home page and the page of all exchanges list up to 25 exchanges each; written
through the template engine, every item cost as much as a small page. The items are
built here with :func:`~django.utils.html.format_html` (which escapes every value), the
same markup as before; the words are translated once per language, not once per item,
and each link comes from :func:`mutual.web.links.path_to`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from mutual.accounts.templatetags.when import day_in
from mutual.web.links import path_to

from ..selectors import HistoryItem

register = template.Library()


@functools.lru_cache(maxsize=16)
def _words(language: str | None) -> tuple[dict[tuple[str, bool], str], dict[str, str], str, str]:
    """The list's words in ``language`` (the active one: translated once per language,
    as the catalogue does not change while the process runs)."""
    day_format = str(formats.get_format("DATE_FORMAT"))  # as ``|day`` writes a day
    return _status_words(), _waits_words(), gettext("Waiting for you:"), day_format


def _status_words() -> dict[tuple[str, bool], str]:
    """Where an exchange stands, in words, by its status and whether it was edited."""
    sealed = gettext("sealed until you both answer")
    mine = gettext("you answered; sealed until you both answer")
    return {
        ("revealed", False): gettext("open to you both"),
        ("revealed", True): gettext("open to you both · edited"),
        ("sealed-mine", False): mine,
        ("sealed-mine", True): mine,
        ("sealed-theirs", False): sealed,
        ("sealed-theirs", True): sealed,
        ("sealed-none", False): sealed,
        ("sealed-none", True): sealed,
    }


def _waits_words() -> dict[str, str]:
    return {
        "answer": gettext("your answer"),
        "reply": gettext("a reply to write"),
        "rate": gettext("a reply to rate, privately"),
    }


@register.simple_tag
def history_list(items: Iterable[HistoryItem], hide_waits: bool = False) -> SafeString:
    """The ``<li>`` of each item: the question as a link to the exchange, its day, depth,
    theme and where it stands, and (unless ``hide_waits``) what waits for the viewer."""
    items = list(items)
    if not items:
        return SafeString("")
    status, waits, waiting, day_format = _words(get_language())
    zone = timezone.get_current_timezone()
    return format_html_join(
        "",
        '\n<li>\n  <a href="{}">{}</a>\n  <p class="meta">{} · {} · {} · {}</p>{}\n</li>',
        (
            (
                path_to("bonds:exchange", item.exchange.pk),
                item.prompt_text,
                day_in(item.exchange.opened_at, zone, day_format),
                item.depth_name,
                item.theme_name,
                status[(item.status, item.edited)],
                format_html(
                    '\n  <p class="meta meta--waits">{} {}</p>',
                    waiting,
                    ", ".join(waits[kind] for kind in item.waits),
                )
                if item.waits and not hide_waits
                else "",
            )
            for item in items
        ),
    )
