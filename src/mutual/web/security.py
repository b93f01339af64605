"""Mutual's web armour: response headers, quiet logs and error reports.

* :class:`SecurityHeadersMiddleware` adds ``Cache-Control: no-store`` to every dynamic
  response (static files are served earlier by WhiteNoise), ``Clear-Site-Data`` to the
  response that signs someone out, and a ``Permissions-Policy`` that turns off every
  powerful browser feature. CSP comes from django-csp (see settings); nosniff, HSTS and
  the referrer policy from Django's ``SecurityMiddleware``.
* :func:`mark_signed_out` marks a response as the one that signs someone out (the
  device sessions and the idle lock, which decide when, live in
  :mod:`mutual.accounts.middleware`).
* :class:`QuietExceptionReporterFilter` keeps every submitted field and every local
  variable out of error reports, so that no revelation text reaches a log or a mail.
* :func:`configure_logging` and :class:`QuietExceptionReporter` keep exception messages
  out of every log record and error report: an exception may quote whatever it was
  given — a name, an answer — so only its type and where it happened are reported.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

#: What a sign-out asks the browser to forget. Not ``"cookies"``: that would drop the
#: trusted-device mark too, and a partner's guesses could then keep the owner out
#: (docs/security.md, "What a sign-out clears and keeps"). The session and CSRF cookies
#: are expired one by one instead (:func:`_expire_cookies`).
CLEAR_SITE_DATA = '"cache", "storage"'
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
#: The session key under which the time of the last request is kept (idle lock).
LAST_ACTIVITY = "mutual_last_activity"
#: How often the "last seen" of a device session is written, at most.
SEEN_EVERY = timedelta(minutes=1)


def mark_signed_out(request: HttpRequest) -> None:
    """Ask for ``Clear-Site-Data`` on the response to this request."""
    request._mutual_signed_out = True  # type: ignore[attr-defined]


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "_mutual_signed_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
            _expire_cookies(response)
        return response


def _expire_cookies(response: HttpResponse) -> None:
    """Expire the session and CSRF cookies of a signed-out browser — unless this very
    response gives it fresh ones (a page with a form on it) — and keep every other cookie,
    the trusted-device mark above all."""
    for name, path in (
        (settings.SESSION_COOKIE_NAME, settings.SESSION_COOKIE_PATH),
        (settings.CSRF_COOKIE_NAME, settings.CSRF_COOKIE_PATH),
    ):
        if name not in response.cookies or not response.cookies[name].value:
            response.delete_cookie(name, path=path, samesite="Lax")


class QuietExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports carry no submitted values, settings or local variables."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return {name: self.cleansed_substitute for name in tb_frame.f_locals}.items()

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        return {key: self.cleansed_substitute for key in getattr(request, "META", {})}

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, Any]:
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}


# ---------------------------------------------------------------------------------------
# Exception messages withheld from logs and reports

#: What a withheld exception says instead of its message.
WITHHELD = "(message withheld: it may quote what people wrote)"


class WithheldError(Exception):
    """Stands in for an exception in logs and reports: the same type name and the same
    traceback (so where it happened is reported), without message, arguments or notes."""


_STAND_INS: dict[type[BaseException], type[WithheldError]] = {}


def _withheld_type(kind: type[BaseException]) -> type[WithheldError]:
    """A stand-in type that prints as ``kind`` does (module and name), made once."""
    found = _STAND_INS.get(kind)
    if found is None:
        found = type(
            kind.__name__,
            (WithheldError,),
            {"__module__": kind.__module__, "__qualname__": kind.__qualname__},
        )
        _STAND_INS[kind] = found
    return found


def withheld(error: BaseException, _seen: set[int] | None = None) -> BaseException:
    """``error`` and the exceptions it came from, each reduced to its type and traceback."""
    if isinstance(error, WithheldError):
        return error
    seen = _seen if _seen is not None else set()
    seen.add(id(error))
    quiet = _withheld_type(type(error))(WITHHELD).with_traceback(error.__traceback__)
    for link in ("__cause__", "__context__"):
        earlier = getattr(error, link)
        if earlier is not None and id(earlier) not in seen:
            setattr(quiet, link, withheld(earlier, seen))
    quiet.__suppress_context__ = error.__suppress_context__
    return quiet


def quiet_record(record: logging.LogRecord) -> None:
    """Withhold the message of every exception a log record carries."""
    if record.exc_info and isinstance(record.exc_info[1], BaseException):
        error = withheld(record.exc_info[1])
        record.exc_info = (type(error), error, error.__traceback__)
        record.exc_text = None
    if isinstance(record.msg, BaseException):
        record.msg = withheld(record.msg)
    if isinstance(record.args, tuple) and any(isinstance(a, BaseException) for a in record.args):
        record.args = tuple(withheld(a) if isinstance(a, BaseException) else a for a in record.args)


def configure_logging(config: dict[str, Any]) -> None:
    """Django's ``LOGGING_CONFIG``: the dictionary configuration, then every log record of
    the process — whichever logger, handler or library — made with its exception withheld
    (:func:`quiet_record`), before any handler or filter sees it."""
    logging.config.dictConfig(config)
    previous = logging.getLogRecordFactory()
    if getattr(previous, "mutual_quiet", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        quiet_record(record)
        return record

    factory.mutual_quiet = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class QuietExceptionReporter(ExceptionReporter):
    """Error reports (the debug page, mail to the operator) name the exception's type and
    show its traceback, never its message; query values are withheld like form fields,
    and the person is named by id alone."""

    def __init__(
        self,
        request: HttpRequest | None,
        exc_type: Any,
        exc_value: Any,
        tb: Any,
        is_email: bool = False,
    ) -> None:
        if isinstance(exc_value, BaseException):
            exc_value = withheld(exc_value)
            exc_type = type(exc_value)
        super().__init__(request, exc_type, exc_value, tb, is_email)

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = self.filter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_insecure_uri"] = self.request.path
            # A person is named by their id: their name and address are theirs.
            person = getattr(getattr(self.request, "user", None), "pk", None)
            data["user_str"] = f"person {person}" if person is not None else None
        return data
