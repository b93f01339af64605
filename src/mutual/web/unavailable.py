"""A calm 503 when the database is unreachable, instead of a 500.

When PostgreSQL restarts, fails over or is briefly out of connections, requests raise
``OperationalError`` or ``InterfaceError`` — in a view or already in a middleware that
reads the session. Django turns any of these into a 500 at the layer where it was raised;
the ``got_request_exception`` signal marks such a request, and the outermost middleware
swaps the 500 for a 503 with ``Retry-After``. A handler that catches every exception
itself (the API's) sends no signal: then a connection that failed in this request and is
unusable now tells the same story. Django closes the broken connection when the
request ends, so the next request reconnects by itself: service returns without help.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext

RETRY_AFTER_SECONDS = 5
MARK = "_mutual_database_unavailable"

#: The page, filled in the reader's language. It reads no template and no database.
PAGE = """<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Mutual</title></head>
<body>
<main>
<h1>{title}</h1>
<p>{text}</p>
</main>
</body>
</html>
"""


def page() -> str:
    """:data:`PAGE` in the active language."""
    return format_html(
        PAGE,
        lang=get_language() or "en",
        title=gettext("Mutual is taking a short breath"),
        text=gettext(
            "We cannot reach our storage for a moment. Nothing you have written is lost. "
            "Please try again in a few seconds."
        ),
    )


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def database_unreachable() -> bool:
    """Whether a connection failed in this request and cannot be used now: for a 500
    made by a handler that caught the error itself (the API's catch-all does), where the
    signal never fires. A bug's ``ProgrammingError`` leaves the connection usable, so it
    stays a 500."""
    for conn in connections.all(initialized_only=True):
        if conn.errors_occurred and (conn.connection is None or not conn.is_usable()):
            return True
    return False


def _mark(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        setattr(request, MARK, True)


got_request_exception.connect(_mark, dispatch_uid="mutual.web.unavailable")


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 answer: a problem document for the API, a plain calm page otherwise."""
    if request.path.startswith("/api/"):
        body = {
            "type": "https://mutual.invalid/problems/unavailable",
            "title": pgettext("problem title", "Service Unavailable"),
            "status": 503,
            "detail": gettext("The service is briefly unavailable. Try again in a few seconds."),
        }
        response = HttpResponse(
            json.dumps(body), status=503, content_type="application/problem+json"
        )
    else:
        response = HttpResponse(page(), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost: turns a 500 caused by an unreachable database into a 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError):
            return unavailable_response(request)
        if response.status_code == 500 and (
            getattr(request, MARK, False) or database_unreachable()
        ):
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return unavailable_response(request)
        return None
