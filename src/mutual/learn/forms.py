"""Parsing the reference list's search and filters, with messages a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from .concepts import CONCEPTS
from .models import Reference

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
_YEAR_MESSAGES = {
    "invalid": gettext_lazy("Write a year as four digits, for example 1998."),
    "min_value": gettext_lazy("Choose a year from %(limit_value)s onwards."),
    "max_value": gettext_lazy("Choose a year up to %(limit_value)s."),
}


class ReferenceFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search titles, authors and journals or publishers"),
        required=False,
        max_length=200,
        error_messages={"max_length": gettext_lazy("Keep the search to 200 characters or fewer.")},
    )
    concept = forms.ChoiceField(
        label=gettext_lazy("Concept"),
        required=False,
        choices=[
            ("", gettext_lazy("Any concept")),
            *((c.slug, c.title) for c in CONCEPTS.values()),
        ],
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no concept called “%(value)s”. Choose one from the list."
            )
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *Reference.Kind.choices],
        error_messages={
            "invalid_choice": gettext_lazy("Choose book, article or chapter as the kind.")
        },
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"),
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        error_messages=_YEAR_MESSAGES,
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"),
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_YEAR,
        error_messages=_YEAR_MESSAGES,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", "“To year” must not be earlier than “From year”.")
        return data

    def mark_errors(self) -> None:
        """Tie each field's message to its input for screen readers."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )


def filter_references(data: dict[str, Any]) -> list[Reference]:
    """References matching the valid filters in ``data`` (cleaned form data)."""
    references = Reference.objects.all()
    query = (data.get("q") or "").strip()
    if query:
        references = references.filter(
            Q(title__icontains=query) | Q(authors__icontains=query) | Q(venue__icontains=query)
        )
    if data.get("kind"):
        references = references.filter(kind=data["kind"])
    if data.get("year_from") is not None:
        references = references.filter(year__gte=data["year_from"])
    if data.get("year_to") is not None:
        references = references.filter(year__lte=data["year_to"])
    found = list(references)
    concept = data.get("concept")
    if concept:
        # The table holds a few dozen rows; filtering the JSON list here works the same
        # on SQLite and PostgreSQL.
        found = [reference for reference in found if concept in reference.concepts]
    return found
