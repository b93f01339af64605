"""The pages of one exchange: answering, taking an answer back, replying and rating.

A write that succeeds redirects without reading any text; the texts are read (through
one selector) only for the page that shows them. What may be done is the rule's
(:mod:`mutual.bonds.rules`), through the selectors and the services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from mutual.web import names
from mutual.web.links import path_to

from .. import forms, guards, rules, selectors, services
from ..errors import NotFound, ServiceError
from ..models import Exchange
from .common import me

member_view = guards.member_view


def _answer_form(request: HttpRequest, ex: Exchange) -> tuple[Any, HttpResponse | None]:
    """The answer form as posted, and the redirect once the service saved it (``None``
    when it did not: the form then carries why)."""
    form = forms.RevelationForm(request.POST)
    if not form.is_valid():
        return form, None
    try:
        services.revelation_write(
            exchange=ex,
            author=me(request),
            body=form.cleaned_data["body"],
            emotional=form.cleaned_data["emotional"],
            at=timezone.now(),
        )
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return form, None
    ex.refresh_from_db()
    if ex.revealed_at is None:
        messages.success(
            request, gettext("Saved and sealed. It opens once you have both answered.")
        )
    else:
        messages.success(request, gettext("Saved."))
    return form, redirect("bonds:exchange", exchange_id=ex.pk)


@member_view
def exchange(request: HttpRequest, exchange_id: UUID) -> HttpResponse:
    ex = selectors.exchange_get(id=exchange_id, viewer=request.user)
    form: Any = None
    status = 200
    if request.method == "POST":
        form, done = _answer_form(request, ex)
        if done is not None:
            return done
        status = 422
    view = selectors.exchange_view(exchange=ex, viewer=request.user)
    editing = request.GET.get("edit") == "1" or request.method == "POST"
    # In safety mode the form is not offered first: it opens only when she asks for it.
    offered = not view.safety_mode and (not view.mine.answered or view.sealed)
    show_form = view.can_write and (editing or offered)
    if form is None and show_form:
        # Built only for the page that shows it.
        initial = {}
        if view.mine.text is not None:
            initial = {"body": view.mine.text, "emotional": view.mine.revelation.emotional}  # type: ignore[union-attr]
        elif not view.mine.answered:
            initial = {"emotional": ex.prompt.emotional}
        form = forms.RevelationForm(initial=initial)
    mine = view.mine.revelation
    context = {
        "bond": ex.bond,
        "view": view,
        "form": form,
        "show_form": show_form,
        "safety_mode": view.safety_mode,
        "show_actions": view.can_write and not show_form and view.mine.text is not None,
        "depth_name": names.depth_name(ex.prompt.depth),
        "theme_name": names.theme_name(ex.prompt.theme),
        "withdraw_url": (
            path_to("safety:withdraw", mine.pk)
            if mine is not None and view.mine.can_withdraw
            else None
        ),
        "take_back_url": (
            path_to("bonds:take_back", mine.pk)
            if mine is not None and view.mine.can_take_back
            else None
        ),
        "breach_url": (
            path_to("safety:report", ex.bond_id) if mine is not None and not view.sealed else None
        ),
    }
    return render(request, "bonds/exchange.html", context, status=status)


@require_POST
@member_view
def take_back(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    """Take back one's own answer before the other has read it (it is deleted)."""
    revelation = selectors.revelation_get(id=revelation_id, viewer=request.user)
    exchange_id = revelation.exchange_id
    try:
        services.revelation_take_back(revelation=revelation, person=me(request), at=timezone.now())
    except NotFound:
        raise  # not the viewer's answer: 404
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Your answer is taken back and deleted. No one read it."))
    return redirect("bonds:exchange", exchange_id=exchange_id)


# ---------------------------------------------------------------------------------------
# Replies and ratings


def _answer_step(
    request: HttpRequest,
    revelation_id: UUID,
    *,
    action: str,
    not_here: str,
    make_form: Callable[..., Any],
    write: Callable[..., object],
    success: str,
    template: str,
) -> HttpResponse:
    """A page that acts on one answer (reply to the partner's, rate the reply to one's
    own). An answer the action is not for is a 404; one it is not possible on now sends
    back to the exchange. A valid form goes to ``write``; on success back to the
    exchange, and a refusal becomes a form error (nothing changed). Only a page that is
    shown reads the exchange's texts."""
    revelation = selectors.revelation_get(id=revelation_id, viewer=request.user)
    refused = selectors.answer_refusals(action=action, revelation=revelation, viewer=request.user)
    if {rules.YOURS, rules.NOT_YOURS} & set(refused):
        raise Http404()
    exchange_id = revelation.exchange_id
    if refused:
        messages.info(request, not_here)
        return redirect("bonds:exchange", exchange_id=exchange_id)
    form = make_form(request.POST or None, revelation)
    if request.method == "POST" and form.is_valid():
        try:
            write(revelation=revelation, at=timezone.now(), **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success)
            return redirect("bonds:exchange", exchange_id=exchange_id)
    view = selectors.exchange_view(exchange=revelation.exchange, viewer=request.user)
    answer = view.mine if revelation.side == view.my_side else view.theirs
    status = 422 if request.method == "POST" else 200
    context = {"bond": view.exchange.bond, "view": view, "answer": answer, "form": form}
    return render(request, template, context, status=status)


@member_view
def reply(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    return _answer_step(
        request,
        revelation_id,
        action=rules.REPLY,
        not_here=gettext("There is no reply to write here right now."),
        make_form=lambda data, revelation: forms.ReplyForm(
            data, depth=revelation.exchange.prompt.depth
        ),
        write=lambda revelation, **data: services.reply_write(
            revelation=revelation, author=me(request), **data
        ),
        success=gettext("Your reply is sent."),
        template="bonds/reply.html",
    )


@member_view
def rate(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    return _answer_step(
        request,
        revelation_id,
        action=rules.RATE,
        not_here=gettext("There is nothing to rate here right now."),
        make_form=lambda data, _revelation: forms.RatingForm(data),
        write=lambda revelation, **data: services.rating_give(
            revelation=revelation, rater=me(request), **data
        ),
        success=gettext("Thank you. Your rating stays with you alone."),
        template="bonds/rate.html",
    )
