"""Fixtures of the API tests: personas with tokens, and a client that checks every answer
against the OpenAPI document (documented status, media type and body schema)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from werkzeug.test import Client
from werkzeug.test import TestResponse as WerkzeugResponse

from factories import built_once
from mutual.accounts.models import Person
from mutual.api.api import api as ninja_api
from mutual.api.tokens import token_issue

from .world import World, build_world


@pytest.fixture(scope="session", autouse=True)
def _static_root() -> None:
    """The static directory exists, as after ``collectstatic`` (whitenoise warns otherwise)."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def openapi() -> dict[str, Any]:
    return ninja_api.get_openapi_schema(path_prefix="/api/v1/")


@pytest.fixture(scope="session")
def contract(openapi: dict[str, Any]) -> Any:
    return schemathesis.openapi.from_dict(openapi)


@dataclass
class Answer:
    status: int
    headers: Any
    body: Any
    raw: WerkzeugResponse

    @property
    def detail(self) -> str:
        return str(self.body.get("detail", "")) if isinstance(self.body, dict) else ""


class ApiClient:
    """Calls the API in-process and checks each answer against the contract."""

    def __init__(self, contract: Any, token: str | None = None) -> None:
        self.contract = contract
        self.token = token
        self.client = Client(get_wsgi_application())
        #: The address requests come from.
        self.address = "127.0.0.1"

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.contract, token)

    def call(
        self, method: str, path: str, body: Any = None, *, token: str | None = None, **query: Any
    ) -> Answer:
        headers = {}
        bearer = token if token is not None else self.token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        response = self.client.open(
            "/api/v1" + path,
            method=method.upper(),
            headers=headers,
            query_string={k: v for k, v in query.items() if v is not None},
            data=None if body is None else json.dumps(body),
            content_type="application/json" if body is not None else None,
            environ_base={"REMOTE_ADDR": self.address},
        )
        self._check(method, path, response)
        text = response.get_data(as_text=True)
        return Answer(
            response.status_code, response.headers, json.loads(text) if text else None, response
        )

    def _check(self, method: str, path: str, response: WerkzeugResponse) -> None:
        operation = self.contract.find_operation_by_path(
            method.upper(), "/api/v1" + path.split("?")[0]
        )
        assert operation is not None, f"{method} {path} is not in the OpenAPI document"
        definition = operation.responses.find_by_status_code(response.status_code)
        assert definition is not None, (
            f"{method} {path} answered {response.status_code}, which the document does not list"
        )
        if response.status_code != 204:
            expected = (
                "application/problem+json" if response.status_code >= 400 else "application/json"
            )
            assert response.mimetype == expected, (method, path, response.mimetype)
        assert response.headers.get("Cache-Control") == "no-store"
        operation.validate_response(response)

    def get(self, path: str, **kw: Any) -> Answer:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Answer:
        return self.call("POST", path, body if body is not None else {}, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Answer:
        return self.call("PUT", path, body if body is not None else {}, **kw)

    def delete(self, path: str, **kw: Any) -> Answer:
        return self.call("DELETE", path, **kw)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests run in-process inside the test's transaction. As Django's own test client
    does, keep the end of a request from closing the database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def built_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world of ``world.py``, built once for a module (``factories.built_once``)."""
    yield from built_once(django_db_blocker, build_world)


@pytest.fixture
def world(db: None, built_world: World) -> World:
    """The module's world as it was built: each test runs in its own savepoint, with its
    own copies of the objects."""
    return copy.deepcopy(built_world)


def token_for(person: Person) -> str:
    return token_issue(person=person, label="tests", at=timezone.now())[1]


@pytest.fixture
def api(contract: Any, db: None) -> ApiClient:
    return ApiClient(contract)


@pytest.fixture
def as_alice(api: ApiClient, alice: Person) -> ApiClient:
    return api.as_(token_for(alice))


@pytest.fixture
def as_bob(api: ApiClient, bob: Person) -> ApiClient:
    return api.as_(token_for(bob))


@pytest.fixture
def as_charlie(api: ApiClient, charlie: Person) -> ApiClient:
    return api.as_(token_for(charlie))


@pytest.fixture
def bond_id(as_alice: ApiClient, as_bob: ApiClient) -> str:
    """Alice and Bob's active bond, made through the API."""
    created = as_alice.post("/bonds", {"kind": "partners"})
    invite = as_alice.post(f"/bonds/{created.body['id']}/invites")
    accepted = as_bob.post(f"/invites/{invite.body['code']}/accept")
    assert accepted.status == 200
    return str(created.body["id"])
