"""An unreachable database answers a calm 503 with Retry-After, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from mutual.config import urls as mutual_urls


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def plain_bug(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug, not an outage")


# The test views, then Mutual's own (the error pages link to them).
urlpatterns = [
    path("gone/", database_gone),
    path("closed/", connection_closed),
    path("api/v1/gone/", database_gone),
    path("bug/", plain_bug),
    *mutual_urls.urlpatterns,
]


class SessionStoreDown:
    """Stands for the session middleware failing to reach the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raise OperationalError("could not connect to server")


@pytest.fixture
def client() -> Client:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    return Client(raise_request_exception=False)


pytestmark = pytest.mark.urls(__name__)


@pytest.mark.parametrize("url", ["/gone/", "/closed/"])
def test_a_view_that_cannot_reach_the_database_answers_503(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert b"Nothing you have written is lost" in response.content


def test_the_api_answers_503_as_a_problem_document(client: Client) -> None:
    response = client.get("/api/v1/gone/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503


def test_a_middleware_that_cannot_reach_the_database_also_gives_503(client: Client) -> None:
    middleware = list(settings.MIDDLEWARE)
    at = middleware.index("mutual.web.unavailable.DatabaseUnavailableMiddleware")
    middleware.insert(at + 1, f"{__name__}.SessionStoreDown")
    with override_settings(MIDDLEWARE=middleware):
        response = client.get("/gone/")
    assert response.status_code == 503


def test_any_other_error_stays_a_500(client: Client) -> None:
    assert client.get("/bug/").status_code == 500
