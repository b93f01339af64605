"""What the views of the core loop share: the signed-in person and links."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from mutual.accounts.models import Person

from ..errors import ServiceError
from ..models import Bond


def me(request: HttpRequest) -> Person:
    """The signed-in person (views that call this are behind ``login_required``)."""
    return cast(Person, request.user)


def bond_url(bond: Bond) -> str:
    return reverse("bonds:bond", args=[bond.pk])


def back_to_bond(request: HttpRequest, bond: Bond, error: ServiceError | None) -> HttpResponse:
    if error is not None:
        messages.error(request, error.message)
    return HttpResponseRedirect(bond_url(bond))
