"""The ideas behind Mutual, the rules of its model, and which idea explains each rule.

Concept pages are written in Markdown-ish files under ``content/`` and rendered by
:mod:`mutual.learn.render`. Every rule key of the engine maps to the concept page that
explains it; ``{% why "gate" %}`` links to that page (see ``templatetags/learn_tags``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.urls import get_script_prefix, reverse

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass(frozen=True, slots=True)
class Concept:
    slug: str
    title: str
    summary: str

    @property
    def path(self) -> Path:
        return CONTENT_DIR / f"{self.slug}.md"

    def url(self) -> str:
        return reverse("learn:concept", args=[self.slug])


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    name: str
    summary: str

    @property
    def anchor(self) -> str:
        return rule_anchor(self.key)


_CONCEPTS = (
    Concept(
        "mutual-vulnerability",
        "Intimacy as mutual vulnerability",
        "Closeness grows when both people take the risk of being known, and both are met "
        "with care.",
    ),
    Concept(
        "vulnerability",
        "Vulnerability and self-revelation",
        "Telling someone what matters to you is a risk. Depth, feeling and the right to "
        "take something back.",
    ),
    Concept(
        "trust",
        "Trust and how it is lost",
        "Trust grows slowly from kept confidences and falls quickly when they are broken. "
        "Deception and early breaches leave marks.",
    ),
    Concept(
        "responsiveness",
        "Responsiveness: understood, validated, cared for",
        "What turns a disclosure into closeness is the reply: feeling heard, making sense "
        "and mattering.",
    ),
    Concept(
        "attunement",
        "Attunement and affective communication",
        "Knowing that you exist in the other's mind: reading each other's feelings and "
        "answering small bids for connection.",
    ),
    Concept(
        "social-penetration",
        "Breadth and depth: social penetration",
        "Relationships open layer by layer, across more of life and further in, and may "
        "step back when sharing costs too much.",
    ),
    Concept(
        "repair",
        "Repair and revisiting differences",
        "Closeness deepens each time two people talk through a difference and come back "
        "to a hard subject.",
    ),
    Concept(
        "strain",
        "Care that costs something",
        "A kind reply that went against the grain of the moment says more than an easy "
        "one, and counts for more.",
    ),
    Concept(
        "asymmetry",
        "Why a hurt weighs more than a kindness",
        "Bad moments weigh more than good ones of the same size. Mutual counts a "
        "dishonored revelation twice, and no more.",
    ),
    Concept(
        "confidence-breach",
        "When a confidence is broken",
        "What was shared and then used against you weighs heavily, and the bond steps "
        "back to a shallower depth.",
    ),
    Concept(
        "deception-scar",
        "When a breach was denied",
        "Being lied to about a broken confidence leaves a mark that kept promises ease "
        "only slowly.",
    ),
    Concept(
        "forgetting",
        "Forgetting: the recent past counts most",
        "Old evidence fades, for better and for worse, so a bond is judged by how it is lived now.",
    ),
    Concept(
        "depth-gate",
        "The depth gate: going deeper together",
        "A deeper level opens only when both of you have been met with care and both "
        "say you are ready. Either can step back.",
    ),
    Concept(
        "balance",
        "Balance: when one shares far more",
        "Sharing works best in turns. When it has become one-sided, only the one who "
        "shared more is told, quietly.",
    ),
    Concept(
        "staying-safe",
        "Coercive control and staying safe",
        "When what you shared is used to control or hurt you. Signs to notice, and ways "
        "to look after yourself and find support.",
    ),
)
CONCEPTS: dict[str, Concept] = {concept.slug: concept for concept in _CONCEPTS}

_RULES = (
    Rule(
        "sealed",
        "Sealed answers",
        "Both answers to a prompt stay sealed until both of you have written; then they "
        "open together, so neither person risks more than the other.",
    ),
    Rule(
        "stake",
        "What a revelation stakes",
        "Deeper and more emotional revelations weigh more: 0.3, 0.5, 0.8, 1.2 and 1.6 for "
        "depths 0 to 4, and half as much again when the revelation is about feelings.",
    ),
    Rule(
        "withdrawal",
        "Taking something back",
        "You can withdraw a revelation at any time. Your partner then sees only a dated "
        "note that something was withdrawn, never the text again.",
    ),
    Rule(
        "responsiveness",
        "Rating a reply",
        "The person who shared rates, privately, how understood, validated and cared for "
        "the reply made them feel, 1 to 7 each. The average becomes a number from 0 to 1.",
    ),
    Rule(
        "honored",
        "An honored revelation",
        "A reply rated 0.6 or more honors the revelation: trust grows in proportion to "
        "what was staked and how well the reply landed. A reply in between changes nothing.",
    ),
    Rule(
        "dishonored",
        "A dishonored revelation",
        "A reply rated 0.3 or less takes trust away, and a loss counts twice as heavily "
        "as a gain of the same size.",
    ),
    Rule(
        "strain",
        "A reply that cost something",
        "When the person replying marks a reply as costly to them, and it is honored, it "
        "counts one and a half times.",
    ),
    Rule(
        "breach",
        "A breach of confidence",
        "A private report that a revelation was used against you weighs five times its "
        "stake against trust, and the bond's open depth steps back one level.",
    ),
    Rule(
        "deception",
        "A scar from deception",
        "A breach that was denied and later confirmed leaves a scar: trust counts for 20% "
        "less, and the scar halves each year.",
    ),
    Rule(
        "forgetting",
        "Forgetting",
        "Evidence for and against trust fades with a half-life of 26 weeks, so a bond is "
        "judged more by its recent life than by its distant past.",
    ),
    Rule(
        "lower_bound",
        "Cautious trust",
        "Decisions use a cautious estimate of trust (the 20th percentile of its Beta "
        "distribution), which rises only as evidence builds up.",
    ),
    Rule(
        "gate",
        "The depth gate",
        "A deeper level opens when you both say you are ready. Each of you can say so "
        "only once your own side is: your own cautious trust has reached its threshold "
        "(0.30, 0.45, 0.60, 0.75), your own sharing at this depth felt honored, and for "
        "the deepest level that it spans two days, in two sittings. What holds you back is shown "
        "to you alone; to the other it looks like a word not said yet.",
    ),
    Rule(
        "step_back",
        "Stepping back",
        "Either person can close the deepest open level at any time, alone, without "
        "giving a reason.",
    ),
    Rule(
        "mutual_index",
        "The mutual index",
        "What each person has shared and had honored is combined by a harmonic mean, "
        "which stays at zero while either side has not yet been vulnerable. You both see "
        "it as of the end of yesterday, in steps of five, so that no single private "
        "rating shows in it.",
    ),
    Rule(
        "breadth",
        "Breadth",
        "The number of themes in which you have had at least one honored exchange at "
        "depth 2 or deeper.",
    ),
    Rule(
        "balance",
        "Balance",
        "When one person has shared far more than the other (less than a third as much "
        "on the other side, after ten revelations), only the one who shared more gets a "
        "gentle, private reflection.",
    ),
    Rule(
        "attunement",
        "Attunement",
        "At a check-in each names a feeling and guesses the other's. How close the guess "
        "was, averaged over 14 days, shows how well you read each other.",
    ),
    Rule(
        "repair",
        "Repair",
        "When both of you feel understood in a round on a difference, trust grows a "
        "little in both directions.",
    ),
    Rule(
        "safety_mode",
        "Safety mode",
        "A report of threats, shaming or coercion changes no score. It stops every nudge "
        "to share and puts pause, leave, export, delete and support close at hand. Your "
        "partner is never told.",
    ),
)
RULES: dict[str, Rule] = {rule.key: rule for rule in _RULES}

#: Engine rule key -> slug of the concept page that explains it.
RULE_CONCEPTS: dict[str, str] = {
    "sealed": "mutual-vulnerability",
    "stake": "vulnerability",
    "withdrawal": "vulnerability",
    "responsiveness": "responsiveness",
    "honored": "responsiveness",
    "dishonored": "asymmetry",
    "strain": "strain",
    "breach": "confidence-breach",
    "deception": "deception-scar",
    "forgetting": "forgetting",
    "lower_bound": "trust",
    "gate": "depth-gate",
    "step_back": "depth-gate",
    "breadth": "social-penetration",
    "mutual_index": "mutual-vulnerability",
    "balance": "balance",
    "attunement": "attunement",
    "repair": "repair",
    "safety_mode": "staying-safe",
}

#: Each mechanism of the engine, by its section title in docs/engine.md, and its one page
#: in the library. A test reads the numbered sections of docs/engine.md back, so a
#: mechanism added there needs its page here.
MECHANISM_PAGES: dict[str, str] = {
    "Stake": "vulnerability",
    "Responsiveness": "responsiveness",
    "Trust, per direction": "trust",
    "Strain": "strain",
    "Asymmetry": "asymmetry",
    "Confidence breach": "confidence-breach",
    "Deception scar": "deception-scar",
    "Repair": "repair",
    "Forgetting": "forgetting",
    "The depth gate": "depth-gate",
    "Mutual vulnerability: the intimacy index": "mutual-vulnerability",
    "Breadth": "social-penetration",
    "Balance": "balance",
    "Attunement": "attunement",
    "Safety mode": "staying-safe",
}
#: Sections of docs/engine.md about how the engine is built rather than a mechanism.
NOT_MECHANISMS: frozenset[str] = frozenset(
    {"The fold and snapshots", "Bad input", "Choices the design left open", "Public names"}
)


def rule_anchor(key: str) -> str:
    """The id of a rule's entry on its concept page."""
    return f"rule-{key.replace('_', '-')}"


def why_url(key: str) -> str:
    """The address of the explanation of an engine rule (reversed once per rule, as
    pages ask for the same few on every read).

    Raises ``KeyError`` for a rule key Mutual does not have.
    """
    return _why_url(key, get_script_prefix())


@lru_cache(maxsize=256)
def _why_url(key: str, prefix: str) -> str:
    slug = RULE_CONCEPTS[key]
    return f"{CONCEPTS[slug].url()}#{rule_anchor(key)}"


def rules_for(slug: str) -> list[Rule]:
    """The rules explained by one concept page, in the order of :data:`RULES`."""
    return [rule for key, rule in RULES.items() if RULE_CONCEPTS.get(key) == slug]


@cache
def concept_source(slug: str) -> str:
    """The Markdown-ish text of a concept page."""
    return CONCEPTS[slug].path.read_text(encoding="utf-8")
