"""Reads for the notification pages: the person's choices as the form shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mutual.bonds import selectors as bond_selectors
from mutual.bonds.models import Bond
from mutual.bonds.signals import (
    ANSWERED,
    CHECKIN,
    DIFFERENCE,
    KINDS,
    REPLIED,
    REVISIT,
    RHYTHM,
    THANKED,
)
from mutual.checkins import selectors as checkin_selectors
from mutual.differences import selectors as difference_selectors

from . import hours, push
from .models import Preferences, PushSubscription, Rhythm

#: How each kind reads on the settings page.
KIND_LABELS = {
    ANSWERED: _("Your partner answered a question (your answer opens theirs)"),
    REPLIED: _("Your partner replied to your answer"),
    THANKED: _("Your partner thanked you for hearing them"),
    CHECKIN: _("A check-in waits for you"),
    DIFFERENCE: _("A step of a difference waits for you"),
    REVISIT: _("The day you chose to come back to a difference has come"),
    RHYTHM: _("Your rhythm suggests a question"),
}
CHOICE_LABELS = {
    hours.NOW: _("At once"),
    hours.DIGEST: _("In my daily digest"),
    hours.NEVER: _("Never"),
}


def preferences_of(person: Any) -> Preferences:
    """The person's choices (the defaults, unsaved, for one who never chose)."""
    found = Preferences.objects.filter(person=person).first()
    return found if found is not None else Preferences(person=person)


def hours_of(prefs: Preferences) -> hours.Hours:
    return hours.Hours(prefs.digest_hour, prefs.quiet_from, prefs.quiet_until)


def choice_of(prefs: Preferences, kind: str) -> str:
    value = (prefs.choices or {}).get(kind, hours.NOW)
    return value if value in hours.CHOICES else hours.NOW


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    choice: str


@dataclass(frozen=True)
class SettingsView:
    rows: list[KindRow]
    choices: list[tuple[str, str]]
    digest_hour: int
    quiet_from: int
    quiet_until: int
    by_mail: bool
    by_push: bool
    push_offered: bool
    push_devices: int
    time_zone: str


def settings_view(*, person: Any) -> SettingsView:
    prefs = preferences_of(person)
    return SettingsView(
        rows=[KindRow(k, str(KIND_LABELS[k]), choice_of(prefs, k)) for k in KINDS],
        choices=[(c, str(CHOICE_LABELS[c])) for c in hours.CHOICES],
        digest_hour=prefs.digest_hour,
        quiet_from=prefs.quiet_from,
        quiet_until=prefs.quiet_until,
        by_mail=prefs.by_mail,
        by_push=prefs.by_push,
        push_offered=push.enabled(),
        push_devices=PushSubscription.objects.filter(person=person).count(),
        time_zone=person.time_zone,
    )


def rhythm_of(*, bond: Any) -> Rhythm | None:
    return Rhythm.objects.filter(bond=bond).first()


def _places_in(bond: Bond, person: Any, at: datetime) -> set[str]:
    """The pages where something waits for ``person`` in ``bond``: one per thing."""
    places = {
        reverse("bonds:exchange", args=[item.exchange.pk])
        for item in bond_selectors.waiting_for(bond=bond, viewer=person)
    }
    if checkin_selectors.checkin_waiting(bond=bond, viewer=person) is not None:
        places.add(reverse("checkins:page", args=[bond.pk]))
    for difference in difference_selectors.differences_waiting(bond=bond, viewer=person, at=at):
        places.add(reverse("differences:detail", args=[bond.pk, difference]))
    return places


def where_waits(*, person: Any, at: datetime) -> str:
    """Where a notification's link leads once signed in: straight to the one thing that
    waits; else to the bond where things wait; else home (the bond, when there is one)."""
    found: dict[Any, set[str]] = {}
    for bond in bond_selectors.bonds_for(viewer=person).filter(status=Bond.Status.ACTIVE):
        places = _places_in(bond, person, at)
        if places:
            found[bond.pk] = places
    if len(found) == 1:
        [(bond_id, places)] = found.items()
        return next(iter(places)) if len(places) == 1 else reverse("bonds:bond", args=[bond_id])
    return reverse("bonds:home")
