"""The account pages in Mutual's own words and layout: each error beside its field,
nothing typed lost but passwords, and two-step sign-in that offers to send the
confirmation mail again right where it is asked for."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from factories import PASSWORD, person, reauthenticated, signed_in
from mutual.accounts.models import Person

pytestmark = pytest.mark.django_db

STOCK_WORDS = (
    "Sign Up",
    "Sign In",
    "Password (again)",
    "Confirm Access",
    "Password Reset",
    "Reset My Password",
    "Two-Factor Authentication",
    "Remember Me",
)


def field_block(html: str, name: str) -> str:
    """The ``<div class="field…">`` that holds the input called ``name``."""
    blocks = re.findall(
        r'<div class="field[^"]*">.*?</div>\s*(?=<div class="field|</form|<div)', html, re.S
    )
    found = [b for b in blocks if f'name="{name}"' in b]
    assert len(found) == 1, f"{name}: {len(found)} blocks"
    return found[0]


def test_a_short_password_is_refused_beside_its_field_and_the_address_stays() -> None:
    response = Client().post(
        reverse("account_signup"),
        {"email": "dora@example.org", "password1": "short", "password2": "short"},
    )
    html = response.content.decode()
    assert "too short" in field_block(html, "password1")
    assert "too short" not in field_block(html, "email")
    assert 'value="dora@example.org"' in field_block(html, "email")
    assert 'aria-invalid="true"' in field_block(html, "password1")
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in html
    assert not Person.objects.filter(email="dora@example.org").exists()


@pytest.mark.parametrize(
    "route",
    ["account_signup", "account_login", "account_reset_password", "account_reset_password_done"],
)
def test_the_entrance_pages_speak_in_mutuals_words(route: str) -> None:
    html = Client().get(reverse(route)).content.decode()
    assert [w for w in STOCK_WORDS if w in html] == []
    assert "placeholder=" not in html


def test_the_pages_behind_the_door_speak_in_mutuals_words() -> None:
    alice = person("Alice")
    client = signed_in(alice)
    for route in ("mfa_index", "account_change_password", "account_logout"):
        html = reauthenticated(client).get(reverse(route)).content.decode()
        assert [w for w in STOCK_WORDS if w in html] == [], route


def test_re_authentication_speaks_plainly() -> None:
    client = signed_in(person("Alice"))
    html = client.get(reverse("account_reauthenticate")).content.decode()
    assert "First, is it you?" in html
    assert [w for w in STOCK_WORDS if w in html] == []


def test_two_step_sign_in_offers_the_confirmation_mail_again() -> None:
    dora = Person.objects.create_user(
        "dora@example.org", PASSWORD, confirmed=False, display_name="Dora"
    )
    client = Client()
    client.force_login(dora)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "First, confirm that dora@example.org is yours" in page
    assert reverse("mutual_confirmation_resend") in page
    mail.outbox.clear()
    response = client.post(reverse("mutual_confirmation_resend"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    assert [m.to for m in mail.outbox] == [["dora@example.org"]]
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert client.get(reverse("mutual_confirmation_resend")).status_code == 405


def test_a_confirmed_address_is_not_asked_about() -> None:
    client = Client()
    client.force_login(person("Alice"))
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Send the confirmation mail again" not in page
    assert "Turn two-step sign-in on" in page


NOT_AN_EMAIL = "This does not look like an email address yet. Write it in full"


@pytest.mark.parametrize("typed", ["dora@", "dora.example.org", "dora@@example.org"])
def test_sign_up_refuses_a_malformed_address_in_mutuals_words_beside_it(typed: str) -> None:
    response = Client().post(
        reverse("account_signup"), {"email": typed, "password1": "x", "password2": "x"}
    )
    html = response.content.decode()
    assert NOT_AN_EMAIL in field_block(html, "email")
    assert "Enter a valid email address" not in html
    assert not Person.objects.filter(email__startswith="dora").exists()


def test_sign_in_and_reset_refuse_a_malformed_address_in_mutuals_words() -> None:
    for route, name in (("account_login", "login"), ("account_reset_password", "email")):
        html = Client().post(reverse(route), {name: "dora@", "password": "x"}).content.decode()
        assert NOT_AN_EMAIL in html, route
        assert "Enter a valid email address" not in html, route


def test_the_email_page_refuses_a_malformed_address_in_mutuals_words() -> None:
    alice = person("Alice")
    client = reauthenticated(signed_in(alice))
    response = client.post(reverse("account_email"), {"action_add": "", "email": "alice@home"})
    html = response.content.decode()
    assert NOT_AN_EMAIL in field_block(html, "email")
    assert "Enter a valid email address" not in html
    assert list(alice.emailaddress_set.values_list("email", flat=True)) == ["alice@example.org"]


@pytest.mark.parametrize("route", ["account_set_password", "account_confirm_login_code"])
def test_ways_in_mutual_does_not_offer_answer_not_found(route: str) -> None:
    """Setting a first password and signing in by a mailed code: no stock page, for
    anyone; a person without a usable password gets none set this way either."""
    keyless = person("Dora", password=None)
    without_password = Client()
    without_password.force_login(keyless)
    for client in (Client(), signed_in(person("Alice")), without_password):
        for answer in (
            client.get(reverse(route)),
            client.post(reverse(route), {"password1": PASSWORD, "password2": PASSWORD}),
        ):
            assert answer.status_code == 404
            assert "Nothing here" in answer.content.decode()
    keyless.refresh_from_db()
    assert not keyless.has_usable_password()
