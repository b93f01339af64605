"""Template tags that put check-ins and differences on other pages.

``{% load together %}{% differences_due bond %}`` — the topics the viewer and their
partner said they would come back to and whose date has come (nothing when none).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from mutual.bonds import differences
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond

register = template.Library()


@register.inclusion_tag("bonds/differences/_due.html", takes_context=True)
def differences_due(context: dict[str, Any], bond: Bond) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        due = differences.differences_due(bond=bond, viewer=viewer, at=timezone.now())
    except NotFound:
        due = []
    return {"bond": bond, "due": due}
