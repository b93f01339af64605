"""The deck's balance and variety: enough questions at every depth, every theme and every
topic at every depth, no theme crowding the others, a friends-only set, no two questions
nearly the same, and no opening worn out. Plain tests over deck.json; no database.

The limits are written down with their reasons in docs/learn.md ("The deck").
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mutual.engine import THEMES
from mutual.engine.vocabulary import DEPTHS, OPT_IN_THEMES

DECK_PATH = Path(__file__).resolve().parents[2] / "src" / "mutual" / "bonds" / "deck.json"
DECK: list[dict[str, Any]] = json.loads(DECK_PATH.read_text(encoding="utf-8"))
SHARED_THEMES = [t for t in THEMES if t not in OPT_IN_THEMES]
TOPICS = sorted({p["topic"] for p in DECK})

#: At least this many questions at every depth (a couple answering three a week at one
#: depth for five months before it runs dry, while the next depth opens).
PER_DEPTH = 60
#: Every shared theme takes between these shares of the deck: an even split of seven is
#: 14 %; no theme may crowd the others, none may be an afterthought.
THEME_SHARE = (0.10, 0.17)
#: Hurts and fears together: at most a quarter (they were 39 % of the first deck).
PAIN_SHARE = 0.25
#: Joys at least an even share: good news shared well builds as much as pain shared.
JOY_SHARE = 0.14
#: Friends-only questions at every depth.
FRIENDS_PER_DEPTH = 4
#: Character 4-grams of two questions' words overlapping this much (Jaccard) are a
#: rewording of one question. A known rewording ("What do you fear would happen if you
#: trusted someone completely?" / "... if you let yourself lean on someone fully?") scores
#: 0.45; the closest two distinct questions of the deck score 0.35.
NEAR_DUPLICATE = 0.40
#: Content words (no small words) shared this much (Jaccard) is the same question too.
SAME_WORDS = 0.50
#: No opening of two or three words begins more than this share of a depth's questions.
OPENING_SHARE = 1 / 7
#: "Is there ..." invites a yes or no; at most this many in the deck.
IS_THERE = 2

SMALL_WORDS = frozenset(
    re.findall(
        r"[a-z]+",
        "a an the of to and or you your is it in on for that what which do did does be i me "
        "my we us with as at by this when how who whom would could if are was were have has "
        "had there from about one some",
    )
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def char_grams(text: str, n: int = 4) -> frozenset[str]:
    joined = " ".join(_words(text))
    return frozenset(joined[i : i + n] for i in range(len(joined) - n + 1))


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _words(text) if w not in SMALL_WORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


@pytest.mark.parametrize("depth", range(len(DEPTHS)))
def test_every_depth_holds_enough_questions(depth: int) -> None:
    assert sum(1 for p in DECK if p["depth"] == depth) >= PER_DEPTH


@pytest.mark.parametrize("depth", range(len(DEPTHS)))
def test_every_depth_covers_every_theme_and_every_topic(depth: int) -> None:
    here = [p for p in DECK if p["depth"] == depth]
    assert {p["theme"] for p in here} == set(THEMES)
    assert {p["topic"] for p in here} == set(TOPICS)


@pytest.mark.parametrize("depth", range(len(DEPTHS)))
@pytest.mark.parametrize("theme", SHARED_THEMES)
def test_every_shared_theme_has_at_least_eight_questions_at_every_depth(
    depth: int, theme: str
) -> None:
    assert sum(1 for p in DECK if p["depth"] == depth and p["theme"] == theme) >= 8


@pytest.mark.parametrize("theme", SHARED_THEMES)
def test_no_theme_crowds_the_others(theme: str) -> None:
    share = sum(1 for p in DECK if p["theme"] == theme) / len(DECK)
    low, high = THEME_SHARE
    assert low <= share <= high, f"{theme}: {share:.1%}"


def test_hurts_and_fears_are_at_most_a_quarter_and_joys_hold_their_share() -> None:
    counts = Counter(p["theme"] for p in DECK)
    assert (counts["hurts"] + counts["fears"]) / len(DECK) <= PAIN_SHARE
    assert counts["joys"] / len(DECK) >= JOY_SHARE


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_a_fair_number_of_questions(topic: str) -> None:
    """Money, health, anger, work, faith and meaning, family: each a real part of the deck."""
    assert sum(1 for p in DECK if p["topic"] == topic) >= 20


def test_the_topics_are_the_ones_the_deck_promises() -> None:
    assert set(TOPICS) == {
        "everyday", "play", "appreciation", "anger", "money", "health",
        "friendship", "work", "meaning", "family", "past", "us",
    }  # fmt: skip


@pytest.mark.parametrize("depth", range(len(DEPTHS)))
def test_friends_have_their_own_questions_at_every_depth(depth: int) -> None:
    friends = [p for p in DECK if p["depth"] == depth and p["kind"] == "friends"]
    assert len(friends) >= FRIENDS_PER_DEPTH
    assert all(p["theme"] not in OPT_IN_THEMES for p in friends)


def test_no_two_questions_are_near_duplicates() -> None:
    grams = [char_grams(p["text"]) for p in DECK]
    words = [content_words(p["text"]) for p in DECK]
    close = [
        (DECK[i]["key"], DECK[j]["key"])
        for i, j in itertools.combinations(range(len(DECK)), 2)
        if jaccard(grams[i], grams[j]) >= NEAR_DUPLICATE
        or jaccard(words[i], words[j]) >= SAME_WORDS
    ]
    assert close == []


def test_the_near_duplicate_measure_catches_a_rewording() -> None:
    """The measure is honest: the rewording that was in the first deck is caught, and two
    questions on one subject that ask different things are not."""
    a = "What do you fear would happen if you trusted someone completely?"
    b = "What do you fear would happen if you let yourself lean on someone fully?"
    c = "What frightens you about losing someone close?"
    assert jaccard(char_grams(a), char_grams(b)) >= NEAR_DUPLICATE
    assert jaccard(char_grams(a), char_grams(c)) < NEAR_DUPLICATE


@pytest.mark.parametrize("depth", range(len(DEPTHS)))
@pytest.mark.parametrize("length", [2, 3])
def test_no_opening_is_worn_out(depth: int, length: int) -> None:
    here = [p for p in DECK if p["depth"] == depth]
    openings = Counter(" ".join(_words(p["text"])[:length]) for p in here)
    worn = {o: n for o, n in openings.items() if n > OPENING_SHARE * len(here)}
    assert worn == {}


def test_few_questions_ask_for_a_yes_or_no() -> None:
    assert sum(1 for p in DECK if p["text"].lower().startswith("is there")) <= IS_THERE


#: Words that turn a question into a confession someone could hold against the one who
#: answers, rather than a feeling or a need they might share.
CONFESSION_WORDS = (
    "ashamed of",
    "against your conscience",
    "blame yourself",
    "truer version",
    "do not deserve",
    "secretly",
    "never told anyone",
    "worst thing you",
)


@pytest.mark.parametrize("phrase", CONFESSION_WORDS)
def test_no_question_asks_for_a_confession(phrase: str) -> None:
    assert [p["key"] for p in DECK if phrase in p["text"].lower()] == []


def test_the_deepest_questions_do_not_come_before_tender() -> None:
    """Questions about a day that changed everything, trauma's shape, are Tender or Core."""
    early = [
        p["key"]
        for p in DECK
        if p["depth"] < 3 and re.search(r"never (quite )?the same|trauma", p["text"].lower())
    ]
    assert early == []
