"""Template tags that put check-ins and differences on other pages.

``{% load together %}{% differences_due bond %}`` — the topics the viewer and their
partner said they would come back to and whose date has come (nothing when none).
``{% checkin_waiting bond %}`` — a note when the partner has checked in and the viewer not.
``{% feelings_picture round %}`` — a revealed check-in on the valence–arousal circle.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond
from mutual.checkins import selectors as checkin_selectors
from mutual.differences import selectors as difference_selectors
from mutual.insights import feelings

register = template.Library()


@register.inclusion_tag("differences/_due.html", takes_context=True)
def differences_due(context: dict[str, Any], bond: Bond) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        due = difference_selectors.differences_due(bond=bond, viewer=viewer, at=timezone.now())
    except NotFound:
        due = []
    return {"bond": bond, "due": due}


@register.inclusion_tag("checkins/_waiting.html", takes_context=True)
def checkin_waiting(context: dict[str, Any], bond: Bond) -> dict[str, Any]:
    """``{% checkin_waiting bond %}`` — a quiet note when the partner has checked in and
    the viewer has not (never for someone in safety mode: no nudges to disclose)."""
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        current = checkin_selectors.checkin_waiting(bond=bond, viewer=viewer)
    except NotFound:
        return {"show": False}
    show = current is not None
    return {"show": show, "bond": bond, "round": current}


@register.simple_tag
def feelings_picture(round_: checkin_selectors.RoundView) -> SafeString | str:
    """``{% feelings_picture round %}`` — where both were on the circle, once revealed."""
    picture = feelings.feelings_picture(round_, key=f"feelings-{round_.id}")
    return picture if picture is not None else ""
