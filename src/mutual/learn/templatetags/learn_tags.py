"""``{% load learn_tags %}`` then ``{% why "gate" %}``: a small link from any page to the
concept that explains one of the engine's rules."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from ..concepts import RULES, why_url

register = template.Library()


@register.simple_tag
def why(key: str) -> SafeString:
    """Link to the explanation of the engine rule ``key``; an unknown key is an error."""
    if key not in RULES:
        raise template.TemplateSyntaxError(f"Mutual has no rule called {key!r}.")
    why_this = gettext("Why does Mutual do this?")
    return format_html(
        '<a class="learn-why" href="{}" aria-label="{} {}">{}</a>',
        why_url(key),
        why_this,
        RULES[key].name,
        why_this,
    )
