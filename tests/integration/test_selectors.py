"""Selectors: the one place that decides who sees what, and the bond's home page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from factories import T0, deck_prompt
from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import selectors, services
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond, Exchange, Revelation

pytestmark = pytest.mark.django_db


def open_exchange(bond: Bond, by: Person) -> Exchange:
    return services.exchange_open(bond=bond, by=by, prompt=deck_prompt(), at=T0)


def answer(exchange: Exchange, who: Person, text: str) -> Revelation:
    return services.revelation_write(
        exchange=exchange, author=who, body=text, emotional=False, at=T0
    )


def test_anonymous_viewer_sees_no_bonds(bond: Bond) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.bonds_for(viewer=AnonymousUser())) == []
    with pytest.raises(NotFound):
        selectors.bond_get(id=bond.pk, viewer=AnonymousUser())


def test_stranger_gets_not_found_for_bond_exchange_and_revelation(
    bond: Bond, alice: Person, charlie: Person
) -> None:
    exchange = open_exchange(bond, alice)
    rev = answer(exchange, alice, "mine")
    with pytest.raises(NotFound):
        selectors.bond_get(id=bond.pk, viewer=charlie)
    with pytest.raises(NotFound):
        selectors.exchange_get(id=exchange.pk, viewer=charlie)
    with pytest.raises(NotFound):
        selectors.revelation_get(id=rev.pk, viewer=charlie)
    assert selectors.revelation_text_for(revelation=rev, viewer=charlie) is None
    with pytest.raises(NotFound):
        selectors.side_of(bond=bond, person=charlie)


def test_exchange_view_keeps_the_partner_answer_sealed(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = open_exchange(bond, alice)
    answer(exchange, bob, "bob's secret")
    view = selectors.exchange_view(exchange=exchange, viewer=alice)
    assert view.sealed
    assert view.theirs.answered
    assert view.theirs.text is None
    assert view.theirs.revelation is None
    assert view.can_write


def test_exchange_view_after_both_answered(bond: Bond, alice: Person, bob: Person) -> None:
    exchange = open_exchange(bond, alice)
    answer(exchange, alice, "alice's")
    answer(exchange, bob, "bob's")
    exchange = selectors.exchange_get(id=exchange.pk, viewer=alice)
    view = selectors.exchange_view(exchange=exchange, viewer=alice)
    assert not view.sealed
    assert (view.mine.text, view.theirs.text) == ("alice's", "bob's")
    assert view.theirs.can_reply
    assert not view.mine.can_reply


def test_a_withdrawn_answer_leaves_only_a_dated_tombstone(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = open_exchange(bond, alice)
    rev = answer(exchange, alice, "alice's")
    answer(exchange, bob, "bob's")
    Revelation.objects.filter(pk=rev.pk).update(withdrawn_at=T0 + timedelta(days=1))
    exchange = selectors.exchange_get(id=exchange.pk, viewer=bob)
    view = selectors.exchange_view(exchange=exchange, viewer=bob)
    assert view.theirs.text is None
    assert view.theirs.withdrawn_at == T0 + timedelta(days=1)
    assert not view.theirs.can_reply
    with pytest.raises(NotFound):
        selectors.revelation_get(id=rev.pk, viewer=bob)


def test_after_leaving_the_leaver_answers_are_hidden_from_the_other(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = open_exchange(bond, alice)
    rev = answer(exchange, alice, "alice's")
    answer(exchange, bob, "bob's")
    Bond.objects.filter(pk=bond.pk).update(status=Bond.Status.ENDED, left_by="a")
    rev = Revelation.objects.select_related("exchange__bond", "author").get(pk=rev.pk)
    assert selectors.revelation_text_for(revelation=rev, viewer=bob) is None
    assert selectors.revelation_text_for(revelation=rev, viewer=alice) == "alice's"


def test_home_lists_what_waits_for_each_person(bond: Bond, alice: Person, bob: Person) -> None:
    exchange = open_exchange(bond, alice)
    answer(exchange, alice, "alice's")
    home_bob = selectors.bond_home(bond=bond, viewer=bob, at=T0)
    assert [w.kind for w in home_bob.waiting] == ["answer"]
    assert selectors.bond_home(bond=bond, viewer=alice, at=T0).waiting == []
    rev_b = answer(exchange, bob, "bob's")
    bond.refresh_from_db()
    assert [w.kind for w in selectors.bond_home(bond=bond, viewer=alice, at=T0).waiting] == [
        "reply"
    ]
    services.reply_write(
        revelation=rev_b, author=alice, heard="h", makes_sense="m", care="c", costly=False, at=T0
    )
    kinds = [w.kind for w in selectors.bond_home(bond=bond, viewer=bob, at=T0).waiting]
    assert kinds == ["reply", "rate"]


def test_home_shows_own_trust_only(bond: Bond, alice: Person, bob: Person) -> None:
    exchange = open_exchange(bond, alice)
    rev_a = answer(exchange, alice, "a")
    answer(exchange, bob, "b")
    services.reply_write(
        revelation=rev_a, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=T0
    )
    bond.refresh_from_db()
    # Being confided in raised each one's trust a little (docs/engine.md §3).
    bob_before = selectors.bond_home(bond=bond, viewer=bob, at=T0).my_trust.expected
    alice_before = selectors.bond_home(bond=bond, viewer=alice, at=T0).my_trust.expected
    assert bob_before > 0.5
    services.rating_give(
        revelation=rev_a, rater=alice, understood=7, validated=7, cared=7, thanked=False, at=T0
    )
    bond.refresh_from_db()
    home_a = selectors.bond_home(bond=bond, viewer=alice, at=T0)
    home_b = selectors.bond_home(bond=bond, viewer=bob, at=T0)
    # Alice's own rating moved her trust alone.
    assert home_a.my_trust.expected > alice_before
    assert home_b.my_trust.expected == bob_before


def test_gate_words_show_only_the_viewers_own_conditions() -> None:
    status = engine.GateStatus(0, 1, False, ("ready_b",), 0.3)
    # Bob's own low trust is told to Bob; Alice only learns that his word is missing.
    assert selectors.gate_needs(status, "a", "Bob") == [
        "Bob's word that they are ready to go deeper."
    ]
    words = " ".join(selectors.gate_needs(status, "b", "Alice", ("trust",)))
    assert "More trust of your own" in words
    assert "Alice" not in words


def test_gate_words_name_who_has_not_said_ready() -> None:
    status = engine.GateStatus(0, 1, False, ("ready_b",), 0.3)
    assert selectors.gate_needs(status, "a", "Bob") == [
        "Bob's word that they are ready to go deeper."
    ]
    assert selectors.gate_needs(status, "b", "Alice") == [
        "Your word that you are ready to go deeper."
    ]


def test_prompts_available_hold_every_depth_but_no_desire_by_default(
    bond: Bond, alice: Person
) -> None:
    prompts = selectors.prompts_available(bond=bond, viewer=alice)
    assert {p.depth for p in prompts} == {0, 1, 2, 3, 4}
    assert all(p.theme != "desire" for p in prompts)
    assert all(p.audience == "both" for p in prompts)
