"""Check-in pages: one page to check in and to see the latest rounds.

Thin: parse the form, call the check-in services and selectors, render. Anything the viewer may
not see is a 404 (``NotFound`` from the selectors).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mutual import limits
from mutual.bonds import guards
from mutual.bonds.errors import NotFound, ServiceError
from mutual.bonds.models import Bond

from . import selectors, services

FIELDS = ("feeling", "intensity", "guess_feeling", "guess_intensity", "note")
#: Rounds listed on the page (the insights show the whole history).
RECENT = 8
#: How long the latest revealed round leads the page.
LATEST_FOR = timedelta(hours=18)
#: What the page says after a check-in (``?done=<key>``); fixed words, nothing reflected.
DONE = {
    "sealed": "Checked in. It stays sealed until you have both checked in.",
    "revealed": "You have both checked in. Here is how you each feel.",
}


def _done(request: HttpRequest, current: selectors.RoundView | None) -> str | None:
    """The confirmation to show, if it still holds (a sealed round may since have opened)."""
    key = request.GET.get("done", "") if request.method == "GET" else ""
    if key == "sealed" and (current is None or current.mine is None):
        return None
    return DONE.get(key)


def _page(
    request: HttpRequest,
    bond: Bond,
    *,
    form: dict[str, str] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    at = timezone.now()
    page = selectors.checkins_page(bond=bond, viewer=request.user, at=at, limit=RECENT)
    rounds = page.rounds
    current = rounds[0] if rounds and not rounds[0].revealed else None
    if form is None:
        form = {"intensity": "2", "guess_intensity": "2"}
        if current is not None and current.mine is not None:
            mine = current.mine
            form = {
                "feeling": mine.feeling,
                "intensity": str(mine.intensity),
                "guess_feeling": mine.guess_feeling,
                "guess_intensity": str(mine.guess_intensity),
                "note": mine.note,
            }
    revealed = [r for r in rounds if r.revealed]
    # The latest revealed round leads the page for a day, so both see it first.
    latest = None
    newest = revealed[0].revealed_at if revealed else None
    if current is None and newest is not None and at - newest < LATEST_FOR:
        latest = revealed[0]
    context = {
        "latest": latest,
        "earlier": revealed[1:] if latest else revealed,
        "bond": bond,
        "partner_name": page.partner_name,
        "current": current,
        "attunement": page.attunement,
        "feeling_groups": selectors.feeling_groups(),
        "intensities": sorted(selectors.INTENSITY_WORDS.items()),
        "form": form,
        "error": error,
        "active": guards.is_active(bond),
        "note_max": limits.CHECKIN_NOTE,
        "done": _done(request, current),
    }
    return render(request, "checkins/page.html", context, status=status)


@guards.member_view
@require_http_methods(["GET", "POST"])
def checkins_page(request: HttpRequest, bond_id: uuid.UUID) -> HttpResponse:
    """GET: the check-in form and the latest rounds. POST: check in."""
    bond = guards.bond_or_404(request, bond_id)
    if request.method == "GET":
        return _page(request, bond)
    form = {name: request.POST.get(name, "") for name in FIELDS}
    try:
        round_ = services.checkin_submit(
            bond=bond,
            person=request.user,  # type: ignore[arg-type]
            feeling=form["feeling"],
            intensity=form["intensity"],  # type: ignore[arg-type]
            guess_feeling=form["guess_feeling"],
            guess_intensity=form["guess_intensity"],  # type: ignore[arg-type]
            note=form["note"],
            at=timezone.now(),
        )
    except NotFound:
        raise
    except ServiceError as error:
        return _page(request, bond, form=form, error=error.message, status=error.status)
    done = "revealed" if round_.revealed_at is not None else "sealed"
    return HttpResponseRedirect(f"{reverse('checkins:page', args=[bond.id])}?done={done}")
