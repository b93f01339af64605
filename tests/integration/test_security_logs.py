"""SECURITY.md 8, 19 and 22: no revelation text in logs, error reports or mail; mail
carries no partner name; the admin registers no model that holds revelation text."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from factories import CANARY, PASSWORD, signed_in, world
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db


def _failing_view(request: HttpRequest) -> HttpResponse:
    body = request.POST.get("body", "")
    answer = {"text": body, "length": len(body)}
    raise RuntimeError(f"the database went away while saving {len(answer)} fields")


#: A name a person chose, carried by an exception's message, arguments, note and cause
#: (made up of parts, so that the source lines a report shows do not hold it).
NAME_CANARY = "Dave $\\frac{x}$ " + "-".join(("name", "canary", "3c9e"))


def _failing_with_a_name(request: HttpRequest) -> HttpResponse:
    name = request.user.display_name  # type: ignore[union-attr]
    try:
        raise KeyError(name)
    except KeyError as inner:
        error = ValueError(f"cannot draw the legend for {name}", name)
        error.add_note(f"partner: {name}")
        raise error from inner


urlpatterns = [
    path("test-failure/", _failing_view),
    path("test-failure-named/", _failing_with_a_name),
    path("", include("mutual.config.urls")),
]


@pytest.fixture
def failing_site(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.ADMINS = [("Operator", "operator@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    handler = logging.StreamHandler()
    parts = []
    for record in caplog.records:
        parts.append(handler.format(record))
        parts.append(repr(record.__dict__))
    return "\n".join(parts)


@contextmanager
def _real_handlers() -> Iterator[io.StringIO]:
    """What the configured handlers (not pytest's) write, captured in one buffer."""
    buffer = io.StringIO()
    swapped = []
    for name in ("", "django", "django.request", "mutual"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and not type(
                handler
            ).__module__.startswith("_pytest"):
                # Not ``setStream``: it flushes the old stream, which may be an output
                # that pytest captured for an earlier test and has closed since.
                swapped.append((handler, handler.stream))
                handler.stream = buffer
    assert swapped, "the configured console handler was found"
    try:
        yield buffer
    finally:
        for handler, stream in swapped:
            handler.stream = stream


def _everything_mailed() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, repr(message.to)]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


def test_req22_a_forced_error_leaks_no_revelation_text(
    failing_site: None, caplog: pytest.LogCaptureFixture
) -> None:
    w = world()
    client = signed_in(w.alice, Client(raise_request_exception=False))
    mail.outbox.clear()
    with caplog.at_level(logging.DEBUG):
        response = client.post("/test-failure/", {"body": CANARY}, HTTP_X_NOTE=CANARY)
    assert response.status_code == 500
    assert CANARY.encode() not in response.content
    logged = _everything_logged(caplog)
    # The error itself is reported, by its kind and where it happened…
    assert "RuntimeError" in logged
    assert "_failing_view" in logged
    assert CANARY not in logged  # …without what the person wrote
    assert len(mail.outbox) == 1  # the operator is told by mail…
    assert "RuntimeError" in _everything_mailed()
    assert CANARY not in _everything_mailed()  # …without what the person wrote


def test_f9_a_name_inside_a_failure_reaches_no_log_report_or_page(
    failing_site: None, caplog: pytest.LogCaptureFixture
) -> None:
    """The exception's type and where it happened are reported; its message, arguments,
    notes and the exception it came from are not, since any of them may hold a name."""
    w = world()
    w.alice.display_name = NAME_CANARY
    w.alice.save(update_fields=["display_name"])
    client = Client(raise_request_exception=False)
    client.force_login(w.alice)
    mail.outbox.clear()
    with caplog.at_level(logging.DEBUG), _real_handlers() as written:
        response = client.get("/test-failure-named/")
    assert response.status_code == 500
    assert b"name-canary" not in response.content
    logged, printed, mailed = _everything_logged(caplog), written.getvalue(), _everything_mailed()
    for output in (logged, printed, mailed):
        assert "name-canary" not in output
        assert "ValueError" in output  # the kind of failure…
    for output in (logged, printed):
        assert "_failing_with_a_name" in output  # …and where it happened
        assert "KeyError" in output  # the exception it came from, by kind alone


def test_f9_even_the_debug_page_names_the_failure_but_not_the_name(
    failing_site: None, settings: Any
) -> None:
    settings.DEBUG = True
    w = world()
    w.alice.display_name = NAME_CANARY
    w.alice.save(update_fields=["display_name"])
    client = Client(raise_request_exception=False)
    client.force_login(w.alice)
    response = client.get("/test-failure-named/", {"q": "name-canary-in-the-query"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "ValueError" in page
    assert "_failing_with_a_name" in page
    assert "name-canary" not in page


def test_req22_ordinary_use_logs_no_revelation_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        w = world()
        client = signed_in(w.bob)
        client.get(f"/exchanges/{w.exchange.pk}/")
        safety_services.revelation_withdraw(
            revelation=w.alice_rev, person=w.alice, at=w.exchange.opened_at
        )
    assert CANARY not in _everything_logged(caplog)


def test_req8_mail_carries_no_content_and_no_partner_name() -> None:
    w = world()
    mail.outbox.clear()
    Client().post("/accounts/password/reset/", {"email": w.alice.email})
    client = signed_in(w.alice)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.post("/accounts/email/", {"action_add": "", "email": "alice.new@example.org"})
    assert mail.outbox, "the flows above send mail"
    mailed = _everything_mailed()
    assert CANARY not in mailed
    assert w.bob.display_name not in mailed
    assert w.bob.email not in mailed


def _holds_text(model: type[models.Model]) -> bool:
    for field in model._meta.get_fields():
        if isinstance(field, models.BinaryField) or field.name.endswith("_enc"):
            return True
    return False


def test_req19_the_admin_registers_no_model_that_holds_revelation_text() -> None:
    from mutual.bonds import models as bond_models

    holders = [m for m in vars(bond_models).values() if isinstance(m, type)]
    holders = [m for m in holders if issubclass(m, models.Model) and _holds_text(m)]
    assert bond_models.Revelation in holders  # the check recognises a holder…
    for model in admin.site._registry:
        assert not _holds_text(model), model  # …and the admin registers none
