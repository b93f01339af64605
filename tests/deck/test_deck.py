"""The prompt deck that ships with Mutual: shape, balance across depths and themes, and
originality guards. A plain test: it reads the JSON file and needs no database."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from mutual.engine import THEMES
from mutual.engine.vocabulary import DEPTHS, OPT_IN_THEMES

DECK_PATH = Path(__file__).resolve().parents[2] / "src" / "mutual" / "bonds" / "deck.json"
FIELDS = {"key", "depth", "theme", "topic", "text", "emotional", "kind"}
KINDS = {"both", "partners", "friends"}
#: What a question is about, across the themes: the parts of a life two people share.
TOPICS = (
    "everyday", "play", "appreciation", "anger", "money", "health",
    "friendship", "work", "meaning", "family", "past", "us",
)  # fmt: skip
NAMED_THEMES = ("dreams", "hurts", "fears")  # the three the definition of intimacy names
MAX_TEXT = 200
KEY_PATTERN = re.compile(r"^(?P<theme>[a-z]+)-(?P<depth>[0-4])-[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Phrases from well-known published question sets and questionnaires. The deck is written
#: in Mutual's own words, so none of these may appear in any prompt.
PUBLISHED_PHRASES = (
    "would you like to be famous",
    "perfect day",
    "crystal ball",
    "dinner guest",
    "rehearse what you are going to say",
    "last sing to yourself",
    "mind or body of a 30",
    "secret hunch",
    "how you will die",
    "in common",
    "most grateful",
    "way you were raised",
    "your life story",
    "gained any one quality",
    "greatest accomplishment",
    "value most in a friendship",
    "most treasured",
    "most terrible memory",
    "die suddenly",
    "what does friendship mean",
    "love and affection play",
    "positive characteristic",
    "close and warm is your family",
    "relationship with your mother",
    '"we" statements',
    "someone with whom i could share",
    "embarrassing moment",
    "last cry",
    "too serious to be joked about",
    "die this evening",
    "regret not having told",
    "catches fire",
    "most disturbing",
    "personal problem and ask",
    "perfect happiness",
    "greatest fear",
    "your motto",
    "how would you like to die",
    "most marked characteristic",
    "first impression of me",
)
#: Words that would make a prompt explicit, clinical or gamified.
OFF_TONE_WORDS = ("sex", "naked", "orgasm", "score", "points", "level up", "streak", "patient")


def _load() -> list[dict[str, Any]]:
    return json.loads(DECK_PATH.read_text(encoding="utf-8"))


DECK = _load()


def test_the_deck_is_a_json_list_of_prompt_objects() -> None:
    assert isinstance(DECK, list)
    for prompt in DECK:
        assert isinstance(prompt, dict)
        assert set(prompt) == FIELDS, prompt


def test_the_deck_holds_at_least_400_prompts() -> None:
    """Three questions a week for a year is 156; a year of two questions a day at every
    depth the pair has opened still leaves some unasked."""
    assert len(DECK) >= 400


def test_keys_are_unique_slugs_naming_theme_and_depth() -> None:
    keys = [p["key"] for p in DECK]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    for prompt in DECK:
        match = KEY_PATTERN.match(prompt["key"])
        assert match, prompt["key"]
        assert match["theme"] == prompt["theme"], prompt["key"]
        assert int(match["depth"]) == prompt["depth"], prompt["key"]


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("depth", set(range(len(DEPTHS)))),
        ("theme", set(THEMES)),
        ("kind", KINDS),
        ("topic", set(TOPICS)),
        ("emotional", {True, False}),
    ],
)
def test_every_field_takes_an_allowed_value(field: str, allowed: set[object]) -> None:
    bad = [p["key"] for p in DECK if p[field] not in allowed or isinstance(p[field], float)]
    assert bad == []


def test_depth_is_an_integer_and_emotional_a_boolean() -> None:
    for prompt in DECK:
        assert type(prompt["depth"]) is int, prompt["key"]
        assert type(prompt["emotional"]) is bool, prompt["key"]


@pytest.mark.parametrize("theme", NAMED_THEMES)
@pytest.mark.parametrize("depth", range(len(DEPTHS)))
def test_dreams_hurts_and_fears_have_at_least_six_prompts_at_each_depth(
    theme: str, depth: int
) -> None:
    count = sum(1 for p in DECK if p["theme"] == theme and p["depth"] == depth)
    assert count >= 6


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_is_present_at_three_or_more_depths(theme: str) -> None:
    depths = {p["depth"] for p in DECK if p["theme"] == theme}
    assert len(depths) >= 3


def test_every_depth_is_present() -> None:
    assert {p["depth"] for p in DECK} == set(range(len(DEPTHS)))


def test_desire_prompts_are_offered_only_to_partners() -> None:
    for prompt in DECK:
        if prompt["theme"] in OPT_IN_THEMES:
            assert prompt["kind"] == "partners", prompt["key"]
        else:
            assert prompt["kind"] in {"both", "friends"}, prompt["key"]


def _normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_no_two_prompts_share_a_text() -> None:
    texts = [_normalised(p["text"]) for p in DECK]
    assert [t for t, n in Counter(texts).items() if n > 1] == []


def test_texts_are_short_trimmed_and_end_as_sentences() -> None:
    for prompt in DECK:
        text = prompt["text"]
        assert 10 <= len(text) <= MAX_TEXT, prompt["key"]
        assert text == text.strip(), prompt["key"]
        assert "  " not in text, prompt["key"]
        assert text[0].isupper(), prompt["key"]
        assert text.endswith(("?", ".")), prompt["key"]


def test_the_deepest_prompts_invite_feelings() -> None:
    """Tender and core prompts are about feelings, so they carry the emotional weight."""
    facts_only = [p["key"] for p in DECK if p["depth"] >= 3 and not p["emotional"]]
    assert facts_only == []


def test_surface_prompts_stay_light() -> None:
    heavy = [p["key"] for p in DECK if p["depth"] == 0 and p["emotional"]]
    assert heavy == []


@pytest.mark.parametrize("phrase", PUBLISHED_PHRASES)
def test_no_prompt_echoes_a_published_question(phrase: str) -> None:
    hits = [p["key"] for p in DECK if phrase in p["text"].lower()]
    assert hits == []


@pytest.mark.parametrize("word", OFF_TONE_WORDS)
def test_no_prompt_is_explicit_clinical_or_gamified(word: str) -> None:
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    hits = [p["key"] for p in DECK if pattern.search(p["text"].lower())]
    assert hits == []


def test_the_guards_would_catch_an_echo() -> None:
    """The guard is honest: a prompt echoing a published question would be found."""
    echo = "What would be a perfect day for you?"
    assert any(phrase in echo.lower() for phrase in PUBLISHED_PHRASES)
