"""Leaving a bond ends what the two share, both ways: from then on each sees only their own
words. The leaver keeps what they wrote (their export still has it) and loses the other's
answers, replies, check-in feelings and notes, views of a difference and questions — web
pages, API and export alike; the one who stays already sees nothing of the leaver's.

Every person's text carries a canary naming its author, so one table of (who left, who
looks, where) says which canaries may show.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from factories import LATER_DAY, World, signed_in, world
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds import selectors, services
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond
from mutual.checkins import selectors as checkin_selectors
from mutual.checkins import services as checkin_services
from mutual.differences import services as difference_services
from mutual.safety import services as safety_services
from mutual.yourdata import services as account_services

pytestmark = pytest.mark.django_db

AT = LATER_DAY + timedelta(hours=1)
#: What each person writes; every word carries its author's name.
KINDS = ("ANSWER", "REPLY", "NOTE", "VIEW", "QUESTION")


def canary(name: str, kind: str) -> str:
    return f"{name.upper()}-{kind}-c4e1"


@dataclass
class Scene:
    w: World
    difference_id: str
    round_id: str

    def person(self, name: str) -> Person:
        return self.w.alice if name == "alice" else self.w.bob

    def revelation_of(self, name: str) -> str:
        return str((self.w.alice_rev if name == "alice" else self.w.bob_rev).pk)


def _scene() -> Scene:
    w = world(alice_text=canary("alice", "ANSWER"), bob_text=canary("bob", "ANSWER"))
    for rev, responder, name in ((w.alice_rev, w.bob, "bob"), (w.bob_rev, w.alice, "alice")):
        services.reply_write(
            revelation=rev,
            author=responder,
            heard=canary(name, "REPLY"),
            makes_sense="It makes sense.",
            care="I care.",
            costly=False,
            at=AT,
        )
    for who, name in ((w.alice, "alice"), (w.bob, "bob")):
        round_ = checkin_services.checkin_submit(
            bond=w.bond,
            person=who,
            feeling="calm",
            intensity=2,
            guess_feeling="calm",
            guess_intensity=2,
            note=canary(name, "NOTE"),
            at=AT,
        )
        services.prompt_write(
            bond=w.bond,
            by=who,
            text=canary(name, "QUESTION"),
            depth=0,
            theme="joys",
            emotional=False,
            at=AT,
        )
    difference = difference_services.difference_raise(
        bond=w.bond, person=w.alice, topic="Sundays", at=AT
    )
    for who, name in ((w.alice, "alice"), (w.bob, "bob")):
        difference_services.perspective_write(
            bond=w.bond,
            difference_id=difference.pk,
            person=who,
            body=canary(name, "VIEW"),
            at=AT,
        )
    return Scene(w, str(difference.pk), str(round_.pk))


def _pages(s: Scene) -> list[str]:
    bond = s.w.bond.pk
    return [
        "/bonds/",
        f"/bonds/{bond}/",
        f"/bonds/{bond}/history/",
        f"/exchanges/{s.w.exchange.pk}/",
        f"/bonds/{bond}/prompts/",
        f"/bonds/{bond}/checkins/",
        f"/bonds/{bond}/differences/",
        f"/bonds/{bond}/differences/{s.difference_id}/",
        f"/bonds/{bond}/insights/",
    ]


def _api_reads(s: Scene) -> list[str]:
    bond = s.w.bond.pk
    return [
        "/bonds",
        f"/bonds/{bond}",
        f"/bonds/{bond}/exchanges",
        f"/exchanges/{s.w.exchange.pk}",
        f"/bonds/{bond}/prompts?limit=200",
        f"/bonds/{bond}/checkins",
        f"/bonds/{bond}/checkins/{s.round_id}",
        f"/bonds/{bond}/differences",
        f"/bonds/{bond}/differences/{s.difference_id}",
        f"/bonds/{bond}/insights",
    ]


def _everything_seen_by(s: Scene, name: str) -> dict[str, str]:
    """Each surface the person can read — web page, API body, export — by its address."""
    who = Person.objects.get(pk=s.person(name).pk)
    browser = signed_in(who)
    seen = {}
    for url in _pages(s):
        response = browser.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        seen[url] = response.content.decode()
    _token, raw = token_issue(person=who, label="test", at=timezone.now())
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for path in _api_reads(s):
        response = api.get(f"/api/v1{path}")
        assert response.status_code == 200, (name, path, response.status_code)
        seen[f"api {path}"] = response.content.decode()
    seen["export"] = json.dumps(account_services.account_export(person=who, at=timezone.now()))
    return seen


def _shown(seen: dict[str, str], words: list[str]) -> dict[str, list[str]]:
    return {
        where: found for where, text in seen.items() if (found := [w for w in words if w in text])
    }


def _leave(s: Scene, leaver: str) -> None:
    bond = Bond.objects.get(pk=s.w.bond.pk)
    safety_services.bond_leave(bond=bond, person=s.person(leaver), at=AT + timedelta(hours=1))


OTHER = {"alice": "bob", "bob": "alice"}


@pytest.mark.parametrize("leaver", ["alice", "bob"])
def test_f11_before_leaving_each_reads_the_others_words(leaver: str) -> None:
    s = _scene()
    seen = _everything_seen_by(s, leaver)
    theirs = [canary(OTHER[leaver], kind) for kind in KINDS]
    shown = {word for found in _shown(seen, theirs).values() for word in found}
    assert shown == set(theirs)  # the table below is not vacuous


@pytest.mark.parametrize("leaver", ["alice", "bob"])
def test_f11_after_leaving_the_leaver_sees_none_of_the_others_words(leaver: str) -> None:
    s = _scene()
    _leave(s, leaver)
    seen = _everything_seen_by(s, leaver)
    assert _shown(seen, [canary(OTHER[leaver], kind) for kind in KINDS]) == {}


@pytest.mark.parametrize("leaver", ["alice", "bob"])
def test_f11_after_leaving_the_one_who_stays_sees_none_of_the_leavers_words(leaver: str) -> None:
    s = _scene()
    _leave(s, leaver)
    seen = _everything_seen_by(s, OTHER[leaver])
    assert _shown(seen, [canary(leaver, kind) for kind in KINDS]) == {}


@pytest.mark.parametrize("name", ["alice", "bob"])
@pytest.mark.parametrize("leaver", ["alice", "bob"])
def test_f11_after_leaving_each_keeps_their_own_words(leaver: str, name: str) -> None:
    s = _scene()
    _leave(s, leaver)
    exported = _everything_seen_by(s, name)["export"]
    for kind in KINDS:
        if kind != "NOTE":  # check-in notes are not part of the export
            assert canary(name, kind) in exported, kind
    data = json.loads(exported)
    assert data["bonds"][0]["status"] == "ended"
    assert data["bonds"][0]["ended_at"] is not None


@pytest.mark.parametrize("leaver", ["alice", "bob"])
def test_f11_after_leaving_the_others_answers_answer_404(leaver: str) -> None:
    s = _scene()
    stayer = OTHER[leaver]
    before = signed_in(s.person(leaver)).get(f"/revelations/{s.revelation_of(stayer)}/reply/")
    assert before.status_code == 302  # already replied: back to the exchange
    _leave(s, leaver)
    for looker, owner in ((leaver, stayer), (stayer, leaver)):
        browser = signed_in(s.person(looker))
        assert browser.get(f"/revelations/{s.revelation_of(owner)}/reply/").status_code == 404
        with pytest.raises(NotFound):
            selectors.revelation_get(id=s.revelation_of(owner), viewer=s.person(looker))
        own = selectors.revelation_get(id=s.revelation_of(looker), viewer=s.person(looker))
        assert str(own.pk) == s.revelation_of(looker)


def test_f11_the_leaver_sees_the_ended_bond_and_only_their_own_side() -> None:
    s = _scene()
    _leave(s, "bob")
    bond = Bond.objects.get(pk=s.w.bond.pk)
    exchange = selectors.exchange_get(id=s.w.exchange.pk, viewer=s.w.bob)
    view = selectors.exchange_view(exchange=exchange, viewer=s.w.bob)
    assert view.mine.text == canary("bob", "ANSWER")
    assert view.theirs.text is None
    assert view.theirs.revelation is None
    assert view.theirs.reply is not None
    assert view.theirs.reply.mine
    assert view.mine.reply is None  # Alice's reply to Bob's answer is hers
    rounds = checkin_selectors.checkin_rounds(bond=bond, viewer=s.w.bob)
    assert rounds[0].mine is not None
    assert rounds[0].theirs is None
    page = signed_in(s.w.bob).get(f"/bonds/{bond.pk}/").content.decode()
    assert "ended" in page.lower()
