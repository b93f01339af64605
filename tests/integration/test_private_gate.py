"""Finding F2 (SECURITY.md 27): private trust acts only through its owner's readiness.

Twin bonds differ in one private action of Alice's; everything Bob can observe — pages,
API bodies, his export, status codes, query counts — must be the same, once the private
action's only public shadow (a step back, or a free "I would rather wait") is put in its
place."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

import pytest
from django.utils import timezone
from test_safety_partner import _what_bob_sees

from factories import T0, World, deepened, signed_in, world
from mutual import engine
from mutual.bonds import ledger, selectors, services
from mutual.bonds.errors import Conflict
from mutual.bonds.models import Bond, Revelation
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(days=1)
READY_AT = LATER + timedelta(hours=1)


def _ready(w: World, who: str, at=READY_AT) -> None:  # type: ignore[no-untyped-def]
    person = w.alice if who == "alice" else w.bob
    services.readiness_set(bond=w.bond, person=person, ready=True, at=at)


def _personal_answer(w: World) -> Revelation:
    """An answer of Alice's at depth 1, about a feeling, revealed by both."""
    at = LATER - timedelta(hours=3)
    prompt = services.prompt_write(
        bond=w.bond,
        by=w.alice,
        text="What did you need this week?",
        depth=1,
        theme="needs",
        emotional=True,
        at=at,
    )
    exchange = services.exchange_open(bond=w.bond, by=w.alice, prompt=prompt, at=at)
    mine = services.revelation_write(
        exchange=exchange, author=w.alice, body="Quiet.", emotional=True, at=at
    )
    services.revelation_write(exchange=exchange, author=w.bob, body="Rest.", emotional=False, at=at)
    return mine


def _twin(tag: str, action: Callable[[World], None]) -> tuple[list[str], list[int], World]:
    w = deepened(world(tag=tag))
    action(w)
    w.bond.refresh_from_db()
    seen, queries = _what_bob_sees(w)
    return seen, queries, w


@pytest.mark.usefixtures("steady_clock")
def test_f2_a_refused_ready_after_a_breach_looks_like_a_free_wait() -> None:
    """Alice reports a breach and then tries to say ready; in the twin she steps back and
    says nothing. Bob says ready in both."""

    def breach_then_try(w: World) -> None:
        safety_services.breach_report(
            person=w.alice,
            kind="confidence",
            revelation=_personal_answer(w),
            note="he told",
            at=LATER,
        )
        with pytest.raises(Conflict) as refused:
            _ready(w, "alice")
        assert "trust" in str(refused.value.message).lower()
        _ready(w, "bob")

    def step_back_and_wait(w: World) -> None:
        _personal_answer(w)
        services.bond_step_back(bond=w.bond, person=w.alice, at=LATER)
        _ready(w, "bob")

    seen_a, q_a, _wa = _twin("1", breach_then_try)
    seen_b, q_b, wb = _twin("2", step_back_and_wait)
    assert seen_a == seen_b
    assert q_a == q_b
    # And the plain twin really could open: Alice's word would have counted there.
    _ready(wb, "alice", READY_AT + timedelta(minutes=1))
    assert Bond.objects.get(pk=wb.bond.pk).snapshot["open_depth"] == 1


def _scarred(w: World, times: int) -> None:
    for _ in range(times):
        report = safety_services.breach_report(
            person=w.alice, bond=w.bond, kind="deception", at=LATER
        )
        safety_services.deception_confirm(report=report, person=w.alice, at=LATER)


@pytest.mark.usefixtures("steady_clock")
def test_f2_a_confirmed_deception_withdraws_the_word_as_a_free_wait_would() -> None:
    """Alice said ready; confirmed deceptions scar her trust below the threshold. To Bob
    that is exactly Alice saying "I would rather wait"."""

    def back_to_surface_and_ready(w: World) -> None:
        services.bond_step_back(bond=w.bond, person=w.bob, at=LATER - timedelta(hours=2))
        _ready(w, "alice", LATER - timedelta(hours=1))

    def deceived(w: World) -> None:
        back_to_surface_and_ready(w)
        _scarred(w, 4)
        _ready(w, "bob")

    def waited(w: World) -> None:
        back_to_surface_and_ready(w)
        services.readiness_set(bond=w.bond, person=w.alice, ready=False, at=LATER)
        _ready(w, "bob")

    seen_a, q_a, wa = _twin("1", deceived)
    seen_b, q_b, _wb = _twin("2", waited)
    assert seen_a == seen_b
    assert q_a == q_b
    state = ledger.state_of(Bond.objects.get(pk=wa.bond.pk))
    assert engine.readiness(state, "a", READY_AT) == ("trust",)
    assert not state.a.ready  # withdrawn in the ledger, replayable
    assert ledger.replay(Bond.objects.get(pk=wa.bond.pk)).matches


def test_f2_the_refusal_is_told_to_its_owner_alone_in_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The pages are read at READY_AT too, as the selectors are: a report fades with time
    # like everything else, so a page read months later may rightly say something else.
    monkeypatch.setattr(timezone, "now", lambda: READY_AT)
    w = deepened(world())
    safety_services.breach_report(
        person=w.alice, kind="confidence", revelation=_personal_answer(w), at=LATER
    )
    w.bond.refresh_from_db()
    home = selectors.bond_home(bond=w.bond, viewer=w.alice, at=READY_AT)
    assert home.my_blocks == ("trust",)
    assert any("trust" in need.lower() for need in home.gate_needs)
    page = signed_in(w.alice).get(f"/bonds/{w.bond.pk}/").content.decode()
    assert "I am ready to go deeper" not in page
    bob_home = selectors.bond_home(bond=w.bond, viewer=w.bob, at=READY_AT)
    assert not any("trust" in need.lower() for need in bob_home.gate_needs)
    # The web refuses the word too, and changes nothing.
    before = Bond.objects.get(pk=w.bond.pk).snapshot_seq
    response = signed_in(w.alice).post(f"/bonds/{w.bond.pk}/ready/", {"ready": "1"})
    assert response.status_code in (302, 409)
    assert Bond.objects.get(pk=w.bond.pk).snapshot_seq == before


@pytest.mark.usefixtures("steady_clock")
def test_f2_bobs_api_never_shows_both_ready_and_shut() -> None:
    w = deepened(world())
    safety_services.breach_report(
        person=w.alice, kind="confidence", revelation=_personal_answer(w), at=LATER
    )
    with suppress(Conflict):
        _ready(w, "alice")
    _ready(w, "bob")
    w.bond.refresh_from_db()
    home = selectors.bond_home(bond=w.bond, viewer=w.bob, at=READY_AT)
    assert not (home.partner_ready and home.i_am_ready and not home.gate.can_open)
    assert home.partner_ready is False
