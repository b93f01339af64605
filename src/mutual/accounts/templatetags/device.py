"""``{% quick_exit_url %}``: the neutral page the quick exit leads to; ``|browser``: a
browser's name in words."""

from __future__ import annotations

from django import template

from mutual.accounts.browsers import browser_name
from mutual.accounts.views import quick_exit_url as _quick_exit_url

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    return _quick_exit_url()


@register.filter
def browser(agent: str | None) -> str:
    """``{{ device.user_agent|browser }}``: "Chrome on Linux" (:mod:`mutual.accounts.browsers`)."""
    return browser_name(agent)
