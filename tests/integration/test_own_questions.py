"""Questions people write are as protected as their answers: sealed with the author's own
key, readable by the two of the bond while both are in it, and gone — a neutral
placeholder wherever the question was shown — once the author deletes their account.
The deck's questions stay plain. Every page, API body and export reads a question through
one accessor, ``selectors.prompt_text_for``."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from factories import LATER_DAY, World, signed_in, world
from mutual.accounts.crypto import CryptoError
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds import selectors, services
from mutual.bonds.models import Bond, Exchange, Prompt
from mutual.safety import services as safety_services
from mutual.yourdata import services as account_services

pytestmark = pytest.mark.django_db

QUESTION = "QUESTION-CANARY-9b2e-what-do-you-never-say-out-loud"
GONE = "A question that is no longer here"
AT = LATER_DAY + timedelta(hours=1)
SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"


def _asked(w: World) -> tuple[Prompt, Exchange]:
    """Alice writes a question and asks it; both answer."""
    prompt = services.prompt_write(
        bond=w.bond, by=w.alice, text=QUESTION, depth=0, theme="joys", emotional=False, at=AT
    )
    exchange = services.exchange_open(bond=w.bond, by=w.alice, prompt=prompt, at=AT)
    for who in (w.alice, w.bob):
        services.revelation_write(
            exchange=exchange, author=who, body=f"{who.name}'s answer", emotional=False, at=AT
        )
    return prompt, exchange


def _bob_sees(w: World, exchange: Exchange) -> dict[str, str]:
    """Every place Bob meets the question: pages, API bodies, his export."""
    bob = Person.objects.get(pk=w.bob.pk)
    browser = signed_in(bob)
    bond = w.bond.pk
    seen = {
        url: browser.get(url).content.decode()
        for url in (
            f"/bonds/{bond}/",
            f"/bonds/{bond}/history/",
            f"/bonds/{bond}/prompts/",
            f"/exchanges/{exchange.pk}/",
        )
    }
    _token, raw = token_issue(person=bob, label="test", at=timezone.now())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path in (
        f"/bonds/{bond}/exchanges",
        f"/exchanges/{exchange.pk}",
        f"/bonds/{bond}/prompts?limit=200",
    ):
        response = api.get(f"/api/v1{path}")
        assert response.status_code == 200, path
        seen[f"api {path}"] = response.content.decode()
    seen["export"] = json.dumps(account_services.account_export(person=bob, at=timezone.now()))
    return seen


def test_f8_a_written_question_is_stored_sealed_with_its_authors_key() -> None:
    w = world()
    prompt, _exchange = _asked(w)
    stored = Prompt.objects.get(pk=prompt.pk)
    assert stored.text == ""
    assert stored.text_enc is not None
    assert QUESTION.encode() not in bytes(stored.text_enc)
    assert w.alice.open(bytes(stored.text_enc), stored.aad) == QUESTION
    with pytest.raises(CryptoError):
        w.bob.open(bytes(stored.text_enc), stored.aad)  # Bob's key cannot open it
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM bonds_prompt WHERE bond_id IS NOT NULL")
        assert [row[0] for row in cursor.fetchall()] == [""] * Prompt.objects.filter(
            bond__isnull=False
        ).count()


def test_f8_the_database_refuses_a_question_of_a_bond_in_plain_text() -> None:
    w = world()
    with pytest.raises(IntegrityError), transaction.atomic():
        Prompt.objects.create(text=QUESTION, depth=0, theme="joys", bond=w.bond, author=w.alice)


def test_f8_both_read_the_question_while_the_bond_holds() -> None:
    w = world()
    _prompt, exchange = _asked(w)
    seen = _bob_sees(w, exchange)
    seen.pop(f"/bonds/{w.bond.pk}/")  # the home page shows a question only while it waits
    assert [where for where, text in seen.items() if QUESTION not in text] == []


def test_f8_after_the_author_deletes_their_account_the_question_is_gone_everywhere() -> None:
    w = world()
    prompt, exchange = _asked(w)
    account_services.account_delete(person=w.alice, at=AT + timedelta(days=1))
    seen = _bob_sees(w, exchange)
    assert {where for where, text in seen.items() if QUESTION in text} == set()
    for where in (f"/exchanges/{exchange.pk}/", f"/bonds/{w.bond.pk}/history/", "export"):
        assert GONE in seen[where], where
    for where in (f"api /exchanges/{exchange.pk}", f"api /bonds/{w.bond.pk}/exchanges"):
        assert GONE in seen[where], where
    stored = Prompt.objects.get(pk=prompt.pk)
    assert stored.author_id is None
    assert stored.text == ""
    assert stored.text_enc is None


def test_f8_the_question_of_someone_who_left_is_gone_for_the_one_who_stays() -> None:

    w = world()
    _prompt, exchange = _asked(w)
    safety_services.bond_leave(bond=w.bond, person=w.alice, at=AT + timedelta(days=1))
    bob = Person.objects.get(pk=w.bob.pk)
    seen = selectors.exchange_get(id=exchange.pk, viewer=bob)
    assert selectors.exchange_view(exchange=seen, viewer=bob).prompt_text == GONE
    alice = Person.objects.get(pk=w.alice.pk)
    hers = selectors.exchange_get(id=exchange.pk, viewer=alice)
    assert selectors.exchange_view(exchange=hers, viewer=alice).prompt_text == QUESTION


def test_f8_deck_questions_stay_plain_for_everyone() -> None:
    w = world()
    deck = Prompt.objects.filter(bond__isnull=True).exclude(text="").first()
    assert deck is not None
    assert deck.text_enc is None
    bond = Bond.objects.get(pk=w.bond.pk)
    for viewer in (w.alice, w.bob):
        assert selectors.prompt_text_for(prompt=deck, bond=bond, viewer=viewer) == deck.text


#: Reading a question's words by hand would skip the rules: only the accessor does.
HAND_READ = re.compile(r"\bprompt\.text\b|\bp\.text\b|\bprompt_text\s*=\s*\w+\.text\b")


def test_f8_every_read_of_a_question_goes_through_one_accessor() -> None:
    allowed = {SRC / "bonds" / "selectors" / "access.py", SRC / "bonds" / "migrations"}
    found = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt"} or "simulate" in path.parts:
            continue
        if path in allowed or path.parent in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HAND_READ.search(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert found == []
