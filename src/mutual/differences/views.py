"""Pages for working through differences: the list of topics and one topic's rounds.

Thin: parse the form, call the difference services and selectors, render or redirect. Anything
the viewer may not see is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR, date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from mutual import limits
from mutual.accounts import zones
from mutual.bonds import guards
from mutual.bonds.errors import Invalid, NotFound, ServiceError
from mutual.bonds.models import Bond

from . import selectors, services

#: What the page says after a step (``?done=<key>``); fixed words, nothing reflected.
DONE = {
    "raised": _("The topic is raised. Start by writing how you see it."),
    "perspective": _("Your perspective is saved. It stays sealed until you have both written."),
    "restatement": _("Your restatement is saved."),
    "rating": _("Thank you. How understood you felt stays with you alone."),
    "proposed": _("What you proposed is saved. It stands once the other confirms it."),
    "outcome": _("You both agreed on what came of it. It is recorded."),
    "revisit": _("A new round is open. Each of you can write how you see it now."),
}


#: The outcomes one may propose, in the order the form offers them.
OUTCOME_CHOICES = (
    ("understood", _("We understand each other")),
    ("agreed", _("We agreed")),
    ("differ", _("We agree to differ")),
    ("revisit", _("We will come back to it")),
)


def _list_page(
    request: HttpRequest, bond: Bond, *, topic: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    page = selectors.differences_page(bond=bond, viewer=request.user, at=timezone.now())
    context = {
        "bond": bond,
        "partner_name": page.partner_name,
        "items": page.items,
        "topic": topic,
        "error": error,
        "active": guards.is_active(bond),
        "topic_max": limits.TOPIC,
    }
    return render(request, "differences/list.html", context, status=status)


@guards.member_view
@require_http_methods(["GET", "POST"])
def differences_page(request: HttpRequest, bond_id: uuid.UUID) -> HttpResponse:
    """GET: the topics of the bond. POST: raise a new one."""
    bond = guards.bond_or_404(request, bond_id)
    if request.method == "GET":
        return _list_page(request, bond)
    topic = request.POST.get("topic", "")
    try:
        difference = services.difference_raise(
            bond=bond,
            person=request.user,  # type: ignore[arg-type]
            topic=topic,
            at=timezone.now(),
        )
    except NotFound:
        raise
    except ServiceError as error:
        return _list_page(request, bond, topic=topic, error=error.message, status=error.status)
    url = reverse("differences:detail", args=[bond.id, difference.id])
    return HttpResponseRedirect(f"{url}?done=raised")


def _done(request: HttpRequest, view: selectors.DifferenceView) -> str | None:
    """The confirmation to show, if it still holds (the partner may have moved on since)."""
    key = request.GET.get("done", "") if request.method == "GET" else ""
    if key == "perspective" and view.current.step != "perspective":
        return None
    done = DONE.get(key)
    return None if done is None else str(done)


def _detail_page(
    request: HttpRequest,
    bond: Bond,
    difference_id: uuid.UUID,
    *,
    error: str = "",
    error_field: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    at = timezone.now()
    today = zones.local_date(at, request.user)
    view = selectors.difference_get(
        bond=bond, difference_id=difference_id, viewer=request.user, at=at
    )
    context = {
        "bond": bond,
        "d": view,
        "round": view.current,
        "past": view.rounds[:-1],
        "partner_name": view.partner_name,
        "error": error,
        "error_field": error_field,
        "form": form or {},
        "scores": range(1, 8),
        "date_days": [str(n) for n in range(1, 32)],
        "date_months": [(str(n), name) for n, name in MONTHS.items()],
        "date_years": [str(today.year + n) for n in range(DATE_YEARS)],
        "body_max": limits.PERSPECTIVE,
        "done": _done(request, view),
        "outcome_choices": OUTCOME_CHOICES,
    }
    return render(request, "differences/detail.html", context, status=status)


@guards.member_view
@require_http_methods(["GET"])
def difference_page(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID
) -> HttpResponse:
    """One topic: its rounds and the form for the step the viewer can take now."""
    return _detail_page(request, guards.bond_or_404(request, bond_id), difference_id)


#: How many years the revisit picker offers, this one first.
DATE_YEARS = 3


def _picked_date(post: Any, prefix: str) -> date | None:
    """The date chosen as a day, a month by its name and a year (``<prefix>_day``,
    ``_month``, ``_year``): ``None`` when none is chosen, ``Invalid`` when only some are or
    the day does not exist in that month."""
    parts = [post.get(f"{prefix}_{part}", "").strip() for part in ("day", "month", "year")]
    if not any(parts):
        return None
    if not all(parts):
        raise Invalid(gettext("Choose a day, a month and a year to come back to it."), field=prefix)
    try:
        day, month, year = (int(part) for part in parts)
    except ValueError:
        raise Invalid(
            gettext("Choose the day, month and year from the lists."), field=prefix
        ) from None
    if month not in MONTHS or not 1 <= day <= 31 or not MINYEAR <= year <= MAXYEAR:
        raise Invalid(gettext("Choose the day, month and year from the lists."), field=prefix)
    try:
        return date(year, month, day)
    except ValueError:
        message = gettext("There is no %(day)s %(month)s in %(year)s. Choose another day.")
        raise Invalid(
            message % {"day": day, "month": MONTHS[month], "year": year}, field=prefix
        ) from None


def _perspective(request: HttpRequest, **kw: Any) -> str:
    services.perspective_write(body=request.POST.get("body", ""), **kw)
    return "perspective"


def _restatement(request: HttpRequest, **kw: Any) -> str:
    services.restatement_write(
        body=request.POST.get("body", ""), costly=request.POST.get("costly") == "on", **kw
    )
    return "restatement"


def _rating(request: HttpRequest, **kw: Any) -> str:
    services.understood_rate(score=request.POST.get("score", ""), **kw)  # type: ignore[arg-type]
    return "rating"


def _outcome(request: HttpRequest, **kw: Any) -> str:
    outcome = request.POST.get("outcome", "")
    # The date counts only for coming back to it; another outcome keeps none.
    when = _picked_date(request.POST, "revisit_on") if outcome == "revisit" else None
    difference = services.outcome_propose(outcome=outcome, revisit_on=when, **kw)
    # Proposing what the other proposed settles it at once.
    return "proposed" if difference.proposed_by else "outcome"


def _confirm(request: HttpRequest, **kw: Any) -> str:
    services.outcome_confirm(**kw)
    return "outcome"


def _revisit(request: HttpRequest, **kw: Any) -> str:
    services.difference_revisit(**kw)
    return "revisit"


STEPS: dict[str, Callable[..., str]] = {
    "perspective": _perspective,
    "restatement": _restatement,
    "rating": _rating,
    "outcome": _outcome,
    "confirm": _confirm,
    "revisit": _revisit,
}


@guards.member_view
@require_POST
def difference_step(
    request: HttpRequest, bond_id: uuid.UUID, difference_id: uuid.UUID, step: str
) -> HttpResponse:
    """Take one step of the current round (``step`` names it)."""
    bond = guards.bond_or_404(request, bond_id)
    action = STEPS.get(step)
    if action is None:
        raise Http404()
    try:
        done = action(
            request,
            bond=bond,
            difference_id=difference_id,
            person=request.user,
            at=timezone.now(),
        )
    except NotFound:
        raise
    except ServiceError as error:
        form = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        form["step"] = step
        return _detail_page(
            request,
            bond,
            difference_id,
            error=str(error.message),
            error_field=error.field,
            form=form,
            status=error.status,
        )
    url = reverse("differences:detail", args=[bond.id, difference_id])
    return HttpResponseRedirect(f"{url}?done={done}")
