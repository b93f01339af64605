"""The words people read for the engine's depths and themes, marked for translation.

The engine is pure and names its depths in English for itself (``engine.DEPTHS``); every
page, form, notice and API answer takes the words people read from here, in their
language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: One word for each depth, from the surface to the core (``engine.DEPTHS``, in order).
DEPTH_WORDS: tuple[Promise, ...] = (
    _("Surface"),
    _("Personal"),
    _("Meaningful"),
    _("Tender"),
    _("Core"),
)

#: One word for each theme (``engine.THEMES``).
THEME_WORDS: dict[str, Promise] = {
    "dreams": _("Dreams"),
    "hurts": _("Hurts"),
    "fears": _("Fears"),
    "joys": _("Joys"),
    "memories": _("Memories"),
    "values": _("Values"),
    "needs": _("Needs"),
    "desire": _("Desire"),
}


def depth_name(depth: int) -> str:
    """A depth in the reader's language."""
    return str(DEPTH_WORDS[depth])


def theme_name(theme: str) -> str:
    """A theme in the reader's language."""
    return str(THEME_WORDS[theme])
