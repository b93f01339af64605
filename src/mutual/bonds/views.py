"""Web views of the core loop. Thin: parse the form, call one service or selector, render.

Anything the viewer may not see raises ``NotFound`` in the selectors and answers 404.
A refused write (``Invalid``/``Conflict``) re-renders the form with the service's message
or, for one-button actions, returns to the bond with that message; nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mutual import engine
from mutual.accounts.models import Person

from . import forms, onion, pagecache, selectors, services
from .errors import Invalid, NotFound, ServiceError
from .models import Bond, Exchange, Prompt

View = Callable[..., HttpResponse]


def _me(request: HttpRequest) -> Person:
    """The signed-in person (views that call this are behind ``login_required``)."""
    return cast(Person, request.user)


def not_found_as_404(view: View) -> View:
    """Turn :class:`NotFound` from a selector or service into Django's 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404() from exc

    return wrapper


def member_view(view: View) -> View:
    return login_required(not_found_as_404(view))


def optional_url(*names: str, args: tuple[Any, ...] = ()) -> str | None:
    """The address of the first of ``names`` that exists: a view another part of Mutual
    may or may not provide yet."""
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _bond_url(bond: Bond) -> str:
    return reverse("bonds:bond", args=[bond.pk])


def _back_to_bond(request: HttpRequest, bond: Bond, error: ServiceError | None) -> HttpResponse:
    if error is not None:
        messages.error(request, error.message)
    return HttpResponseRedirect(_bond_url(bond))


# ---------------------------------------------------------------------------------------
# Landing and bonds


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("bonds:list")
    return render(request, "home.html")


#: On "Your bonds": the bonds lived in first, then those waiting for someone, then ended.
LIST_ORDER = {
    Bond.Status.ACTIVE: 0,
    Bond.Status.PAUSED: 0,
    Bond.Status.WAITING: 1,
    Bond.Status.ENDED: 2,
}


def _list_order(bond: Bond) -> int:
    return LIST_ORDER.get(Bond.Status(bond.status), 3)


@member_view
def bond_list(request: HttpRequest) -> HttpResponse:
    form = forms.BondCreateForm(request.POST or None, initial={"name": _me(request).display_name})
    if request.method == "POST" and form.is_valid():
        try:
            bond = services.bond_create(
                creator=_me(request),
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                at=timezone.now(),
            )
        except Invalid as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("bonds:invite", bond_id=bond.pk)
    bonds = [
        (b, partner and selectors.display_name(partner))
        for b in sorted(selectors.bonds_for(viewer=request.user), key=_list_order)
        for partner in [selectors.partner_of(bond=b, viewer=request.user)]
    ]
    status = 422 if request.method == "POST" else 200
    return render(request, "bonds/bond_list.html", {"bonds": bonds, "form": form}, status=status)


TRUST_WORDS = (
    (0.35, "still uncertain"),
    (0.5, "finding its feet"),
    (0.65, "growing"),
    (0.8, "steady"),
    (1.01, "strong"),
)


def trust_words(view: engine.TrustView) -> str:
    if view.alpha + view.beta <= 2.0 + 1e-9:
        return "nothing rated yet"
    return next(words for limit, words in TRUST_WORDS if view.effective < limit)


def _section_links(bond: Bond) -> dict[str, str | None]:
    args = (bond.pk,)
    return {
        "checkins": optional_url("checkins:page", args=args),
        "differences": optional_url("differences:list", args=args),
        "insights": optional_url("insights:page", args=args),
        "safety": optional_url("safety:home", args=args),
        "report": optional_url("safety:report", args=args),
    }


@member_view
def bond_detail(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    side = selectors.side_of(bond=bond, person=request.user)
    at = timezone.now()
    page = pagecache.PAGES.fetch(
        pagecache.key(bond, side=side, at=at, what="home"),
        lambda: _content(
            request, "bonds/_bond_home_content.html", _home_context(request, bond, at)
        ),
        lambda refs: pagecache.home_texts(refs, bond=bond, viewer=request.user, at=at),
    )
    return _framed(request, "bonds/bond_home.html", page)


def _content(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """A page's content, fit to keep (:mod:`mutual.bonds.pagecache`): the CSRF token is a
    placeholder that :func:`_framed` fills in for each response."""
    return render_to_string(
        template, {**context, "csrf_token": pagecache.CSRF_PLACEHOLDER}, request=request
    )


def _framed(request: HttpRequest, frame: str, page: str, status: int = 200) -> HttpResponse:
    """The kept or fresh ``page`` in its frame, with this response's own CSRF token."""
    return render(request, frame, {"content": pagecache.with_csrf(page, request)}, status=status)


def _home_context(request: HttpRequest, bond: Bond, at: datetime) -> dict[str, Any]:
    home_ = selectors.bond_home(bond=bond, viewer=request.user, at=at)
    picture = onion.build(
        cells=home_.cells,
        open_depth=home_.open_depth,
        themes=onion.themes_for(kind=bond.kind, desire=bond.desire_a and bond.desire_b),
    )
    return {
        "bond": bond,
        "home": pagecache.home_words(home_),
        "onion": picture,
        "trust_percent": round(home_.my_trust.effective * 100),
        "trust_words": trust_words(home_.my_trust),
        "trust_rated": home_.my_trust.alpha + home_.my_trust.beta > 2.0 + 1e-9,
        "depths": list(enumerate(engine.DEPTHS)),
        "next_depth_name": (
            engine.DEPTHS[home_.gate.next_depth] if home_.gate.next_depth is not None else None
        ),
        "desire_mine": getattr(bond, f"desire_{home_.side}"),
        "links": _section_links(bond),
        # Nudges stop exactly in safety mode: then the page offers nothing to share or to
        # deepen, only what takes back or steps back, and the way to the safety page.
        "safety_mode": not home_.nudges,
    }


@member_view
def history(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    """Every exchange of the bond, newest first, a page at a time."""
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    page, items = selectors.exchanges_page(
        bond=bond, viewer=request.user, page=request.GET.get("page", 1)
    )
    context = {
        "bond": bond,
        "page": page,
        "items": items,
        # In safety mode nothing is said to wait for the viewer.
        "hide_waits": selectors.in_safety_mode(bond=bond, viewer=request.user),
    }
    return render(request, "bonds/history.html", context)


@member_view
def invite(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    if request.method == "POST":
        try:
            _invite, code = services.invite_create(
                bond=bond,
                by=_me(request),
                at=timezone.now(),
            )
        except ServiceError as exc:
            return _back_to_bond(request, bond, exc)
        link = _invite_link(request, code)
        return render(
            request, "bonds/invite_created.html", {"bond": bond, "code": code, "link": link}
        )
    return render(request, "bonds/invite.html", {"bond": bond})


#: An invite code a signed-out visitor brought, kept in their session while they sign
#: up or sign in, so the link need not carry it through the address bar.
PENDING_INVITE = "mutual_pending_invite"


def _invite_link(request: HttpRequest, code: str) -> str:
    """The invite link: the code rides in the fragment, which browsers never send to the
    server, so it stays out of request logs; ``join.js`` puts it into the form."""
    return request.build_absolute_uri(reverse("bonds:join")) + "#" + code


def join(request: HttpRequest, code: str = "") -> HttpResponse:
    if not request.user.is_authenticated:
        if code:  # an older link with the code in its path: sign in, then come back
            return redirect_to_login(request.get_full_path())
        return _join_signed_out(request)
    me = _me(request)
    pending = str(request.session.get(PENDING_INVITE, ""))
    form = forms.JoinAsForm(
        request.POST or None, initial={"code": code or pending, "name": me.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            bond = services.invite_accept(
                code=form.cleaned_data["code"],
                person=me,
                name=form.cleaned_data["name"],
                at=timezone.now(),
            )
        except Invalid as exc:
            field = "name" if "name" in exc.message else "code"
            form.add_error(field, exc.message)
        except ServiceError as exc:
            # A code that is used up or expired is not offered again on the next visit.
            request.session.pop(PENDING_INVITE, None)
            form.add_error("code", exc.message)
        else:
            request.session.pop(PENDING_INVITE, None)
            messages.success(request, "You have joined. Welcome to your bond.")
            return HttpResponseRedirect(_bond_url(bond))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "invited": bool(code or pending)}
    return render(request, "bonds/join.html", context, status=status)


def _join_signed_out(request: HttpRequest) -> HttpResponse:
    """Someone opened an invite before signing in: keep the code in their session, then
    send them to sign up (or sign in) and back to the join page."""
    form = forms.JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[PENDING_INVITE] = form.cleaned_data["code"]
        target = "account_login" if request.POST.get("then") == "sign-in" else "account_signup"
        return redirect(f"{reverse(target)}?next={reverse('bonds:join')}")
    status = 422 if request.method == "POST" else 200
    return render(request, "bonds/join_signed_out.html", {"form": form}, status=status)


@require_POST
@member_view
def ready(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    form = forms.ReadyForm(request.POST)
    if not form.is_valid():
        return _back_to_bond(request, bond, Invalid("Choose whether you are ready."))
    try:
        services.readiness_set(
            bond=bond,
            person=_me(request),
            ready=form.cleaned_data["ready"],
            at=timezone.now(),
        )
    except ServiceError as exc:
        return _back_to_bond(request, bond, exc)
    if form.cleaned_data["ready"]:
        messages.success(request, "Noted: you are ready. The next depth opens once you both are.")
    else:
        messages.success(request, "Noted: you would rather stay at this depth for now.")
    return _back_to_bond(request, bond, None)


@require_POST
@member_view
def step_back(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    try:
        services.bond_step_back(
            bond=bond,
            person=_me(request),
            at=timezone.now(),
        )
    except ServiceError as exc:
        return _back_to_bond(request, bond, exc)
    messages.success(request, "The bond stepped back one depth. Take all the time you need.")
    return _back_to_bond(request, bond, None)


@require_POST
@member_view
def desire(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    form = forms.DesireForm(request.POST)
    if not form.is_valid():
        return _back_to_bond(request, bond, Invalid("Choose yes or no."))
    try:
        services.desire_opt_in(
            bond=bond,
            person=_me(request),
            opt_in=form.cleaned_data["opt_in"],
            at=timezone.now(),
        )
    except ServiceError as exc:
        return _back_to_bond(request, bond, exc)
    messages.success(request, "Your choice about questions on desire is saved.")
    return _back_to_bond(request, bond, None)


# ---------------------------------------------------------------------------------------
# Prompts and exchanges


#: Questions shown per theme at the open depth before "show more" (a phone stays short).
PROMPTS_PER_THEME = 1


@dataclass(frozen=True)
class PromptChoice:
    """One question in the picker, with the exchange it already has in this bond."""

    prompt: Prompt
    exchange: Exchange | None
    #: The question's words as the viewer may read them (``selectors.prompt_text_for``).
    text: str

    @property
    def waiting(self) -> bool:
        """Already asked and still sealed: it is answered there, not asked again."""
        return self.exchange is not None and self.exchange.revealed_at is None


def _by_theme(choices: list[PromptChoice], themes: list[str]) -> list[dict[str, Any]]:
    """Choices grouped by theme; the ones not asked yet first, then the rest."""
    groups = []
    for theme in themes:
        mine = [c for c in choices if c.prompt.theme == theme]
        mine.sort(key=lambda c: c.exchange is not None)
        if mine:
            groups.append(
                {
                    "theme": theme,
                    "shown": mine[:PROMPTS_PER_THEME],
                    "more": mine[PROMPTS_PER_THEME:],
                }
            )
    return groups


@member_view
def prompts(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    open_depth = selectors.open_depth_of(bond=bond)
    available = selectors.prompts_available(bond=bond, viewer=request.user)
    asked = selectors.prompts_asked(bond=bond, viewer=request.user)
    themes = onion.themes_for(kind=bond.kind, desire=bond.desire_a and bond.desire_b)
    theme = request.GET.get("theme", "")
    if theme not in themes:
        theme = ""
    chosen = [theme] if theme else themes
    choices = [
        PromptChoice(
            p,
            asked.get(p.pk),
            selectors.prompt_text_for(prompt=p, bond=bond, viewer=request.user),
        )
        for p in available
        if p.theme in chosen
    ]
    current = [c for c in choices if c.prompt.depth == open_depth]
    earlier = [
        {
            "depth": depth,
            "name": engine.DEPTHS[depth],
            "choices": [c for c in choices if c.prompt.depth == depth],
        }
        for depth in range(open_depth - 1, -1, -1)
    ]
    locked = [
        {"name": engine.DEPTHS[depth], "count": sum(1 for c in choices if c.prompt.depth == depth)}
        for depth in range(open_depth + 1, engine.MAX_DEPTH + 1)
    ]
    context = {
        "bond": bond,
        "themes": themes,
        "theme": theme,
        "depth_name": engine.DEPTHS[open_depth],
        "current": _by_theme(current, chosen),
        "current_count": len(current),
        "earlier": [group for group in earlier if group["choices"]],
        "locked": locked,
        "safety_mode": selectors.in_safety_mode(bond=bond, viewer=request.user),
    }
    return render(request, "bonds/prompts.html", context)


@member_view
def prompt_new(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    themes = onion.themes_for(kind=bond.kind, desire=bond.desire_a and bond.desire_b)
    form = forms.PromptForm(
        request.POST or None, open_depth=selectors.open_depth_of(bond=bond), themes=themes
    )
    if request.method == "POST" and form.is_valid():
        at = timezone.now()
        try:
            prompt = services.prompt_write(
                bond=bond,
                by=_me(request),
                at=at,
                **form.cleaned_data,
            )
            exchange = services.exchange_open(
                bond=bond,
                by=_me(request),
                prompt=prompt,
                at=at,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("bonds:exchange", exchange_id=exchange.pk)
    status = 422 if request.method == "POST" else 200
    context = {
        "bond": bond,
        "form": form,
        "safety_mode": selectors.in_safety_mode(bond=bond, viewer=request.user),
    }
    return render(request, "bonds/prompt_new.html", context, status=status)


@require_POST
@member_view
def exchange_open(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = selectors.bond_get(id=bond_id, viewer=request.user)
    prompt = selectors.prompt_get(id=request.POST.get("prompt", ""), bond=bond, viewer=request.user)
    try:
        exchange = services.exchange_open(
            bond=bond,
            by=_me(request),
            prompt=prompt,
            at=timezone.now(),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("bonds:prompts", bond_id=bond.pk)
    return redirect("bonds:exchange", exchange_id=exchange.pk)


@member_view
def exchange(request: HttpRequest, exchange_id: UUID) -> HttpResponse:
    ex = selectors.exchange_get(id=exchange_id, viewer=request.user)
    view = selectors.exchange_view(exchange=ex, viewer=request.user)
    # A plain read keeps the page's frame — without the texts, which each response reads
    # afresh — until anything in the bond changes (pagecache).
    keep = request.method == "GET" and not request.GET
    if keep:
        kept = pagecache.key(
            ex.bond, side=view.my_side, at=timezone.now(), what=("exchange", ex.pk)
        )
        blanked, texts = pagecache.framed(lambda: pagecache.exchange_words(view))
        frame = pagecache.PAGES.get(kept)
        if frame is not None:
            return _framed(request, "bonds/exchange.html", pagecache.fill(frame, texts))
        view = blanked.content
    initial = {}
    if view.mine.text is not None:
        initial = {"body": view.mine.text, "emotional": view.mine.revelation.emotional}  # type: ignore[union-attr]
    elif not view.mine.answered:
        initial = {"emotional": ex.prompt.emotional}
    form = forms.RevelationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.revelation_write(
                    exchange=ex,
                    author=_me(request),
                    body=form.cleaned_data["body"],
                    emotional=form.cleaned_data["emotional"],
                    at=timezone.now(),
                )
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                ex.refresh_from_db()
                if ex.revealed_at is None:
                    messages.success(
                        request, "Saved and sealed. It opens once you have both answered."
                    )
                else:
                    messages.success(request, "Saved.")
                return redirect("bonds:exchange", exchange_id=ex.pk)
        status = 422
    editing = request.GET.get("edit") == "1" or request.method == "POST"
    # In safety mode the form is not offered first: it opens only when she asks for it.
    safety_mode = selectors.in_safety_mode(bond=ex.bond, viewer=request.user)
    offered = not safety_mode and (not view.mine.answered or view.sealed)
    show_form = view.can_write and (editing or offered)
    context = {
        "bond": ex.bond,
        "view": view,
        "form": form,
        "show_form": show_form,
        "safety_mode": safety_mode,
        "show_actions": view.can_write and not show_form and view.mine.text is not None,
        "depth_name": engine.DEPTHS[ex.prompt.depth],
        "withdraw_url": (
            optional_url("safety:withdraw", "bonds:withdraw", args=(view.mine.revelation.pk,))
            if view.mine.revelation and view.mine.text is not None and not view.sealed
            else None
        ),
        "take_back_url": (
            reverse("bonds:take_back", args=[view.mine.revelation.pk])
            if view.mine.revelation and view.sealed
            else None
        ),
        "breach_url": (
            optional_url("safety:report", args=(ex.bond_id,))
            if view.mine.revelation and not view.sealed
            else None
        ),
    }
    page = _content(request, "bonds/_exchange_content.html", context)
    if keep:
        frame = pagecache.Frame(page, blanked.refs)
        pagecache.PAGES.put(kept, frame)
        page = pagecache.fill(frame, texts)
    return _framed(request, "bonds/exchange.html", page, status)


@require_POST
@member_view
def take_back(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    """Take back one's own answer before the other has read it (it is deleted)."""
    revelation = selectors.revelation_get(id=revelation_id, viewer=request.user)
    if revelation.author_id != request.user.pk:
        raise Http404()
    exchange_id = revelation.exchange_id
    try:
        services.revelation_take_back(revelation=revelation, person=_me(request), at=timezone.now())
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Your answer is taken back and deleted. No one read it.")
    return redirect("bonds:exchange", exchange_id=exchange_id)


# ---------------------------------------------------------------------------------------
# Replies and ratings


def _exchange_step(
    request: HttpRequest,
    form: Any,
    write: Callable[[dict[str, Any]], object],
    *,
    success: str,
    exchange_id: UUID,
) -> HttpResponse | None:
    """Post a valid form through ``write``; on success go back to the exchange. A service
    refusal becomes a form error (nothing changed) and ``None`` lets the view re-render."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except ServiceError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, success)
    return redirect("bonds:exchange", exchange_id=exchange_id)


@member_view
def reply(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    revelation = selectors.revelation_get(id=revelation_id, viewer=request.user)
    ex = revelation.exchange
    view = selectors.exchange_view(exchange=ex, viewer=request.user)
    if view.theirs.revelation is None or view.theirs.revelation.pk != revelation.pk:
        raise Http404()
    if not view.theirs.can_reply:
        messages.info(request, "There is no reply to write here right now.")
        return redirect("bonds:exchange", exchange_id=ex.pk)
    form = forms.ReplyForm(request.POST or None)
    done = _exchange_step(
        request,
        form,
        lambda data: services.reply_write(
            revelation=revelation, author=_me(request), at=timezone.now(), **data
        ),
        success="Your reply is sent.",
        exchange_id=ex.pk,
    )
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    context = {"bond": ex.bond, "view": view, "answer": view.theirs, "form": form}
    return render(request, "bonds/reply.html", context, status=status)


@member_view
def rate(request: HttpRequest, revelation_id: UUID) -> HttpResponse:
    revelation = selectors.revelation_get(id=revelation_id, viewer=request.user)
    if revelation.author_id != request.user.pk:
        raise Http404()
    ex = revelation.exchange
    view = selectors.exchange_view(exchange=ex, viewer=request.user)
    if not view.mine.can_rate:
        messages.info(request, "There is nothing to rate here right now.")
        return redirect("bonds:exchange", exchange_id=ex.pk)
    form = forms.RatingForm(request.POST or None)
    done = _exchange_step(
        request,
        form,
        lambda data: services.rating_give(
            revelation=revelation, rater=_me(request), at=timezone.now(), **data
        ),
        success="Thank you. Your rating stays with you alone.",
        exchange_id=ex.pk,
    )
    if done is not None:
        return done
    status = 422 if request.method == "POST" else 200
    context = {"bond": ex.bond, "view": view, "answer": view.mine, "form": form}
    return render(request, "bonds/rate.html", context, status=status)
