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
from django.utils.translation import gettext_lazy
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
    "sealed": gettext_lazy("Checked in. It stays sealed until you have both checked in."),
    "revealed": gettext_lazy("You have both checked in. Here is how you each feel."),
}


def _done(request: HttpRequest, current: selectors.RoundView | None) -> str | None:
    """The confirmation to show, if it still holds (a sealed round may since have opened)."""
    key = request.GET.get("done", "") if request.method == "GET" else ""
    if key == "sealed" and (current is None or current.mine is None):
        return None
    done = DONE.get(key)
    return None if done is None else str(done)


def _families(chosen: str) -> list[dict[str, object]]:
    """The wheel's families for one question of the form, each a disclosure: the one
    holding the chosen feeling is open and names it in its summary."""
    families: list[dict[str, object]] = []
    for key, name, choices in selectors.feeling_groups():
        label = next((words for value, words in choices if value == chosen), "")
        families.append({"key": key, "name": name, "choices": choices, "chosen": label})
    return families


#: Errors about these fields belong to the first step of the form; the rest to the second.
FIRST_STEP = ("feeling", "intensity")


def _page(
    request: HttpRequest,
    bond: Bond,
    *,
    form: dict[str, str] | None = None,
    step: str = "feeling",
    error: str = "",
    error_field: str = "",
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
        "families": _families(form.get("feeling", "")),
        "guess_families": _families(form.get("guess_feeling", "")),
        "intensities": sorted(selectors.INTENSITY_WORDS.items()),
        "form": form,
        "step": step,
        "feeling_words": _feeling_words(form) if step == "guess" else "",
        "error": error,
        "error_field": error_field,
        "active": guards.is_active(bond),
        "note_max": limits.CHECKIN_NOTE,
        "done": _done(request, current),
    }
    return render(request, "checkins/page.html", context, status=status)


def _feeling_words(form: dict[str, str]) -> str:
    intensity = selectors.INTENSITY_WORDS.get(int(form["intensity"]), "")
    label = dict(selectors.feeling_choices()).get(form["feeling"], form["feeling"])
    return f"{intensity} {label.lower()}".strip()


@guards.member_view
@require_http_methods(["GET", "POST"])
def checkins_page(request: HttpRequest, bond_id: uuid.UUID) -> HttpResponse:
    """GET: the check-in form and the latest rounds. POST: check in."""
    bond = guards.bond_or_404(request, bond_id)
    if request.method == "GET":
        return _page(request, bond)
    form = {name: request.POST.get(name, "") for name in FIELDS}
    step = request.POST.get("step", "")
    if step == "back":  # back to one's own feeling, keeping what was chosen
        return _page(request, bond, form=form)
    if step == "next":  # one's own feeling first; the guess is asked one step later
        try:
            feeling, intensity = services.feeling_check(
                feeling=form["feeling"], intensity=form["intensity"]
            )
        except ServiceError as error:
            return _error_page(request, bond, form, error)
        form.update(feeling=feeling, intensity=str(intensity))
        form["guess_intensity"] = form["guess_intensity"] or "2"
        return _page(request, bond, form=form, step="guess")
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
        return _error_page(request, bond, form, error)
    done = "revealed" if round_.revealed_at is not None else "sealed"
    return HttpResponseRedirect(f"{reverse('checkins:page', args=[bond.id])}?done={done}")


def _error_page(
    request: HttpRequest, bond: Bond, form: dict[str, str], error: ServiceError
) -> HttpResponse:
    """The step the error is about, with what was chosen kept and the error beside it."""
    step = "feeling" if error.field in FIRST_STEP or not error.field else "guess"
    return _page(
        request,
        bond,
        form=form,
        step=step,
        error=error.message,
        error_field=error.field,
        status=error.status,
    )
