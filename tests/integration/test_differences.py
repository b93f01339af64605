"""Differences: perspectives sealed until both wrote, restatements, private ratings,
repair through the ledger, outcomes and revisits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import bond_of
from mutual.accounts.models import Person
from mutual.bonds import ledger, services
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond, Event
from mutual.differences import selectors as difference_selectors
from mutual.differences import services as difference_services
from mutual.differences.models import Difference, DifferenceRound, Perspective

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


@pytest.fixture
def topic(bond: Bond, alice: Person) -> Difference:
    return difference_services.difference_raise(
        bond=bond, person=alice, topic="How often we see my family", at=T0
    )


def both_write(bond: Bond, topic: Difference, alice: Person, bob: Person) -> None:
    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=alice, body="I miss them.", at=T0
    )
    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=bob, body="Weekends feel short.", at=T0
    )


def both_restate(bond: Bond, topic: Difference, alice: Person, bob: Person, **kw: bool) -> None:
    difference_services.restatement_write(
        bond=bond,
        difference_id=topic.id,
        person=alice,
        body="You want rest.",
        costly=kw.get("alice_costly", False),
        at=T0,
    )
    difference_services.restatement_write(
        bond=bond, difference_id=topic.id, person=bob, body="You miss them.", at=T0
    )


def both_rate(bond: Bond, topic: Difference, alice: Person, bob: Person, a: int, b: int) -> None:
    difference_services.understood_rate(
        bond=bond, difference_id=topic.id, person=alice, score=a, at=T0
    )
    difference_services.understood_rate(
        bond=bond, difference_id=topic.id, person=bob, score=b, at=T0
    )


def view(bond: Bond, topic: Difference, who: Person) -> difference_selectors.DifferenceView:
    return difference_selectors.difference_get(bond=bond, difference_id=topic.id, viewer=who, at=T0)


def test_the_topic_is_encrypted_and_readable_by_both(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    row = Difference.objects.get()
    assert b"family" not in bytes(row.topic_enc)
    assert view(bond, topic, bob).summary.topic == "How often we see my family"
    assert view(bond, topic, bob).summary.raised_by_name == "Alice"
    assert DifferenceRound.objects.filter(difference=topic, number=1).exists()


def test_a_perspective_stays_sealed_until_both_wrote(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=alice, body="I miss them.", at=T0
    )
    seen_by_bob = view(bond, topic, bob).current
    assert seen_by_bob.their_perspective is None
    assert seen_by_bob.partner_wrote
    assert view(bond, topic, alice).current.my_perspective == "I miss them."

    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=bob, body="Weekends feel short.", at=T0
    )
    assert view(bond, topic, bob).current.their_perspective == "I miss them."
    assert view(bond, topic, alice).current.their_perspective == "Weekends feel short."
    assert view(bond, topic, alice).current.step == "restatement"


def test_restating_waits_for_both_perspectives(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=alice, body="I miss them.", at=T0
    )
    with pytest.raises(Conflict):
        difference_services.restatement_write(
            bond=bond, difference_id=topic.id, person=alice, body="?", at=T0
        )


def test_ratings_and_costly_marks_are_private(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob, alice_costly=True)
    difference_services.understood_rate(
        bond=bond, difference_id=topic.id, person=alice, score=6, at=T0
    )

    seen_by_bob = view(bond, topic, bob).current
    assert seen_by_bob.partner_rated
    assert seen_by_bob.my_rating is None
    assert not seen_by_bob.my_restatement_costly
    assert seen_by_bob.their_restatement == "You want rest."
    seen_by_alice = view(bond, topic, alice).current
    assert seen_by_alice.my_rating == 6
    assert seen_by_alice.my_restatement_costly


def test_a_round_where_both_felt_understood_repairs_trust(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob, alice_costly=True)
    both_rate(bond, topic, alice, bob, 6, 7)

    [event] = Event.objects.filter(bond=bond, kind="RepairRound")
    assert event.payload["understood_a"] == 6
    assert event.payload["understood_b"] == 7
    assert event.payload["costly_by_a"] is True
    bond.refresh_from_db()
    state = ledger.state_of(bond)
    # Repair: α += 0.5 · s; Alice's restatement was costly, so Bob's trust gains 0.75.
    assert state.a.trust.alpha == pytest.approx(1.5)
    assert state.b.trust.alpha == pytest.approx(1.75)
    assert ledger.replay(bond).matches


def test_a_round_where_one_felt_misunderstood_changes_no_trust(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob)
    both_rate(bond, topic, alice, bob, 6, 3)

    assert Event.objects.filter(bond=bond, kind="RepairRound").count() == 1
    bond.refresh_from_db()
    state = ledger.state_of(bond)
    assert state.a.trust.alpha == pytest.approx(1.0)
    assert state.b.trust.alpha == pytest.approx(1.0)


def test_a_rating_is_given_once(bond: Bond, topic: Difference, alice: Person, bob: Person):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob)
    difference_services.understood_rate(
        bond=bond, difference_id=topic.id, person=alice, score=5, at=T0
    )
    with pytest.raises(Conflict):
        difference_services.understood_rate(
            bond=bond, difference_id=topic.id, person=alice, score=7, at=T0
        )
    assert Perspective.objects.get(side="a").felt_understood == 5


def test_outcome_waits_for_both_ratings(bond: Bond, topic: Difference, alice: Person, bob: Person):
    both_write(bond, topic, alice, bob)
    with pytest.raises(Conflict):
        difference_services.outcome_propose(
            bond=bond, difference_id=topic.id, person=alice, outcome="agreed", at=T0
        )


def test_a_revisit_appears_when_due_and_opens_a_new_round(
    bond: Bond, topic: Difference, alice: Person, bob: Person
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob)
    both_rate(bond, topic, alice, bob, 5, 6)
    difference_services.outcome_propose(
        bond=bond,
        difference_id=topic.id,
        person=bob,
        outcome="revisit",
        revisit_on=date(2026, 3, 9),
        at=T0,
    )
    difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=alice, at=T0)

    assert difference_selectors.differences_due(bond=bond, viewer=alice, at=T0) == []
    [due] = difference_selectors.differences_due(bond=bond, viewer=alice, at=T0 + timedelta(days=7))
    assert due.topic == "How often we see my family"
    assert due.due

    difference_services.difference_revisit(
        bond=bond, difference_id=topic.id, person=alice, at=T0 + timedelta(days=7)
    )
    seen = difference_selectors.difference_get(
        bond=bond, difference_id=topic.id, viewer=alice, at=T0 + timedelta(days=7)
    )
    assert [r.number for r in seen.rounds] == [1, 2]
    assert seen.current.step == "perspective"
    assert seen.summary.outcome == "open"
    assert (
        difference_selectors.differences_due(bond=bond, viewer=alice, at=T0 + timedelta(days=7))
        == []
    )
    timeline = difference_selectors.difference_timeline(bond=bond, viewer=bob)
    assert timeline == [(date(2026, 3, 2), "raised"), (date(2026, 3, 9), "revisited")]


@pytest.mark.parametrize(
    ("outcome", "revisit_on", "message"),
    [
        ("settled", None, "Choose what came of it."),
        ("revisit", None, "Choose a date to come back to it."),
        ("revisit", date(2026, 3, 2), "Choose a date after today"),
    ],
)
def test_bad_outcomes_are_refused(
    bond: Bond,
    topic: Difference,
    alice: Person,
    bob: Person,
    outcome: str,
    revisit_on: date | None,
    message: str,
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob)
    both_rate(bond, topic, alice, bob, 5, 6)
    with pytest.raises(Invalid, match=message):
        difference_services.outcome_propose(
            bond=bond,
            difference_id=topic.id,
            person=alice,
            outcome=outcome,
            revisit_on=revisit_on,
            at=T0,
        )
    topic.refresh_from_db()
    assert topic.outcome == "open"


@pytest.mark.parametrize(
    ("topic_text", "message"),
    [("   ", "Name the topic in a few words."), ("x" * 201, "200 characters or fewer")],
)
def test_bad_topics_are_refused(bond: Bond, alice: Person, topic_text: str, message: str):
    with pytest.raises(Invalid, match=message):
        difference_services.difference_raise(bond=bond, person=alice, topic=topic_text, at=T0)
    assert not Difference.objects.exists()


@pytest.mark.parametrize("score", [0, 8, "seven", True])
def test_bad_ratings_are_refused(
    bond: Bond, topic: Difference, alice: Person, bob: Person, score: object
):
    both_write(bond, topic, alice, bob)
    both_restate(bond, topic, alice, bob)
    with pytest.raises(Invalid):
        difference_services.understood_rate(
            bond=bond,
            difference_id=topic.id,
            person=alice,
            score=score,  # type: ignore[arg-type]
            at=T0,
        )


def test_a_stranger_sees_and_changes_nothing(
    bond: Bond, topic: Difference, alice: Person, charlie: Person
):
    with pytest.raises(NotFound):
        difference_selectors.difference_get(
            bond=bond, difference_id=topic.id, viewer=charlie, at=T0
        )
    with pytest.raises(NotFound):
        difference_services.perspective_write(
            bond=bond, difference_id=topic.id, person=charlie, body="mine", at=T0
        )
    with pytest.raises(NotFound):
        difference_selectors.differences_for(bond=bond, viewer=charlie, at=T0)
    with pytest.raises(NotFound):
        difference_services.difference_raise(bond=bond, person=charlie, topic="x", at=T0)


def test_a_difference_of_another_bond_is_not_found(
    bond: Bond, topic: Difference, alice: Person, charlie: Person
):
    other = services.bond_create(creator=charlie, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=other, by=charlie, at=T0)
    other = services.invite_accept(code=code, person=alice, at=T0)
    with pytest.raises(NotFound):
        difference_selectors.difference_get(bond=other, difference_id=topic.id, viewer=alice, at=T0)
    with pytest.raises(NotFound):
        difference_services.perspective_write(
            bond=other, difference_id=topic.id, person=alice, body="x", at=T0
        )


ACTIONS = ["perspective", "restatement", "rate"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(ACTIONS), st.integers(1, 7)),
        min_size=1,
        max_size=10,
    )
)
def test_whatever_the_order_each_sees_only_what_is_theirs_to_see(
    steps: list[tuple[str, str, int]],
) -> None:
    """A perspective reaches the partner only once both wrote; a rating and a costly mark
    never reach the partner; steps out of turn are refused and change nothing."""
    stamp = uuid.uuid4().hex[:8]
    alice = Person.objects.create_user(f"alice-{stamp}@example.org", None)
    bob = Person.objects.create_user(f"bob-{stamp}@example.org", None)
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    topic = difference_services.difference_raise(bond=bond, person=alice, topic="Plans", at=T0)
    people = {"a": alice, "b": bob}
    wrote: set[str] = set()
    restated: set[str] = set()
    rated: dict[str, int] = {}
    for side, action, score in steps:
        other = "b" if side == "a" else "a"
        kw = {"bond": bond, "difference_id": topic.id, "person": people[side], "at": T0}
        try:
            if action == "perspective":
                difference_services.perspective_write(body=f"view of {side}", **kw)  # type: ignore[arg-type]
                wrote.add(side)
            elif action == "restatement":
                difference_services.restatement_write(body=f"{side} restates", costly=True, **kw)  # type: ignore[arg-type]
                restated.add(side)
            else:
                difference_services.understood_rate(score=score, **kw)  # type: ignore[arg-type]
                rated[side] = score
        except Conflict:
            allowed = {
                "perspective": wrote != {"a", "b"},
                "restatement": wrote == {"a", "b"} and other not in rated,
                "rate": other in restated and side not in rated,
            }[action]
            assert not allowed, (side, action)
        for viewer_side, viewer in people.items():
            partner_side = "b" if viewer_side == "a" else "a"
            seen = view(bond, topic, viewer).current
            both_wrote = wrote == {"a", "b"}
            assert (seen.their_perspective is not None) == (both_wrote and partner_side in wrote)
            assert seen.my_rating == rated.get(viewer_side)
            assert seen.my_restatement_costly == (viewer_side in restated)
            assert seen.partner_rated == (partner_side in rated)
    assert Event.objects.filter(bond=bond, kind="RepairRound").count() == (
        1 if set(rated) == {"a", "b"} else 0
    )
