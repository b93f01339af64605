"""Error pages keep the quick exit, the landmarks and the neutral title of every page."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from factories import person


def _looks_like_mutual(html: str) -> None:
    assert "<title>Mutual</title>" in html
    assert html.count("<main") == 1
    assert html.count("<h1") == 1
    assert "Quick exit" in html


@pytest.mark.django_db
def test_a_missing_exchange_answers_a_calm_404_with_the_quick_exit(client: Client) -> None:
    alice = person("Alice", display_name="")
    client.force_login(alice)
    response = client.get(f"/exchanges/{uuid.uuid4()}/")
    assert response.status_code == 404
    html = response.content.decode()
    _looks_like_mutual(html)
    assert "not yours to see" in html


@pytest.mark.django_db
def test_an_expired_form_answers_a_calm_403_that_changed_nothing() -> None:
    alice = person("Alice", display_name="")
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/bonds/", {"kind": "friends", "name": "Alice"})
    assert response.status_code == 403
    html = response.content.decode()
    _looks_like_mutual(html)
    assert "This form has expired" in html
    assert not alice.bonds_as_a.exists()


@pytest.mark.django_db
def test_a_server_error_page_renders_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    _looks_like_mutual(html)
    assert "Nothing you wrote is shown" in html


@pytest.mark.django_db
def test_the_sign_in_page_after_the_idle_lock_says_why(client: Client) -> None:
    html = client.get("/accounts/login/?locked=1").content.decode()
    assert "locked itself after a quiet while" in html
    assert "locked itself" not in client.get("/accounts/login/").content.decode()
