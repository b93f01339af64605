"""The mails the account pages send, in Mutual's words: a new password, a reset asked for
an address with no account, and confirming an added address. None reads like the
library's stock mail; each carries its one link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from factories import reauthenticated, signed_in
from mutual.accounts.models import Person

pytestmark = pytest.mark.django_db

STOCK = (
    "Hello from",
    "You're receiving this",
    "You are receiving this",
    "Thank you for using",
    "example.com",
    "Password Reset Email",
    "Unknown Account",
    "Please Confirm",
    "our database",
)


def only_mail() -> mail.EmailMessage:
    [sent] = mail.outbox
    for words in STOCK:
        assert words not in f"{sent.subject}\n{sent.body}", words
    assert sent.body.rstrip().endswith("Mutual")
    return sent


def test_a_new_password_mail(alice: Person) -> None:
    Client().post("/accounts/password/reset/", {"email": alice.email})
    sent = only_mail()
    assert sent.subject == "A new password for Mutual"
    assert re.search(r"https?://\S+/accounts/password/reset/key/\S+/", sent.body)
    assert "your password stays as it is" in sent.body


def test_a_reset_for_an_address_with_no_account(db: None) -> None:
    Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    sent = only_mail()
    assert sent.subject == "About your visit to Mutual"
    assert "nobody@example.org" in sent.body
    assert "/accounts/signup/" in sent.body


def test_confirming_an_added_address(alice: Person) -> None:
    client = reauthenticated(signed_in(alice))
    mail.outbox.clear()
    answer = client.post("/accounts/email/", {"action_add": "", "email": "alice.home@example.org"})
    assert answer.status_code == 302
    sent = only_mail()
    assert sent.to == ["alice.home@example.org"]
    assert sent.subject == "Confirm your address for Mutual"
    assert re.search(r"https?://\S+/accounts/confirm-email/\S+/", sent.body)
