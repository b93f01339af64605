"""The feelings wheel: its families and words, old check-ins still read, and how close a
guess was (docs/checkins-and-differences.md, "Feelings and how close a guess was")."""

from __future__ import annotations

import itertools

import pytest

from mutual.api.schemas.checkins import Feeling
from mutual.checkins import wheel

#: The first check-ins offered these; every stored one must stay readable.
FIRST_SIXTEEN = (
    "excited", "joyful", "happy", "content", "grateful", "relaxed", "calm", "sleepy",
    "tired", "bored", "sad", "lonely", "hurt", "anxious", "angry", "alert",
)  # fmt: skip


def test_at_least_forty_feelings_in_a_few_families() -> None:
    assert len(wheel.offered()) >= 40
    assert 5 <= len(wheel.FAMILIES) <= 9
    assert len(set(wheel.offered())) == len(wheel.offered())
    for family in wheel.FAMILIES:
        assert 4 <= len(family.feelings) <= 8, family.key


@pytest.mark.parametrize("name", ["scared", "ashamed", "guilty", "hopeful", "loving"])
def test_the_feelings_people_asked_for_are_offered(name: str) -> None:
    assert name in wheel.offered()


@pytest.mark.parametrize("name", FIRST_SIXTEEN)
def test_every_feeling_of_the_first_check_ins_is_still_read_and_scored(name: str) -> None:
    assert wheel.is_feeling(name)
    assert wheel.label(name)
    assert wheel.attunement(name, 2, name, 2) == 1.0
    wheel.point(name, 3)


def test_energy_words_are_read_but_no_longer_offered() -> None:
    assert set(wheel.LEGACY) == {"sleepy", "alert"}
    assert set(wheel.LEGACY).isdisjoint(wheel.offered())
    assert wheel.attunement("sleepy", 2, "tired", 2) == 1.0


def test_the_api_accepts_exactly_the_feelings_a_check_in_may_hold() -> None:
    assert set(Feeling.__args__) == {*wheel.offered(), *wheel.LEGACY}


@pytest.mark.parametrize(
    ("guess", "actual", "expected"),
    [
        ("worried", "worried", 1.0),  # the very feeling
        ("worried", "scared", 0.8),  # the same family
        ("sad", "tired", 0.55),  # neighbouring families
        ("scared", "angry", 0.55),
        ("hopeful", "grateful", 0.55),
        ("guilty", "bored", 0.3),  # both hard to feel, families apart
        ("happy", "sad", 0.0),  # the other side
        ("calm", "anxious", 0.0),
    ],
)
def test_how_near_a_guessed_feeling_is(guess: str, actual: str, expected: float) -> None:
    assert wheel.kin(guess, actual) == pytest.approx(expected)
    assert wheel.attunement(guess, 2, actual, 2) == pytest.approx(expected)


def test_the_strength_shades_the_score() -> None:
    assert wheel.attunement("sad", 1, "sad", 2) == pytest.approx(0.92)
    assert wheel.attunement("sad", 1, "sad", 3) == pytest.approx(0.84)
    assert wheel.attunement("lonely", 3, "sad", 1) == pytest.approx(0.8 * 0.84)


def test_the_score_is_symmetric_bounded_and_ordered() -> None:
    """A guess is never scored higher for a farther feeling: exact > family > neighbour >
    same side > other side, whatever the strengths."""
    names = wheel.offered()
    for a, b in itertools.product(names, repeat=2):
        for i, j in itertools.product(wheel.INTENSITIES, repeat=2):
            score = wheel.attunement(a, i, b, j)
            assert 0.0 <= score <= 1.0
            assert score == wheel.attunement(b, j, a, i)
    assert 1.0 > wheel.KIN_FAMILY > wheel.KIN_NEIGHBOUR > wheel.KIN_SIDE > 0.0
    # The lowest score within a family stays above the best across neighbouring families.
    assert wheel.KIN_FAMILY * (1 - 2 * wheel.STRENGTH_STEP) > wheel.KIN_NEIGHBOUR


def test_neighbours_are_families_of_the_wheel() -> None:
    keys = {f.key for f in wheel.FAMILIES}
    for pair in wheel.NEIGHBOURS:
        assert pair <= keys
        assert len(pair) == 2


def test_an_unknown_feeling_or_strength_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown feeling"):
        wheel.attunement("serene", 2, "calm", 2)
    with pytest.raises(ValueError, match="intensity"):
        wheel.attunement("calm", 4, "calm", 2)
    assert not wheel.is_feeling("serene")


def test_words_read_as_people_say_them() -> None:
    assert wheel.words("cared_for", 2) == "quite cared for"
    assert wheel.words("not_good_enough", 1) == "a little not good enough"
    assert wheel.label("self_conscious") == "Self-conscious"
