"""When each side was first honored at each depth and theme is stored (``FirstHonored``),
not aggregated from every rating on every read: the migration fills it from the ratings
already given (SQLite, and PostgreSQL with ``MUTUAL_TEST_DB=postgres``), the ledger keeps
it with each rating, and it says exactly what the aggregate over the ratings said —
also after the revealer deleted their account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Min

from history import seed_history
from mutual.accounts import crypto
from mutual.accounts.models import Person
from mutual.bonds import ledger, selectors, services
from mutual.bonds.models import Bond, FirstHonored, Rating
from mutual.yourdata import services as yourdata_services
from schema_steps import latest, migrate, schema_at

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
BEFORE = [("bonds", "0010_response_is_reply")]
PASSWORD = "a long and quiet evening"


def aggregated(bond: Bond, before: datetime | None = None) -> dict[tuple[str, int, str], date]:
    """What the read computed before the table: every honored rating of the bond, grouped
    by side, depth and theme, the earliest of each."""
    ratings = Rating.objects.filter(revelation__exchange__bond=bond)
    if before is not None:
        ratings = ratings.filter(created_at__lt=before)
    rows = (
        ratings.annotate(total=F("understood") + F("validated") + F("cared"))
        .filter(total__gte=ledger.honored_total())
        .values(
            "revelation__side",
            "revelation__exchange__prompt__depth",
            "revelation__exchange__prompt__theme",
        )
        .annotate(first=Min("created_at"))
    )
    return {
        (
            r["revelation__side"],
            r["revelation__exchange__prompt__depth"],
            r["revelation__exchange__prompt__theme"],
        ): r["first"].date()
        for r in rows
    }


@pytest.fixture
def old_schema() -> Iterator[MigrationExecutor]:
    with schema_at(BEFORE) as executor:
        yield executor


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_table_from_the_ratings_given(
    old_schema: MigrationExecutor,
) -> None:
    apps = old_schema.loader.project_state(BEFORE).apps
    OldPerson = apps.get_model("accounts", "Person")
    OldBond = apps.get_model("bonds", "Bond")
    OldPrompt = apps.get_model("bonds", "Prompt")
    OldExchange = apps.get_model("bonds", "Exchange")
    OldRevelation = apps.get_model("bonds", "Revelation")
    OldRating = apps.get_model("bonds", "Rating")
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
    joys = OldPrompt.objects.filter(bond__isnull=True, depth=0, theme="joys").first()
    hurts = OldPrompt.objects.filter(bond__isnull=True, depth=1, theme="hurts").first()
    honored, low = ledger.honored_total(), ledger.honored_total() - 1
    # (prompt, day, the revealer's side, sum of the scores)
    given = [
        (joys, 3, "a", honored),
        (joys, 1, "a", honored + 3),  # earlier: this one is the first
        (joys, 0, "a", low),  # earliest, but not honored
        (joys, 2, "b", 21),
        (hurts, 4, "b", low),  # never honored at this depth and theme
    ]
    for n, (prompt, day, side, total) in enumerate(given):
        at = AT + timedelta(days=day)
        exchange = OldExchange.objects.create(
            bond=bond, prompt=prompt, opened_by="a", opened_at=at - timedelta(minutes=n + 1)
        )
        revelation = OldRevelation.objects.create(
            exchange=exchange,
            author=alice if side == "a" else bob,
            side=side,
            body_enc=b"sealed",
            created_at=at,
        )
        scores = (7, 7, total - 14) if total > 14 else (total - 2, 1, 1)
        OldRating.objects.create(
            revelation=revelation,
            understood=scores[0],
            validated=scores[1],
            cared=scores[2],
            created_at=at,
        )

    migrate(latest())

    rows = {
        (r.side, r.depth, r.theme): (r.at, r.revealer_id)
        for r in FirstHonored.objects.filter(bond_id=bond.pk)
    }
    assert rows == {
        ("a", 0, "joys"): (AT + timedelta(days=1), alice.pk),
        ("b", 0, "joys"): (AT + timedelta(days=2), bob.pk),
    }
    fresh = Bond.objects.get(pk=bond.pk)
    assert selectors.first_honored(fresh) == aggregated(fresh)
    for day in range(5):
        before = AT + timedelta(days=day)
        assert selectors.first_honored(fresh, before=before) == aggregated(fresh, before)


def _pair() -> tuple[Person, Person, Bond]:
    alice, bob = (
        Person.objects.create_user(f"{n}@example.org", PASSWORD, display_name=n.capitalize())
        for n in ("alice", "bob")
    )
    bond = services.bond_create(creator=alice, kind="partners", at=AT)
    _invite, code = services.invite_create(bond=bond, by=alice, at=AT)
    bond = services.invite_accept(code=code, person=bob, at=AT)
    return alice, bob, bond


@pytest.mark.django_db
def test_the_ledger_keeps_what_the_ratings_say() -> None:
    alice, bob, bond = _pair()
    bond = seed_history(bond=bond, alice=alice, bob=bob, exchanges=60, start=AT)
    assert selectors.first_honored(bond) == aggregated(bond)
    assert len(selectors.first_honored(bond)) > 2
    for hours in range(0, 61, 7):
        before = AT + timedelta(hours=hours)
        assert selectors.first_honored(bond, before=before) == aggregated(bond, before)


@pytest.mark.django_db
def test_a_rating_through_the_service_is_stored_at_once() -> None:
    alice, bob, bond = _pair()
    prompt = services.prompt_write(
        bond=bond, by=alice, text="What lifts you?", depth=0, theme="joys",
        emotional=False, at=AT,
    )  # fmt: skip
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=AT)
    mine = services.revelation_write(
        exchange=exchange, author=alice, body="Mornings.", emotional=False, at=AT
    )
    services.revelation_write(exchange=exchange, author=bob, body="Music.", emotional=False, at=AT)
    services.reply_write(
        revelation=mine, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=AT
    )
    later = AT + timedelta(hours=1)
    services.rating_give(
        revelation=mine, rater=alice, understood=7, validated=7, cared=7, thanked=False, at=later
    )
    assert selectors.first_honored(bond) == {("a", 0, "joys"): later.date()}
    assert selectors.first_honored(bond) == aggregated(bond)


@pytest.mark.django_db
def test_the_rows_go_with_the_revealers_account_as_their_ratings_do() -> None:
    alice, bob, bond = _pair()
    bond = seed_history(bond=bond, alice=alice, bob=bob, exchanges=30, start=AT)
    sides = {side for side, _d, _t in selectors.first_honored(bond)}
    assert sides == {"a", "b"}
    yourdata_services.account_delete(person=bob, at=AT + timedelta(days=2))
    bond = Bond.objects.get(pk=bond.pk)
    assert selectors.first_honored(bond) == aggregated(bond)
    assert {side for side, _d, _t in selectors.first_honored(bond)} == {"a"}
