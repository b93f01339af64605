"""Safety mode on every page of a bond (docs/security.md, "Safety mode keeps its word").

``{% safety_mode bond as safe %}`` tells a page whether its viewer is in safety mode in
``bond``, so it can leave out what would invite them to share; ``{% safety_note bond %}``
shows them the calm note with the one-tap way to their safety page. Both answer for the
viewer alone: a partner's page is the same whatever the other's mode, so nothing of it
can be noticed."""

from __future__ import annotations

from typing import Any

from django import template

from mutual.bonds import selectors
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond

register = template.Library()


@register.simple_tag(takes_context=True)
def safety_mode(context: template.Context, bond: Bond) -> bool:
    """Whether the signed-in viewer is in safety mode in ``bond`` (false for anyone who
    is not a member: they see no bond page at all)."""
    viewer = getattr(context.get("request"), "user", None)
    try:
        return selectors.in_safety_mode(bond=bond, viewer=viewer)
    except NotFound:
        return False


@register.inclusion_tag("safety/_note.html", takes_context=True)
def safety_note(context: template.Context, bond: Bond) -> dict[str, Any]:
    """The note, for the viewer in safety mode; nothing for anyone else."""
    return {"bond": bond, "show": safety_mode(context, bond)}
