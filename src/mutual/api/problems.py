"""Errors as ``application/problem+json`` (RFC 9457): type, title, status, detail."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, pgettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from mutual.bonds.errors import ServiceError

logger = logging.getLogger("mutual.api")

PROBLEM_TYPE = "application/problem+json"
TYPE_BASE = "https://mutual.invalid/problems/"


#: The title of each problem the API answers with: the status's own name, in the reader's
#: language (RFC 9457 lets a title be localised; ``type`` and ``status`` stay the same).
TITLES = {
    400: pgettext_lazy("problem title", "Bad Request"),
    401: pgettext_lazy("problem title", "Unauthorized"),
    403: pgettext_lazy("problem title", "Forbidden"),
    404: pgettext_lazy("problem title", "Not Found"),
    405: pgettext_lazy("problem title", "Method Not Allowed"),
    409: pgettext_lazy("problem title", "Conflict"),
    413: pgettext_lazy("problem title", "Request Entity Too Large"),
    422: pgettext_lazy("problem title", "Unprocessable Entity"),
    429: pgettext_lazy("problem title", "Too Many Requests"),
    500: pgettext_lazy("problem title", "Internal Server Error"),
    503: pgettext_lazy("problem title", "Service Unavailable"),
}


def title(status: int) -> str:
    """The title of a problem with ``status``."""
    known = TITLES.get(status)
    return str(known) if known is not None else HTTPStatus(status).phrase


class FieldError(Schema):
    """One invalid input field: where it is and what is wrong with it."""

    location: list[str | int]
    message: str


class Problem(Schema):
    """An error answer (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """An error that the API itself raises (not a service's)."""

    def __init__(
        self, status: int, detail: str, *, slug: str = "", headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug
        self.headers = headers or {}


class RateLimited(ApiProblem):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            gettext("Too many requests. Try again in %(seconds)d seconds.")
            % {"seconds": retry_after},
            slug="rate-limited",
            headers={"Retry-After": str(retry_after)},
        )


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem(
    status: int,
    detail: str,
    *,
    slug: str = "",
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + (slug or _slug(status)),
        "title": title(status),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors(exc: ValidationError) -> list[dict[str, Any]]:
    out = []
    for error in exc.errors:
        location = [p if isinstance(p, int) else str(p) for p in error.get("loc", ())]
        out.append({"location": location, "message": str(error.get("msg", "invalid"))})
    return out


def install(api: NinjaAPI) -> None:
    """Make every error of ``api`` a problem+json answer."""

    @api.exception_handler(ServiceError)
    def _service(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return problem(exc.status, exc.message)

    @api.exception_handler(ApiProblem)
    def _api(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem(exc.status, exc.detail, slug=exc.slug, headers=exc.headers)

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = _field_errors(exc)
        summary = "; ".join(
            f"{'.'.join(str(p) for p in e['location'][1:]) or e['location'][0]}: {e['message']}"
            for e in errors[:3]
        )
        not_valid = gettext("The request is not valid.")
        detail = f"{not_valid} {summary}".strip()
        return problem(422, detail, errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            401,
            gettext("A valid bearer token is required: send 'Authorization: Bearer <token>'."),
            headers={"WWW-Authenticate": 'Bearer realm="mutual"'},
        )

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            return problem(400, gettext("The body must be a JSON object; nothing was changed."))
        return problem(exc.status_code, str(exc.message))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, gettext("Not found."))

    @api.exception_handler(Exception)
    def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        return problem(
            500, gettext("Something went wrong on our side; the request could not be completed.")
        )
