"""What a person typed into a bond, checked before a service writes it: texts, ratings
and the name their partner sees. A refusal is :class:`~mutual.bonds.errors.Invalid`, in
the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from mutual import limits

from .errors import Invalid


def clean_text(value: Any, *, what: str, limit: int, required: bool = True) -> str:
    """A text a person wrote, trimmed; ``what`` names it in a refusal. The limit is
    written the way the reader's language groups a number ("20,000", "20.000")."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(gettext("%(what)s must be text.") % {"what": what})
    text = value.strip()
    if required and not text:
        raise Invalid(gettext("%(what)s is empty. Write a few words first.") % {"what": what})
    if len(text) > limit:
        raise Invalid(
            gettext("%(what)s is longer than %(limit)s characters. Please shorten it.")
            % {"what": what, "limit": number_format(limit, force_grouping=True)}
        )
    return text


def clean_score(value: Any, refusal: str) -> int:
    """A rating from 1 to 7; ``refusal`` says which one, when it is not."""
    if isinstance(value, bool):
        raise Invalid(refusal)
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise Invalid(refusal) from exc
    if number != value and str(number) != str(value).strip():
        raise Invalid(refusal)
    if not 1 <= number <= 7:
        raise Invalid(refusal)
    return number


def clean_name(value: Any) -> str:
    """The name a person's partner will see: trimmed, 1 to 60 characters, one line."""
    if not isinstance(value, str):
        raise Invalid(gettext("Write the name the other person will see."))
    name = " ".join(value.split())
    if not name:
        raise Invalid(gettext("Write the name the other person will see, even just a first name."))
    if len(name) > limits.NAME:
        raise Invalid(
            gettext("That name is longer than %(limit)d characters. A shorter one, please.")
            % {"limit": limits.NAME}
        )
    return name
