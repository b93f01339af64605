"""SECURITY.md 27, as a property: for any sequence of ordinary actions, adding one private
action of Alice's — a weaponization report (safety mode), confirmed deceptions, a breach
report, other values of a private rating — changes nothing Bob can observe: pages, API
bodies, his export, status codes, query counts and whether his pages are rendered afresh
(his side's version).

The twins run in lockstep. Where Alice's private state would refuse her "ready" in one
twin, she does not say it in either (in the other she freely chooses not to); where her
word lapses in one twin, she says "I would rather wait" in the other. Those are the only
public shadows a private action has; a breach report's other shadow is its step back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_safety_partner import _what_bob_sees

from factories import World, answered_pair, own_question, person
from mutual import engine
from mutual.bonds import ledger, selectors, services
from mutual.bonds.errors import ServiceError
from mutual.bonds.models import Bond, Revelation
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db
_tags = itertools.count()

ACTIONS = ("exchange", "reply_a", "reply_b", "rate_a", "rate_b", "ready_a", "ready_b", "wait_a")
PRIVATE = ("safety", "deception", "breach", "rating")
scores = st.tuples(*(st.integers(1, 7) for _ in range(3)))


@dataclass
class Twin:
    w: World
    ratings: list[tuple[int, int, int]]


def _bond(tag: str, at: datetime) -> World:
    alice, bob = person("Alice", tag), person("Bob", tag)
    bond = services.bond_create(creator=alice, kind="partners", at=at)
    _invite, code = services.invite_create(bond=bond, by=alice, at=at)
    services.invite_accept(code=code, person=bob, at=at)
    exchange, mine, theirs = answered_pair(bond, alice, bob, alice_text="a", bob_text="b", at=at)
    bond.refresh_from_db()
    return World(alice, bob, person("Charlie", tag), bond, exchange, mine, theirs)


def _latest(w: World, author: str) -> Revelation | None:
    who = w.alice if author == "a" else w.bob
    return (
        Revelation.objects.filter(exchange__bond=w.bond, author=who).order_by("-created_at").first()
    )


def _state(w: World) -> engine.BondState:
    return ledger.state_of(Bond.objects.get(pk=w.bond.pk))


def _act(t: Twin, action: str, at: datetime, n: int, values: tuple[int, int, int]) -> str:
    """Do ``action``; the outcome in a word, which the twins must share."""
    w = t.w
    try:
        if action == "exchange":
            prompt = own_question(w.bond, w.alice, f"What was good today? ({n})", at=at)
            ex = services.exchange_open(bond=w.bond, by=w.alice, prompt=prompt, at=at)
            services.revelation_write(exchange=ex, author=w.alice, body="a", emotional=True, at=at)
            services.revelation_write(exchange=ex, author=w.bob, body="b", emotional=True, at=at)
        elif action in ("reply_a", "reply_b"):
            them, me = ("b", w.alice) if action == "reply_a" else ("a", w.bob)
            rev = _latest(w, them)
            if rev is None:
                return "none"
            services.reply_write(
                revelation=rev, author=me, heard="h", makes_sense="m", care="c", costly=False, at=at
            )
        elif action in ("rate_a", "rate_b"):
            side, me = ("a", w.alice) if action == "rate_a" else ("b", w.bob)
            rev = _latest(w, side)
            if rev is None:
                return "none"
            if side == "a":
                values = t.ratings.pop(0) if t.ratings else values
            u, v, c = values
            services.rating_give(
                revelation=rev, rater=me, understood=u, validated=v, cared=c, thanked=True, at=at
            )
        elif action == "ready_b":
            services.readiness_set(bond=w.bond, person=w.bob, ready=True, at=at)
        elif action in ("ready_a", "wait_a"):
            ready = action == "ready_a"
            services.readiness_set(bond=w.bond, person=w.alice, ready=ready, at=at)
    except ServiceError as exc:
        return type(exc).__name__
    return "done"


def _private(t: Twin, kind: str, at: datetime) -> None:
    w = t.w
    if kind == "safety":
        safety_services.breach_report(person=w.alice, bond=w.bond, kind="weaponization", at=at)
    elif kind == "deception":
        for _ in range(3):
            report = safety_services.breach_report(
                person=w.alice, bond=w.bond, kind="deception", at=at
            )
            safety_services.deception_confirm(report=report, person=w.alice, at=at)
    elif kind == "breach":
        rev = _latest(w, "a")
        if rev is not None and rev.exchange.revealed_at is not None:
            safety_services.breach_report(person=w.alice, kind="confidence", revelation=rev, at=at)
        else:
            services.bond_step_back(bond=w.bond, person=w.alice, at=at)


def _shadow(t: Twin, kind: str, at: datetime) -> None:
    """The public shadow of ``kind``: a step back for a breach report, nothing else."""
    if kind == "breach":
        services.bond_step_back(bond=t.w.bond, person=t.w.alice, at=at)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(st.sampled_from(ACTIONS), min_size=3, max_size=10),
    where=st.integers(0, 10),
    kind=st.sampled_from(PRIVATE),
    values=st.lists(scores, min_size=10, max_size=10),
    other=st.lists(scores, min_size=5, max_size=5),
)
@pytest.mark.usefixtures("steady_clock")
def test_f2_a_private_action_changes_nothing_bob_can_observe(
    actions: list[str],
    where: int,
    kind: str,
    values: list[tuple[int, int, int]],
    other: list[tuple[int, int, int]],
) -> None:
    # Everything happens today: the shared index moves once a day, in steps (§11), and a
    # rating's value may show the next day by whole steps — never the same day.
    now = timezone.now()
    start = max(selectors.day_start(now) + timedelta(seconds=1), now - timedelta(minutes=30))
    tag = next(_tags)
    private = Twin(_bond(f"p{tag}", start), list(other) if kind == "rating" else [])
    plain = Twin(_bond(f"q{tag}", start), [])
    where = min(where, len(actions))
    for n, action in enumerate(actions):
        at = start + timedelta(seconds=n + 1)
        if n == where:
            _private(private, kind, at)
            _shadow(plain, kind, at)
        if action == "ready_a" and any(
            engine.readiness(_state(t.w), "a", at, ledger.PARAMS) for t in (private, plain)
        ):
            continue  # refused in one twin: Alice does not say it in the other either
        outcomes = {_act(t, action, at, n, values[n]) for t in (private, plain)}
        assert len(outcomes) == 1, (action, outcomes)
        flags = [_state(t.w).a.ready for t in (private, plain)]
        if flags[0] != flags[1]:  # her word lapsed in one twin: a free wait in the other
            standing = private if flags[0] else plain
            assert _act(standing, "wait_a", at, n, values[n]) == "done"
    for t in (private, plain):
        t.w.bond.refresh_from_db()
        assert ledger.replay(t.w.bond).matches
    seen_private, queries_private = _what_bob_sees(private.w)
    seen_plain, queries_plain = _what_bob_sees(plain.w)
    assert seen_private == seen_plain
    assert queries_private == queries_plain
    versions = [Bond.objects.get(pk=t.w.bond.pk).version_b for t in (private, plain)]
    assert versions[0] == versions[1]
