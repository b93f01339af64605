"""The pages of one's own data: the export (on the page or as a file) and deletion."""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from mutual.accounts.models import Person
from mutual.web.security import mark_signed_out

from .services import account_delete, account_export


def _person(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def export_page(request: HttpRequest) -> HttpResponse:
    """What the person wrote, shown here on a POST. An export is noted in the security
    log, so a GET only offers the buttons: no other page can export for them."""
    if request.method == "GET":
        return render(request, "account/export.html")
    person = _person(request)
    at = timezone.now()
    data = account_export(person=person, at=at)
    return render(request, "account/export.html", {"data": data})


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def export_json(request: HttpRequest) -> HttpResponse:
    """The export as a file, on a POST (a GET leads to the page with the buttons)."""
    if request.method == "GET":
        return redirect("mutual_export")
    person = _person(request)
    at = timezone.now()
    data = account_export(person=person, at=at)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mutual-export.json"'
    return response


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.method == "POST":
        if request.POST.get("confirm") != "delete":
            messages.error(
                request, gettext("Tick the box to confirm that you want to delete everything.")
            )
            return render(request, "account/delete.html", status=422)
        account_delete(person=person, at=timezone.now())
        logout(request)
        mark_signed_out(request)
        return render(request, "account/deleted.html")
    return render(request, "account/delete.html")
