"""What came of a difference needs both: one proposes it, the other confirms it or
proposes something else (docs/checkins-and-differences.md, "Outcomes need both")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from factories import bond_of, client_for
from mutual.accounts.models import Person
from mutual.bonds.errors import Conflict, Invalid
from mutual.bonds.models import Bond
from mutual.differences import selectors as difference_selectors
from mutual.differences import services as difference_services
from mutual.differences.models import Difference

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LATER = date(2026, 3, 9)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


@pytest.fixture
def topic(bond: Bond, alice: Person, bob: Person) -> Difference:
    """A topic both have written on, restated and rated: its outcome is next."""
    topic = difference_services.difference_raise(
        bond=bond, person=alice, topic="Where we spend the holidays", at=T0
    )
    for who, body in ((alice, "The mountains."), (bob, "The coast.")):
        difference_services.perspective_write(
            bond=bond, difference_id=topic.id, person=who, body=body, at=T0
        )
    for who, body in ((alice, "You need the sea."), (bob, "You love the quiet.")):
        difference_services.restatement_write(
            bond=bond, difference_id=topic.id, person=who, body=body, at=T0
        )
    for who in (alice, bob):
        difference_services.understood_rate(
            bond=bond, difference_id=topic.id, person=who, score=6, at=T0
        )
    return topic


def propose(bond: Bond, topic: Difference, who: Person, outcome: str, on: date | None = None):
    return difference_services.outcome_propose(
        bond=bond, difference_id=topic.id, person=who, outcome=outcome, revisit_on=on, at=T0
    )


def seen(bond: Bond, topic: Difference, who: Person) -> difference_selectors.DifferenceView:
    return difference_selectors.difference_get(bond=bond, difference_id=topic.id, viewer=who, at=T0)


def test_a_proposal_waits_for_the_other(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "agreed")
    topic.refresh_from_db()
    assert topic.outcome == "open"
    assert (topic.proposed_outcome, topic.proposed_by) == ("agreed", "a")
    mine, theirs = seen(bond, topic, alice), seen(bond, topic, bob)
    assert mine.current.closed_at is None
    assert mine.summary.proposal is not None
    assert mine.summary.proposal.by_me
    assert not mine.summary.waits_for_me
    assert theirs.summary.waits_for_me
    assert theirs.summary.proposal is not None
    assert theirs.summary.proposal.outcome_label == "We agreed"


def test_the_other_confirms_and_it_stands(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "revisit", LATER)
    difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=bob, at=T0)
    topic.refresh_from_db()
    assert (topic.outcome, topic.revisit_on) == ("revisit", LATER)
    assert (topic.proposed_outcome, topic.proposed_revisit_on, topic.proposed_by) == ("", None, "")
    assert seen(bond, topic, alice).current.closed_at == T0


def test_the_proposer_cannot_confirm_alone(bond, topic, alice) -> None:
    propose(bond, topic, alice, "agreed")
    with pytest.raises(Conflict, match="You proposed this"):
        difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=alice, at=T0)
    topic.refresh_from_db()
    assert topic.outcome == "open"


def test_nothing_to_confirm_before_a_proposal(bond, topic, bob) -> None:
    with pytest.raises(Conflict, match="Nothing is proposed yet"):
        difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=bob, at=T0)


def test_the_other_changes_it_and_then_the_first_confirms(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "agreed")
    propose(bond, topic, bob, "revisit", LATER)
    topic.refresh_from_db()
    assert (topic.outcome, topic.proposed_outcome, topic.proposed_by) == ("open", "revisit", "b")
    with pytest.raises(Conflict):
        difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=bob, at=T0)
    difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=alice, at=T0)
    topic.refresh_from_db()
    assert (topic.outcome, topic.revisit_on) == ("revisit", LATER)


def test_proposing_what_the_other_proposed_confirms_it(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "differ")
    propose(bond, topic, bob, "differ")
    topic.refresh_from_db()
    assert (topic.outcome, topic.proposed_by) == ("differ", "")


def test_a_date_that_has_passed_cannot_be_confirmed(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "revisit", LATER)
    late = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    with pytest.raises(Conflict, match="has passed"):
        difference_services.outcome_confirm(bond=bond, difference_id=topic.id, person=bob, at=late)
    topic.refresh_from_db()
    assert topic.outcome == "open"


def test_a_bad_proposal_changes_nothing(bond, topic, alice, bob) -> None:
    propose(bond, topic, alice, "agreed")
    with pytest.raises(Invalid):
        propose(bond, topic, bob, "revisit", None)
    topic.refresh_from_db()
    assert (topic.proposed_outcome, topic.proposed_by) == ("agreed", "a")


def test_the_pages_offer_confirm_to_the_other_alone(bond, topic, alice, bob) -> None:
    url = reverse("differences:detail", args=[bond.id, topic.id])
    step = reverse("differences:step", args=[bond.id, topic.id, "outcome"])
    proposed = client_for(alice).post(step, {"outcome": "agreed"})
    assert proposed.status_code == 302
    assert proposed["Location"].endswith("?done=proposed")
    mine = client_for(alice).get(url).content.decode()
    assert "It stands once Bob confirms it" in mine
    assert "Yes, that is where we landed" not in mine
    theirs = client_for(bob).get(url).content.decode()
    assert "Alice proposes" in theirs
    assert "Yes, that is where we landed" in theirs
    listed = client_for(bob).get(reverse("differences:list", args=[bond.id])).content.decode()
    assert "Alice proposed what came of it" in listed
    confirm = reverse("differences:step", args=[bond.id, topic.id, "confirm"])
    assert client_for(alice).post(confirm).status_code == 409
    done = client_for(bob).post(confirm)
    assert done["Location"].endswith("?done=outcome")
    topic.refresh_from_db()
    assert topic.outcome == "agreed"
