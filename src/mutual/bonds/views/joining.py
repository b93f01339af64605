"""Invites and joining a bond."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from .. import forms, guards, services
from ..errors import Invalid, ServiceError
from .common import back_to_bond, bond_url, me

member_view = guards.member_view


@member_view
def invite(request: HttpRequest, bond_id: UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    if request.method == "POST":
        try:
            _invite, code = services.invite_create(
                bond=bond,
                by=me(request),
                at=timezone.now(),
            )
        except ServiceError as exc:
            return back_to_bond(request, bond, exc)
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
    person = me(request)
    pending = str(request.session.get(PENDING_INVITE, ""))
    form = forms.JoinAsForm(
        request.POST or None, initial={"code": code or pending, "name": person.display_name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            bond = services.invite_accept(
                code=form.cleaned_data["code"],
                person=person,
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
            messages.success(request, gettext("You have joined. Welcome to your bond."))
            return HttpResponseRedirect(bond_url(bond))
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
