"""What waits for each person, and the page of all exchanges.

The home page reads what waits from bits kept on each exchange (``mutual.bonds.waiting``)
and shows only the newest exchanges; every exchange stays reachable from the page of all
exchanges, a page at a time. Nothing that waits is lost however long the history is.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factories import person
from history import seed_history
from mutual.accounts.models import Person
from mutual.bonds import selectors, services, waiting
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 9, 1, 9, tzinfo=UTC)


@pytest.fixture
def alice() -> Person:
    return person("Alice")


@pytest.fixture
def bob() -> Person:
    return person("Bob")


def bond_of(alice: Person, bob: Person, exchanges: int = 0) -> Bond:
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    if exchanges:
        bond = seed_history(bond=bond, alice=alice, bob=bob, exchanges=exchanges, start=T0)
    return Bond.objects.get(pk=bond.pk)


def own_prompt(bond: Bond, text: str) -> Prompt:
    assert bond.person_a is not None
    return services.prompt_write(
        bond=bond, by=bond.person_a, text=text, depth=0, theme="joys", emotional=False, at=T0
    )


def client_for(who: Person) -> Client:
    client = Client()
    client.force_login(who)
    return client


def bits(exchange: Exchange) -> tuple[int, int]:
    row = Exchange.objects.get(pk=exchange.pk)
    return row.waits_a, row.waits_b


def test_the_bits_follow_an_exchange_through_the_whole_loop(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob)
    at = T0 + timedelta(days=1)
    ex = services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Q"), at=at)
    assert bits(ex) == (waiting.ANSWER, waiting.ANSWER)
    mine = services.revelation_write(exchange=ex, author=alice, body="A", emotional=False, at=at)
    assert bits(ex) == (0, waiting.ANSWER)
    theirs = services.revelation_write(exchange=ex, author=bob, body="B", emotional=False, at=at)
    assert bits(ex) == (waiting.REPLY, waiting.REPLY)
    services.reply_write(
        revelation=theirs, author=alice, heard="h", makes_sense="m", care="c", costly=False, at=at
    )
    assert bits(ex) == (0, waiting.REPLY | waiting.RATE)
    services.rating_give(
        revelation=theirs, rater=bob, understood=6, validated=6, cared=6, thanked=True, at=at
    )
    assert bits(ex) == (0, waiting.REPLY)
    safety_services.revelation_withdraw(revelation=mine, person=alice, at=at)
    assert bits(ex) == (0, 0)


def test_taking_back_a_sealed_answer_makes_the_question_wait_again(
    alice: Person, bob: Person
) -> None:
    bond = bond_of(alice, bob)
    ex = services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Q"), at=T0)
    mine = services.revelation_write(exchange=ex, author=alice, body="A", emotional=False, at=T0)
    services.revelation_take_back(revelation=mine, person=alice, at=T0)
    assert bits(ex) == (waiting.ANSWER, waiting.ANSWER)


def test_an_old_question_still_waits_behind_a_long_history(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob)
    old = services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Old one"), at=T0)
    bond = seed_history(
        bond=bond, alice=alice, bob=bob, exchanges=80, start=T0 + timedelta(hours=1)
    )
    home = selectors.bond_home(bond=bond, viewer=bob, at=T0 + timedelta(days=10))
    assert [(item.kind, item.exchange.pk) for item in home.waiting] == [("answer", old.pk)]
    assert len(home.history) == selectors.HISTORY_MAX
    assert home.more_history
    assert old.pk not in {item.exchange.pk for item in home.history}


def test_nothing_waits_in_a_paused_bond_and_waits_again_on_resume(
    alice: Person, bob: Person
) -> None:
    bond = bond_of(alice, bob)
    services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Q"), at=T0)
    safety_services.bond_pause(bond=bond, person=alice, at=T0)
    paused = Bond.objects.get(pk=bond.pk)
    assert selectors.bond_home(bond=paused, viewer=bob, at=T0).waiting == []
    safety_services.bond_resume(bond=paused, person=alice, at=T0)
    resumed = Bond.objects.get(pk=bond.pk)
    assert [i.kind for i in selectors.bond_home(bond=resumed, viewer=bob, at=T0).waiting] == [
        "answer"
    ]


def test_the_home_page_links_to_all_exchanges_only_when_there_are_more(
    alice: Person, bob: Person
) -> None:
    short = bond_of(alice, bob, exchanges=selectors.HISTORY_MAX)
    long = bond_of(alice, bob, exchanges=selectors.HISTORY_MAX + 1)
    client = client_for(alice)
    history_link = "All your exchanges"
    assert history_link not in client.get(reverse("bonds:bond", args=[short.pk])).content.decode()
    page = client.get(reverse("bonds:bond", args=[long.pk])).content.decode()
    assert history_link in page
    assert reverse("bonds:history", args=[long.pk]) in page


def test_the_page_of_all_exchanges_lists_every_exchange_a_page_at_a_time(
    alice: Person, bob: Person
) -> None:
    total = selectors.HISTORY_PAGE * 2 + 3
    bond = bond_of(alice, bob, exchanges=total)
    client = client_for(bob)
    url = reverse("bonds:history", args=[bond.pk])
    seen: list[str] = []
    for number in (1, 2, 3):
        page = client.get(url, {"page": number})
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"]
        html = page.content.decode()
        assert f"Page {number} of 3" in html
        every = Exchange.objects.filter(bond=bond).values_list("pk", flat=True)
        seen += [str(pk) for pk in every if str(pk) in html]
    assert sorted(seen) == sorted(
        str(pk) for pk in Exchange.objects.filter(bond=bond).values_list("pk", flat=True)
    )
    assert len(seen) == total
    first = client.get(url).content.decode()
    newest = Exchange.objects.filter(bond=bond).order_by("-opened_at").first()
    assert newest is not None
    assert str(newest.pk) in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first


@pytest.mark.parametrize(
    ("asked", "shown"), [("0", 1), ("-1", 1), ("999", 2), ("last-one", 1), ("", 1), ("2", 2)]
)
def test_a_page_number_that_is_not_one_gives_the_nearest_page(
    alice: Person, bob: Person, asked: str, shown: int
) -> None:
    bond = bond_of(alice, bob, exchanges=selectors.HISTORY_PAGE + 1)
    page = client_for(alice).get(reverse("bonds:history", args=[bond.pk]), {"page": asked})
    assert page.status_code == 200
    assert f"Page {shown} of 2" in page.content.decode()


def test_the_page_of_all_exchanges_is_only_for_the_two(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, exchanges=2)
    charlie = person("Charlie")
    assert client_for(charlie).get(reverse("bonds:history", args=[bond.pk])).status_code == 404
    anonymous = Client().get(reverse("bonds:history", args=[bond.pk]))
    assert anonymous.status_code == 302


def test_the_page_of_all_exchanges_marks_what_waits_and_keeps_sealed_text_out(
    alice: Person, bob: Person
) -> None:
    bond = bond_of(alice, bob)
    ex = services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Shared Q"), at=T0)
    services.revelation_write(
        exchange=ex, author=alice, body="sealed-canary-7731", emotional=False, at=T0
    )
    html = client_for(bob).get(reverse("bonds:history", args=[bond.pk])).content.decode()
    assert "Shared Q" in html
    assert "Waiting for you: your answer" in html
    assert "sealed-canary-7731" not in html
    mine = client_for(alice).get(reverse("bonds:history", args=[bond.pk])).content.decode()
    assert "Waiting for you" not in mine
    assert "you answered; sealed until you both answer" in mine


def test_the_page_of_all_exchanges_costs_the_same_queries_at_any_length(
    alice: Person, bob: Person
) -> None:
    small = bond_of(alice, bob, exchanges=selectors.HISTORY_PAGE + 1)
    large = bond_of(alice, bob, exchanges=selectors.HISTORY_PAGE * 6)
    client = client_for(alice)

    def count(bond: Bond, page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(reverse("bonds:history", args=[bond.pk]), {"page": page}).status_code
                == 200
            )
        return len(captured.captured_queries)

    count(small, 1)
    assert count(small, 1) == count(large, 1) == count(large, 5)


def test_the_migration_derives_the_bits_of_existing_exchanges(alice: Person, bob: Person) -> None:
    """``0003`` fills the bits of exchanges written before they existed."""
    bond = bond_of(alice, bob)
    at = T0 + timedelta(days=1)
    ex = services.exchange_open(bond=bond, by=alice, prompt=own_prompt(bond, "Q"), at=at)
    services.revelation_write(exchange=ex, author=alice, body="A", emotional=False, at=at)
    theirs = services.revelation_write(exchange=ex, author=bob, body="B", emotional=False, at=at)
    services.reply_write(
        revelation=theirs, author=alice, heard="h", makes_sense="m", care="c", costly=False, at=at
    )
    sealed = services.exchange_open(bond=bond, by=bob, prompt=own_prompt(bond, "Q2"), at=at)
    expected = {ex.pk: bits(ex), sealed.pk: bits(sealed)}
    Exchange.objects.filter(bond=bond).update(waits_a=0, waits_b=0)
    name = "0003_waiting_and_reading_index"
    migration = importlib.import_module(f"mutual.bonds.migrations.{name}")
    # The models as they stood at that migration, as ``migrate`` hands them to it.
    then = MigrationLoader(connection).project_state(("bonds", name)).apps
    migration.fill_waiting(then, connection.schema_editor())
    assert {pk: bits(Exchange(pk=pk)) for pk in expected} == expected
    # Alice replied to Bob: he has her answer to reply to and her reply to rate.
    assert expected[ex.pk] == (0, waiting.REPLY | waiting.RATE)
    assert expected[sealed.pk] == (waiting.ANSWER, waiting.ANSWER)
    assert Revelation.objects.filter(exchange=ex).count() == 2
