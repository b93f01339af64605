"""The rule of who may answer, edit, reply, rate, take back and withdraw
(:mod:`mutual.bonds.rules`), case by case. Pure: no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mutual.bonds import rules
from mutual.bonds.rules import Facts

#: Alice (side a) looks at her own answer, both open, with a reply that stands.
MINE = Facts(viewer="a", author="a", answered=True, revealed=True, replied=True, reply_stands=True)
#: Alice looks at Bob's answer, both open, no reply yet.
THEIRS = Facts(viewer="a", author="b", answered=True, revealed=True)
#: Alice's own place in a question still sealed, not answered yet.
EMPTY = Facts(viewer="a", author="a", answered=False, revealed=False)
#: Alice's own answer, still sealed.
SEALED = Facts(viewer="a", author="a", answered=True, revealed=False)

PAUSED = {"active": False}
LEFT = {"active": False, "partner_present": False}

CASES = [
    # (rule, action, facts, what stands in the way first)
    ("one answers one's own empty place", rules.ANSWER, EMPTY, None),
    (
        "nobody answers in the other's place",
        rules.ANSWER,
        replace(EMPTY, author="b"),
        rules.NOT_YOURS,
    ),
    ("an answer is given once", rules.ANSWER, SEALED, rules.ANSWERED),
    (
        "nothing new is answered in a paused bond",
        rules.ANSWER,
        replace(EMPTY, **PAUSED),
        rules.INACTIVE,
    ),
    ("one's sealed answer can be edited", rules.EDIT, SEALED, None),
    ("one's open answer can be edited", rules.EDIT, MINE, None),
    (
        "a withdrawn answer stays withdrawn",
        rules.EDIT,
        replace(MINE, withdrawn=True),
        rules.WITHDRAWN,
    ),
    ("nobody edits the other's answer", rules.EDIT, THEIRS, rules.NOT_YOURS),
    ("there is nothing to edit before answering", rules.EDIT, EMPTY, rules.NOT_ANSWERED),
    ("an ended bond takes no edits", rules.EDIT, replace(MINE, **LEFT), rules.INACTIVE),
    ("the partner replies to an open answer", rules.REPLY, THEIRS, None),
    ("nobody replies to their own answer", rules.REPLY, MINE, rules.YOURS),
    ("a sealed answer gets no reply", rules.REPLY, replace(THEIRS, revealed=False), rules.SEALED),
    (
        "a withdrawn answer gets no reply",
        rules.REPLY,
        replace(THEIRS, withdrawn=True),
        rules.WITHDRAWN,
    ),
    ("an answer gets one reply", rules.REPLY, replace(THEIRS, replied=True), rules.REPLIED),
    (
        "a withdrawn reply is not written again",
        rules.REPLY,
        replace(THEIRS, replied=True, reply_stands=False),
        rules.REPLIED,
    ),
    ("no reply while the bond is paused", rules.REPLY, replace(THEIRS, **PAUSED), rules.INACTIVE),
    (
        "no reply once one of the two left",
        rules.REPLY,
        replace(THEIRS, partner_present=False),
        rules.PARTNER_GONE,
    ),
    ("the revealer rates the reply", rules.RATE, MINE, None),
    (
        "only the revealer rates",
        rules.RATE,
        replace(THEIRS, replied=True, reply_stands=True),
        rules.NOT_YOURS,
    ),
    ("a rating is final once given", rules.RATE, replace(MINE, rated=True), rules.RATED),
    (
        "there is no rating before a reply",
        rules.RATE,
        replace(MINE, replied=False, reply_stands=False),
        rules.NO_REPLY,
    ),
    (
        "a withdrawn reply is not rated",
        rules.RATE,
        replace(MINE, reply_stands=False),
        rules.NO_REPLY,
    ),
    ("a withdrawn answer is not rated", rules.RATE, replace(MINE, withdrawn=True), rules.WITHDRAWN),
    ("no rating while the bond is paused", rules.RATE, replace(MINE, **PAUSED), rules.INACTIVE),
    (
        "no rating once one of the two left",
        rules.RATE,
        replace(MINE, partner_present=False),
        rules.PARTNER_GONE,
    ),
    ("one's sealed answer can be taken back", rules.TAKE_BACK, SEALED, None),
    ("taking back works in a paused bond", rules.TAKE_BACK, replace(SEALED, **PAUSED), None),
    ("taking back works once the bond ended", rules.TAKE_BACK, replace(SEALED, **LEFT), None),
    ("an open answer is not taken back", rules.TAKE_BACK, MINE, rules.REVEALED),
    (
        "nobody takes back the other's answer",
        rules.TAKE_BACK,
        replace(THEIRS, revealed=False),
        rules.NOT_YOURS,
    ),
    ("there is nothing to take back before answering", rules.TAKE_BACK, EMPTY, rules.NOT_ANSWERED),
    ("one's open answer can be withdrawn", rules.WITHDRAW, MINE, None),
    ("one's sealed answer can be withdrawn", rules.WITHDRAW, SEALED, None),
    ("withdrawing works in a paused bond", rules.WITHDRAW, replace(MINE, **PAUSED), None),
    ("withdrawing works once the bond ended", rules.WITHDRAW, replace(MINE, **LEFT), None),
    ("an answer is withdrawn once", rules.WITHDRAW, replace(MINE, withdrawn=True), rules.WITHDRAWN),
    ("nobody withdraws the other's answer", rules.WITHDRAW, THEIRS, rules.NOT_YOURS),
]


@pytest.mark.parametrize(("rule", "action", "facts", "first"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule: str, action: str, facts: Facts, first: str | None) -> None:
    assert rules.refusal(action, facts) == first
    assert rules.may(action, facts) is (first is None)


def test_every_refusal_is_told_in_the_order_a_person_hears_it() -> None:
    """A paused bond is named before whose answer it is, so that a person is told the
    same whatever they tried; the rest follow."""
    facts = replace(THEIRS, active=False, revealed=False)
    assert rules.refusals(rules.RATE, facts) == (
        rules.INACTIVE,
        rules.NOT_YOURS,
        rules.SEALED,
        rules.NO_REPLY,
    )


def test_the_bond_alone_decides_what_waits_when_reading() -> None:
    """What depends on the bond as a whole, not on the exchange's rows."""
    for action in (rules.ANSWER, rules.REPLY, rules.RATE):
        assert rules.bond_allows(action, active=True, partner_present=True)
        assert not rules.bond_allows(action, active=False, partner_present=True)
    assert not rules.bond_allows(rules.REPLY, active=True, partner_present=False)
    assert rules.bond_allows(rules.ANSWER, active=True, partner_present=False)
    assert rules.bond_allows(rules.TAKE_BACK, active=False, partner_present=False)
    assert rules.bond_allows(rules.WITHDRAW, active=False, partner_present=False)


def test_a_reply_is_about_the_partners_answer_everything_else_about_ones_own() -> None:
    assert rules.about(rules.REPLY, "a") == "b"
    assert rules.about(rules.REPLY, "b") == "a"
    for action in (rules.ANSWER, rules.EDIT, rules.RATE, rules.TAKE_BACK, rules.WITHDRAW):
        assert rules.about(action, "b") == "b"


def test_every_action_has_a_rule_and_every_refusal_a_check() -> None:
    assert set(rules.RULES) == set(rules.ACTIONS)
    for action, reasons in rules.RULES.items():
        assert len(set(reasons)) == len(reasons), action
        assert set(reasons) <= set(rules._CHECKS), action


def test_the_rule_needs_no_django() -> None:
    """Facts in, a decision out: the module imports nothing but the standard library."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported <= {"__future__", "collections", "dataclasses", "typing"}
