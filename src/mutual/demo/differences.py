from __future__ import annotations

from datetime import datetime, timedelta

from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond
from mutual.differences.models import Difference
from mutual.differences.services import (
    difference_raise,
    outcome_confirm,
    outcome_propose,
    perspective_write,
    restatement_write,
    understood_rate,
)

DEMO_TOPIC = "Sunday mornings: slow time together or time to get things done"


DEMO_VIEWS = (
    "Sunday is the one morning nobody needs anything from me. When the list comes out "
    "early, I feel the week has followed us home.",
    "If the chores wait until Sunday evening I carry them all day. Getting them done "
    "early is how I get to relax.",
)


DEMO_RESTATEMENTS = (
    "You can only rest once the list is handled; leaving it hanging takes the rest away.",
    "Sunday morning is your one unclaimed time, and chores at that hour make it feel like "
    "a workday.",
)


def demo_seed(*, bond: Bond, now: datetime) -> Difference:
    """One difference in the demo bond, talked through yesterday evening with an outcome
    of "revisit" dated today, so it waits on the home page."""
    alice, bob = bond.person_a, bond.person_b
    if alice is None or bob is None:
        raise NotFound()
    evening = (now - timedelta(days=1)).replace(hour=21, minute=0, second=0, microsecond=0)
    step = timedelta(minutes=20)
    difference = difference_raise(bond=bond, person=bob, topic=DEMO_TOPIC, at=evening)
    for i, (person, body) in enumerate(zip((alice, bob), DEMO_VIEWS, strict=True)):
        perspective_write(
            bond=bond,
            difference_id=difference.id,
            person=person,
            body=body,
            at=evening + step * (1 + i),
        )
    for i, (person, body) in enumerate(zip((alice, bob), DEMO_RESTATEMENTS, strict=True)):
        restatement_write(
            bond=bond,
            difference_id=difference.id,
            person=person,
            body=body,
            costly=i == 1,
            at=evening + step * (3 + i),
        )
    for i, (person, score) in enumerate(((alice, 6), (bob, 5))):
        understood_rate(
            bond=bond,
            difference_id=difference.id,
            person=person,
            score=score,
            at=evening + step * (5 + i),
        )
    outcome_propose(
        bond=bond,
        difference_id=difference.id,
        person=alice,
        outcome="revisit",
        revisit_on=now.date(),
        at=evening + step * 7,
    )
    return outcome_confirm(
        bond=bond, difference_id=difference.id, person=bob, at=evening + step * 8
    )
