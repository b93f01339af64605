"""Check-ins: sealed until both checked in, then revealed with how close each guess was."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import bond_of
from mutual.accounts.models import Person
from mutual.bonds import ledger, services
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond, Event
from mutual.checkins import selectors as checkin_selectors
from mutual.checkins import services as checkin_services
from mutual.checkins import wheel
from mutual.checkins.models import CheckIn, CheckInRound
from mutual.demo import checkins as demo_checkins

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


def check_in(bond: Bond, who: Person, feeling: str, guess: str, at: datetime, **kw: object):
    return checkin_services.checkin_submit(
        bond=bond,
        person=who,
        feeling=feeling,
        intensity=kw.pop("intensity", 3),
        guess_feeling=guess,
        guess_intensity=kw.pop("guess_intensity", 3),
        at=at,
        **kw,
    )


def test_a_lone_check_in_stays_sealed_from_the_partner(bond: Bond, alice: Person, bob: Person):
    check_in(bond, alice, "calm", "tired", T0, note="slow morning")

    [seen_by_bob] = checkin_selectors.checkin_rounds(bond=bond, viewer=bob)
    assert seen_by_bob.mine is None
    assert seen_by_bob.theirs is None
    assert seen_by_bob.partner_checked_in
    assert not seen_by_bob.revealed

    [seen_by_alice] = checkin_selectors.checkin_rounds(bond=bond, viewer=alice)
    assert seen_by_alice.mine is not None
    assert seen_by_alice.mine.feeling == "calm"
    assert seen_by_alice.mine.note == "slow morning"
    assert not seen_by_alice.partner_checked_in


def test_the_second_check_in_reveals_both_with_accuracy(bond: Bond, alice: Person, bob: Person):
    check_in(bond, alice, "calm", "tired", T0)
    round_ = check_in(bond, bob, "tired", "happy", T0 + timedelta(hours=2))

    round_.refresh_from_db()
    assert round_.revealed_at == T0 + timedelta(hours=2)
    [seen_by_alice] = checkin_selectors.checkin_rounds(bond=bond, viewer=alice)
    assert seen_by_alice.theirs is not None
    assert seen_by_alice.theirs.feeling == "tired"
    assert seen_by_alice.mine is not None
    # Alice guessed exactly how Bob felt.
    assert seen_by_alice.mine.accuracy == pytest.approx(1.0)
    assert seen_by_alice.mine.closeness == "right there"
    # Bob guessed happy; Alice felt calm: neighbouring families (glad, at peace).
    expected = wheel.attunement("happy", 3, "calm", 3)
    assert expected == pytest.approx(0.55)
    assert seen_by_alice.theirs.accuracy == pytest.approx(expected)


def test_reveal_records_one_checked_in_event_per_guesser(bond: Bond, alice: Person, bob: Person):
    check_in(bond, alice, "calm", "tired", T0)
    check_in(bond, bob, "tired", "calm", T0 + timedelta(hours=1))

    kinds = list(Event.objects.filter(bond=bond).values_list("kind", "payload"))
    guessers = sorted(p["guesser"] for k, p in kinds if p["kind"] == "CheckedIn")
    assert guessers == ["a", "b"]
    bond.refresh_from_db()
    assert ledger.replay(bond).matches
    now = checkin_selectors.attunement_now(bond=bond, viewer=alice, at=T0 + timedelta(hours=2))
    assert now.mine == pytest.approx(1.0)
    assert now.theirs == pytest.approx(1.0)


def test_a_sealed_check_in_can_be_changed_until_the_partner_checks_in(
    bond: Bond, alice: Person, bob: Person
):
    check_in(bond, alice, "calm", "tired", T0)
    check_in(bond, alice, "anxious", "tired", T0 + timedelta(hours=1))

    assert CheckInRound.objects.filter(bond=bond).count() == 1
    assert CheckIn.objects.get(side="a").feeling == "anxious"
    check_in(bond, bob, "tired", "anxious", T0 + timedelta(hours=2))
    # The next check-in opens a new round.
    check_in(bond, alice, "content", "calm", T0 + timedelta(days=1))
    assert CheckInRound.objects.filter(bond=bond).count() == 2
    assert CheckInRound.objects.filter(bond=bond, revealed_at__isnull=True).count() == 1


def test_a_large_mismatch_suggests_asking_about_it(bond: Bond, alice: Person, bob: Person):
    check_in(bond, alice, "content", "joyful", T0)
    check_in(bond, bob, "lonely", "content", T0 + timedelta(hours=1))

    [seen_by_alice] = checkin_selectors.checkin_rounds(bond=bond, viewer=alice)
    [seen_by_bob] = checkin_selectors.checkin_rounds(bond=bond, viewer=bob)
    assert seen_by_alice.ask_about_it
    assert not seen_by_bob.ask_about_it


def test_the_note_is_stored_only_encrypted(bond: Bond, alice: Person):
    check_in(bond, alice, "calm", "calm", T0, note="canary-7a1c")

    row = CheckIn.objects.get()
    assert b"canary-7a1c" not in bytes(row.note_enc)
    assert alice.open(bytes(row.note_enc), f"checkin:{row.id}:note") == "canary-7a1c"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("feeling", "ecstatic", "Choose how you feel from the list of feelings."),
        ("guess_feeling", "", "Choose your guess from the list of feelings."),
        ("intensity", 4, "Choose how strong your feeling is"),
        ("guess_intensity", "very", "Choose how strong the feeling you guess is"),
        ("note", "x" * 281, "Keep the note to 280 characters or fewer."),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    bond: Bond, alice: Person, field: str, value: object, message: str
):
    args: dict[str, object] = {
        "feeling": "calm",
        "intensity": 2,
        "guess_feeling": "calm",
        "guess_intensity": 2,
        "note": "",
    }
    args[field] = value
    with pytest.raises(Invalid, match=message):
        checkin_services.checkin_submit(bond=bond, person=alice, at=T0, **args)  # type: ignore[arg-type]
    assert not CheckInRound.objects.exists()


def test_a_stranger_cannot_check_in_or_read(bond: Bond, alice: Person, charlie: Person):
    check_in(bond, alice, "calm", "calm", T0)
    with pytest.raises(NotFound):
        check_in(bond, charlie, "calm", "calm", T0)
    with pytest.raises(NotFound):
        checkin_selectors.checkin_rounds(bond=bond, viewer=charlie)
    round_id = CheckInRound.objects.get().id
    with pytest.raises(NotFound):
        checkin_selectors.checkin_round_get(bond=bond, id=round_id, viewer=charlie)
    with pytest.raises(NotFound):
        checkin_selectors.attunement_now(bond=bond, viewer=charlie, at=T0)


def test_a_paused_bond_takes_no_check_ins(bond: Bond, alice: Person):
    Bond.objects.filter(pk=bond.pk).update(status=Bond.Status.PAUSED)
    bond.refresh_from_db()
    with pytest.raises(Conflict):
        check_in(bond, alice, "calm", "calm", T0)
    assert not CheckInRound.objects.exists()


def test_attunement_history_is_the_engines_moving_average_per_direction(
    bond: Bond, alice: Person, bob: Person
):
    # Day 0: both exact. Day 1: Alice's guess is far off (accuracy 0), Bob's exact.
    check_in(bond, alice, "calm", "tired", T0)
    check_in(bond, bob, "tired", "calm", T0 + timedelta(hours=1))
    check_in(bond, alice, "calm", "excited", T0 + timedelta(days=1))
    check_in(bond, bob, "calm", "calm", T0 + timedelta(days=1, hours=1))

    points = checkin_selectors.attunement_history(bond=bond, viewer=alice)
    mine = [p.value for p in points if p.direction == "mine"]
    theirs = [p.value for p in points if p.direction == "theirs"]
    day1 = wheel.attunement("excited", 3, "calm", 3)
    assert mine == pytest.approx([1.0, (1.0 + day1) / 2])
    assert theirs == pytest.approx([1.0, 1.0])
    # Bob sees the same facts from his side.
    bobs = checkin_selectors.attunement_history(bond=bond, viewer=bob)
    assert [p.value for p in bobs if p.direction == "theirs"] == pytest.approx(mine)


def test_after_leaving_the_leavers_check_ins_are_hidden(bond: Bond, alice: Person, bob: Person):
    check_in(bond, alice, "calm", "tired", T0, note="private")
    check_in(bond, bob, "tired", "calm", T0 + timedelta(hours=1))
    Bond.objects.filter(pk=bond.pk).update(status=Bond.Status.ENDED, left_by="a")
    bond.refresh_from_db()

    [seen_by_bob] = checkin_selectors.checkin_rounds(bond=bond, viewer=bob)
    assert seen_by_bob.theirs is None


def test_the_demo_leaves_two_weeks_of_rounds_and_one_waiting_for_alice(
    bond: Bond, alice: Person, bob: Person
):
    now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    demo_checkins.demo_seed(bond=bond, now=now)

    rounds = checkin_selectors.checkin_rounds(bond=bond, viewer=alice, limit=30)
    assert sum(r.revealed for r in rounds) == len(demo_checkins.DEMO_DAYS)
    assert rounds[0].partner_checked_in
    assert rounds[0].mine is None
    bond.refresh_from_db()
    assert ledger.replay(bond).matches
    assert checkin_selectors.attunement_now(bond=bond, viewer=alice, at=now).mine is not None


def test_the_worked_example_of_the_docs(bond: Bond, alice: Person, bob: Person):
    """docs/checkins-and-differences.md, “Worked example”."""
    check_in(bond, alice, "calm", "tired", T0, intensity=2, guess_intensity=3)
    check_in(bond, bob, "tired", "happy", T0, intensity=3, guess_intensity=2)

    [seen] = checkin_selectors.checkin_rounds(bond=bond, viewer=alice)
    assert seen.mine is not None
    assert seen.theirs is not None
    assert (round(seen.mine.accuracy or 0, 2), seen.mine.closeness) == (1.0, "right there")
    assert (round(seen.theirs.accuracy or 0, 2), seen.theirs.closeness) == (
        0.55,
        "some way apart",
    )


FEELING_NAMES = sorted([*wheel.offered(), *wheel.LEGACY])


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(FEELING_NAMES),
            st.sampled_from(FEELING_NAMES),
            st.text(alphabet="xyz", min_size=0, max_size=5),
        ),
        min_size=1,
        max_size=7,
    )
)
def test_a_feeling_is_never_seen_by_the_partner_before_both_checked_in(
    steps: list[tuple[str, str, str, str]],
) -> None:
    """Whatever the order of check-ins, a round shows the partner's feeling, guess and
    note exactly when both have checked in, and then to both."""
    stamp = uuid.uuid4().hex[:8]
    alice = Person.objects.create_user(f"alice-{stamp}@example.org", None)
    bob = Person.objects.create_user(f"bob-{stamp}@example.org", None)
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    people = {"a": alice, "b": bob}
    in_open_round: set[str] = set()
    for n, (side, feeling, guess, note) in enumerate(steps):
        check_in(bond, people[side], feeling, guess, T0 + timedelta(minutes=n), note=note)
        in_open_round.add(side)
        revealed_now = in_open_round == {"a", "b"}
        for viewer_side, viewer in people.items():
            [latest, *_] = checkin_selectors.checkin_rounds(bond=bond, viewer=viewer)
            assert latest.revealed == revealed_now
            other = "b" if viewer_side == "a" else "a"
            assert (latest.theirs is not None) == revealed_now
            assert latest.partner_checked_in == (other in in_open_round)
            assert (latest.mine is not None) == (viewer_side in in_open_round)
        if revealed_now:
            in_open_round = set()


@pytest.mark.parametrize("round_id", ["not-a-uuid", "6f1c2a3e-0b7d-4e5f-9a8b-1c2d3e4f5a6b", None])
def test_an_unknown_round_is_not_found(bond: Bond, alice: Person, round_id: object):
    with pytest.raises(NotFound):
        checkin_selectors.checkin_round_get(bond=bond, id=round_id, viewer=alice)  # type: ignore[arg-type]
