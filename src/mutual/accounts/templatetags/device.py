"""``{% quick_exit_url %}``: the neutral page the quick exit leads to."""

from __future__ import annotations

from django import template

from mutual.accounts.views import quick_exit_url as _quick_exit_url

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    return _quick_exit_url()
