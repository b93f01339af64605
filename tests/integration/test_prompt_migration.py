"""The migration that seals the questions people wrote, run on a database with data in it
(SQLite, and PostgreSQL with ``MUTUAL_TEST_DB=postgres``): each written question is
sealed with its author's key and its plain column emptied; one whose author is gone is
emptied for good; the deck keeps its plain text. And it runs backwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mutual.accounts import crypto
from mutual.accounts.models import Person
from mutual.bonds import selectors
from mutual.bonds.models import Bond, Prompt
from schema_steps import latest, migrate, schema_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("bonds", "0005_version_per_side")]
SEALED = [("bonds", "0007_seal_own_prompts")]
QUESTION = "MIGRATION-CANARY-2d7f-what-would-you-ask-me-tonight"
ORPHAN = "MIGRATION-CANARY-orphan-whose-author-is-gone"
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def old_schema() -> Iterator[MigrationExecutor]:
    with schema_at(BEFORE) as executor:
        yield executor


def _plain_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM bonds_prompt WHERE bond_id IS NOT NULL ORDER BY text")
        return [row[0] for row in cursor.fetchall()]


def _old_world(executor: MigrationExecutor) -> dict[str, object]:
    """Alice and Bob in a bond, as the old schema stored it: two written questions in
    plain text, one by Alice and one whose author deleted their account."""
    apps = executor.loader.project_state(BEFORE).apps
    OldPerson = apps.get_model("accounts", "Person")
    OldBond = apps.get_model("bonds", "Bond")
    OldPrompt = apps.get_model("bonds", "Prompt")
    alice, bob = (
        OldPerson.objects.create(
            email=f"{name}@example.org",
            display_name=name.capitalize(),
            password="!",
            wrapped_key=crypto.new_wrapped_data_key(),
        )
        for name in ("alice", "bob")
    )
    bond = OldBond.objects.create(
        kind="partners", status="active", person_a=alice, person_b=bob, created_at=AT
    )
    own = OldPrompt.objects.create(
        text=QUESTION, depth=0, theme="joys", bond=bond, author=alice, created_at=AT
    )
    orphan = OldPrompt.objects.create(
        text=ORPHAN, depth=0, theme="joys", bond=bond, author=None, created_at=AT
    )
    deck = OldPrompt.objects.filter(bond__isnull=True).count()
    return {"alice": alice.pk, "bob": bob.pk, "bond": bond.pk, "own": own.pk,
            "orphan": orphan.pk, "deck": deck}  # fmt: skip


def test_f8_migration_seals_each_written_question_with_its_authors_key(
    old_schema: MigrationExecutor,
) -> None:
    ids = _old_world(old_schema)
    assert sorted(_plain_texts()) == sorted([QUESTION, ORPHAN])
    migrate(latest())
    assert _plain_texts() == ["", ""]
    alice, bob = Person.objects.get(pk=ids["alice"]), Person.objects.get(pk=ids["bob"])
    bond = Bond.objects.get(pk=ids["bond"])
    own = Prompt.objects.get(pk=ids["own"])
    assert QUESTION.encode() not in bytes(own.text_enc)
    for viewer in (alice, bob):
        assert selectors.prompt_text_for(prompt=own, bond=bond, viewer=viewer) == QUESTION
    orphan = Prompt.objects.get(pk=ids["orphan"])
    assert orphan.text_enc is None
    assert selectors.prompt_text_for(prompt=orphan, bond=bond, viewer=bob) == (
        selectors.QUESTION_GONE
    )
    deck = Prompt.objects.filter(bond__isnull=True)
    assert deck.count() == ids["deck"]
    assert not deck.filter(text="").exists()


def test_f8_migration_runs_backwards_to_plain_text(old_schema: MigrationExecutor) -> None:
    ids = _old_world(old_schema)
    migrate(SEALED)
    assert _plain_texts() == ["", ""]
    migrate(BEFORE)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldPrompt = apps.get_model("bonds", "Prompt")
    assert OldPrompt.objects.get(pk=ids["own"]).text == QUESTION
    assert OldPrompt.objects.get(pk=ids["orphan"]).text == ""  # gone for good
