"""Safety mode, as Alice lives it and as Bob never notices it.

After "I am being threatened, shamed or coerced" the safety page promises Alice that
Mutual will not ask her to share anything. Every page of the bond keeps that promise:
nothing invites her to answer, ask, check in, raise a topic, say she is ready or opt
into desire, and her trust score rests; what she wrote stays hers (read, edit, take
back, withdraw) and anything she chooses to write is one deliberate step away, never
refused. The safety page is one tap away on every page of the bond. Bob sees exactly
the same pages and API bodies as in a twin bond where Alice never entered safety mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from test_safety_partner import _normalise, _what_bob_sees

from factories import (
    T0,
    World,
    answered_pair,
    deepened,
    honor_both_ways,
    signed_in,
    world,
)
from mutual.api.tokens import token_issue
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Revelation

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(days=1)
BOBS_QUESTION = "What would you like more of, this spring?"


def _enter_safety_mode(client: Client, w: World) -> None:
    """Alice tells Mutual, through the web, that she is threatened, shamed or coerced."""
    response = client.post(f"/bonds/{w.bond.pk}/safety/report/", {"kind": "weaponization"})
    assert response.status_code == 302
    assert response["Location"] == f"/bonds/{w.bond.pk}/safety/"


def _leave_safety_mode(client: Client, w: World) -> None:
    response = client.post(f"/bonds/{w.bond.pk}/safety/mode-off/")
    assert response.status_code == 302


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _waiting_for_alice(w: World) -> Exchange:
    """Bob asks a question and answers it; Alice's answer is what it waits for."""
    prompt = services.prompt_write(
        bond=w.bond, by=w.bob, text=BOBS_QUESTION, depth=0, theme="joys", emotional=False, at=LATER
    )
    exchange = services.exchange_open(bond=w.bond, by=w.bob, prompt=prompt, at=LATER)
    services.revelation_write(
        exchange=exchange, author=w.bob, body="Bob's sealed answer", emotional=False, at=LATER
    )
    return exchange


def _invitations(bond: Bond) -> dict[str, str]:
    """What on Alice's bond home asks her to share or to go deeper, by its words and by
    where its link or form goes."""
    return {
        "choose a question": "Choose a question",
        "choose-question link": f'href="/bonds/{bond.pk}/prompts/"',
        "write your own": "Write your own",
        "write-your-own link": f'href="/bonds/{bond.pk}/prompts/new/"',
        "ready button": "I am ready to go deeper",
        "ready form": f'action="/bonds/{bond.pk}/ready/"',
        "desire opt-in": "Yes, I am open to questions about desire",
        "desire form": f'action="/bonds/{bond.pk}/desire/"',
        "trust panel": "Only for you",
        "trust score": "How safe sharing with",
        "gate needs": "data-gate-needs",
        "first question": "Choose a first question",
    }


def _safety_link(bond: Bond) -> str:
    return f'href="/bonds/{bond.pk}/safety/"'


# -- Alice's bond home --------------------------------------------------------------------------


def test_f12_in_safety_mode_alice_s_bond_home_invites_nothing_and_shows_the_way_out() -> None:
    w = world()
    alice = signed_in(w.alice)
    home, numbers = f"/bonds/{w.bond.pk}/", f"/bonds/{w.bond.pk}/numbers/"
    # The home page and its numbers, one tap away.
    before = _page(alice, home) + _page(alice, numbers)
    for name in ("choose a question", "write your own", "desire opt-in", "trust panel"):
        assert _invitations(w.bond)[name] in before, name
    _enter_safety_mode(alice, w)
    page = _page(alice, home) + _page(alice, numbers)
    shown = [name for name, words in _invitations(w.bond).items() if words in page]
    assert shown == []
    assert "Safety mode is on" in page
    assert page.count(_safety_link(w.bond)) >= 1
    # The way out is the first thing after the page's heading.
    assert page.index(_safety_link(w.bond)) < page.index('id="depth-title"')


def test_f12_after_leaving_safety_mode_alice_s_bond_home_is_as_it_was() -> None:
    def alice_home(tag: str, enter_and_leave: bool) -> str:
        w = world(tag=tag)
        alice = signed_in(w.alice)
        if enter_and_leave:
            _enter_safety_mode(alice, w)
            assert "Safety mode is on" in _page(alice, f"/bonds/{w.bond.pk}/")
            _leave_safety_mode(alice, w)
        page = _page(signed_in(w.alice), f"/bonds/{w.bond.pk}/")
        return _normalise(page, w)

    back = alice_home("1", enter_and_leave=True)
    never = alice_home("2", enter_and_leave=False)
    assert back == never
    assert "Choose a question" in back
    assert "Safety mode is on" not in back


def _alice_ready_and_open_to_desire(w: World) -> World:
    """Alice has said she is ready to go deeper (her own conditions hold: honored
    exchanges on separate days) and is open to questions about desire; Bob has not."""
    at = T0 + timedelta(hours=2)
    honor_both_ways(w, at)
    for i in range(6):  # the history ``deepened`` builds, without Bob's word
        at += timedelta(hours=1)
        ex, a, b = answered_pair(
            w.bond, w.alice, w.bob, alice_text=f"more {i}", bob_text=f"also {i}", at=at
        )
        honor_both_ways(World(w.alice, w.bob, w.charlie, w.bond, ex, a, b), at)
    services.readiness_set(bond=w.bond, person=w.alice, ready=True, at=at + timedelta(hours=1))
    services.desire_opt_in(bond=w.bond, person=w.alice, opt_in=True, at=at + timedelta(hours=1))
    w.bond.refresh_from_db()
    return w


def test_f12_in_safety_mode_alice_can_still_take_back_her_word_and_step_back() -> None:
    w = deepened(world())
    alice = signed_in(w.alice)
    services.desire_opt_in(bond=w.bond, person=w.alice, opt_in=True, at=LATER)
    _enter_safety_mode(alice, w)
    page = _page(alice, f"/bonds/{w.bond.pk}/")
    # Opting out of desire and stepping back protect her: they stay, one tap each.
    assert "No more questions about desire" in page
    assert "Yes, I am open to questions about desire" not in page
    assert f'action="/bonds/{w.bond.pk}/step-back/"' in page
    assert "I am ready to go deeper" not in page
    response = alice.post(f"/bonds/{w.bond.pk}/desire/", {"opt_in": "0"})
    assert response.status_code == 302
    assert Bond.objects.get(pk=w.bond.pk).desire_a is False


def test_f12_in_safety_mode_a_word_of_readiness_given_earlier_can_be_taken_back() -> None:
    w = _alice_ready_and_open_to_desire(world())
    alice = signed_in(w.alice)
    _enter_safety_mode(alice, w)
    page = _page(alice, f"/bonds/{w.bond.pk}/")
    assert "I am ready to go deeper" not in page
    assert "I would rather wait" in page
    assert 'name="ready" value="0"' in page
    assert 'name="ready" value="1"' not in page
    alice.post(f"/bonds/{w.bond.pk}/ready/", {"ready": "0"})
    w.bond.refresh_from_db()
    assert w.bond.snapshot["a"]["ready"] is False


# -- Alice's other pages of the bond ------------------------------------------------------------


def test_f12_an_exchange_waiting_for_her_does_not_ask_for_her_answer_but_never_locks_her_out() -> (
    None
):
    w = world()
    exchange = _waiting_for_alice(w)
    alice = signed_in(w.alice)
    url = f"/exchanges/{exchange.pk}/"
    assert 'name="body"' in _page(alice, url)
    _enter_safety_mode(alice, w)
    page = _page(alice, url)
    assert 'name="body"' not in page
    assert "Write your answer" not in page
    assert "Save and seal" not in page
    assert _safety_link(w.bond) in page
    # Her choice, deliberately: one step, and what she sends is taken.
    assert 'href="?edit=1"' in page
    assert 'name="body"' in _page(alice, url + "?edit=1")
    response = alice.post(url, {"body": "My own words, by my own choice", "emotional": ""})
    assert response.status_code == 302
    assert Revelation.objects.filter(exchange=exchange, author=w.alice).exists()
    # Bob had answered, so both answers open; hers shows, with the way to withdraw it.
    page = _page(alice, url)
    assert "My own words, by my own choice" in page
    assert 'name="body"' not in page
    mine = Revelation.objects.get(exchange=exchange, author=w.alice)
    assert f"/revelations/{mine.pk}/withdraw/" in page


def test_f12_her_sealed_answer_shows_as_written_with_ways_to_change_or_take_it_back() -> None:
    w = world()
    prompt = services.prompt_write(
        bond=w.bond,
        by=w.alice,
        text=BOBS_QUESTION,
        depth=0,
        theme="joys",
        emotional=False,
        at=LATER,
    )
    exchange = services.exchange_open(bond=w.bond, by=w.alice, prompt=prompt, at=LATER)
    mine = services.revelation_write(
        exchange=exchange, author=w.alice, body="Sealed, and mine", emotional=False, at=LATER
    )
    alice = signed_in(w.alice)
    url = f"/exchanges/{exchange.pk}/"
    _enter_safety_mode(alice, w)
    page = _page(alice, url)
    assert "Sealed, and mine" in page
    assert 'name="body"' not in page  # no open form inviting more
    assert "Edit my answer" in page
    assert f"/revelations/{mine.pk}/take-back/" in page
    assert 'name="body"' in _page(alice, url + "?edit=1")


def test_f12_her_own_words_stay_hers_and_a_reply_is_not_pressed_on_her() -> None:
    w = world()
    alice = signed_in(w.alice)
    url = f"/exchanges/{w.exchange.pk}/"
    reply_url = f"/revelations/{w.bob_rev.pk}/reply/"
    assert f'class="button" href="{reply_url}"' in _page(alice, url)
    _enter_safety_mode(alice, w)
    page = _page(alice, url)
    assert w.alice_rev.exchange.prompt.text in page
    assert "CANARY" in page  # her own answer, readable
    assert f"/revelations/{w.alice_rev.pk}/withdraw/" in page
    assert "Edit my answer" in page
    assert f'class="button" href="{reply_url}"' not in page
    assert "Reply to Bob" not in page
    assert _safety_link(w.bond) in page
    assert _page(alice, reply_url)  # still hers to choose


def test_f12_the_question_pages_rest_with_a_gentle_note_and_a_deliberate_choice() -> None:
    w = world()
    alice = signed_in(w.alice)
    prompts, new = f"/bonds/{w.bond.pk}/prompts/", f"/bonds/{w.bond.pk}/prompts/new/"
    ask = f'action="/bonds/{w.bond.pk}/exchanges/"'
    _enter_safety_mode(alice, w)
    for url in (prompts, new):
        page = _page(alice, url)
        assert "Safety mode is on" in page, url
        assert _safety_link(w.bond) in page, url
        assert "if you choose to" in page, url
    # The questions and the form wait folded behind her own choice, never open.
    page = _page(alice, prompts)
    assert re.search(r"<details class=\"more safety-choice\">\s*<summary>", page)
    assert page.index("<summary>Show the questions, if you choose to") < page.index(ask)
    page = _page(alice, new)
    assert page.index("<summary>Write a question, if you choose to") < page.index('name="text"')
    # What she sends is her choice, and it is taken.
    response = alice.post(
        new, {"text": "What do you need from me?", "depth": "0", "theme": "joys", "emotional": ""}
    )
    assert response.status_code == 302


def test_f12_check_ins_differences_history_and_insights_show_the_way_out() -> None:
    w = world()
    services.reply_write(
        revelation=w.alice_rev,
        author=w.bob,
        heard="I hear you.",
        makes_sense="It makes sense.",
        care="I care.",
        costly=False,
        at=LATER,
    )
    alice = signed_in(w.alice)
    pages = [
        f"/bonds/{w.bond.pk}/checkins/",
        f"/bonds/{w.bond.pk}/differences/",
        f"/bonds/{w.bond.pk}/history/",
        f"/bonds/{w.bond.pk}/insights/",
        f"/revelations/{w.alice_rev.pk}/rate/",
        f"/revelations/{w.bob_rev.pk}/reply/",
    ]
    for url in pages:
        assert "Safety mode is on" not in _page(alice, url), url
    _enter_safety_mode(alice, w)
    for url in pages:
        page = _page(alice, url)
        assert "Safety mode is on" in page, url
        assert _safety_link(w.bond) in page, url
    checkins = _page(alice, pages[0])
    assert checkins.index("<summary>Check in, if you choose to") < checkins.index('name="feeling"')
    differences = _page(alice, pages[1])
    assert differences.index("<summary>Raise a topic, if you choose to") < differences.index(
        'name="topic"'
    )
    insights = _page(alice, pages[3])
    assert "Your trust over time" not in insights


def test_f12_alice_s_api_bond_read_asks_nothing_and_keeps_its_shape() -> None:
    w = world()
    _token, raw = token_issue(person=w.alice, label="phone", at=T0)
    _waiting_for_alice(w)

    def read() -> dict:
        response = Client().get(f"/api/v1/bonds/{w.bond.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200
        return response.json()

    before = read()
    assert before["gate"]["needs"]
    assert before["waiting"]
    _enter_safety_mode(signed_in(w.alice), w)
    during = read()
    assert sorted(during) == sorted(before)
    assert during["in_safety_mode"] is True
    assert during["nudges"] is False
    assert during["waiting"] == []
    assert during["gate"]["needs"] == []
    _leave_safety_mode(signed_in(w.alice), w)
    after = read()
    assert after["gate"]["needs"] == before["gate"]["needs"]
    assert [item["kind"] for item in after["waiting"]] == [i["kind"] for i in before["waiting"]]


def test_f12_entering_and_leaving_safety_mode_raise_alice_s_version_not_bob_s() -> None:
    w = world()
    alice = signed_in(w.alice)
    _page(alice, f"/bonds/{w.bond.pk}/")
    w.bond.refresh_from_db()
    versions = (w.bond.version_a, w.bond.version_b)
    _enter_safety_mode(alice, w)
    w.bond.refresh_from_db()
    assert (w.bond.version_a, w.bond.version_b) == (versions[0] + 1, versions[1])
    assert "Safety mode is on" in _page(alice, f"/bonds/{w.bond.pk}/")
    _leave_safety_mode(alice, w)
    w.bond.refresh_from_db()
    assert (w.bond.version_a, w.bond.version_b) == (versions[0] + 2, versions[1])
    assert "Safety mode is on" not in _page(alice, f"/bonds/{w.bond.pk}/")


# -- Bob sees nothing of it ---------------------------------------------------------------------


def _bob_sees(w: World, exchange: Exchange) -> tuple[list[str], list[int]]:
    """Every page and API body Bob can fetch (the shared list), the exchange that waits
    for Alice's answer, and what each page costs in queries."""
    seen, queries = _what_bob_sees(w)
    bob = signed_in(w.bob)
    with CaptureQueriesContext(connection) as ctx:
        response = bob.get(f"/exchanges/{exchange.pk}/")
    seen.append(_normalise(response.content.decode(), w))
    queries.append(len(ctx.captured_queries))
    _token, raw = token_issue(person=w.bob, label="test", at=T0)
    for path in (f"/exchanges/{exchange.pk}", f"/bonds/{w.bond.pk}"):
        body = Client().get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        seen.append(_normalise(f"{path} {body.status_code} {body.content.decode()}", w))
    return seen, queries


def _alice_visits_everything(client: Client, w: World, exchange: Exchange) -> None:
    """Alice looks at every page of the bond."""
    for url in (
        f"/bonds/{w.bond.pk}/",
        f"/exchanges/{w.exchange.pk}/",
        f"/exchanges/{exchange.pk}/",
        f"/bonds/{w.bond.pk}/prompts/",
        f"/bonds/{w.bond.pk}/insights/",
        f"/bonds/{w.bond.pk}/checkins/",
    ):
        assert client.get(url).status_code == 200, url
    _token, raw = token_issue(person=w.alice, label="phone", at=T0)
    assert Client().get(f"/api/v1/bonds/{w.bond.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")


def _twin(
    action: Callable[[Client, World], None], tag: str, warm: bool
) -> tuple[list[str], list[int]]:
    w = deepened(world(tag=tag))
    exchange = _waiting_for_alice(w)
    if warm:  # Bob has seen every page already
        _bob_sees(w, exchange)
    alice = signed_in(w.alice)
    action(alice, w)
    _alice_visits_everything(alice, w, exchange)
    return _bob_sees(w, exchange)


@pytest.mark.parametrize("warm", [False, True], ids=["first", "again"])
@pytest.mark.usefixtures("steady_clock")
def test_f12_bob_sees_the_same_bytes_whether_or_not_alice_is_in_safety_mode(warm: bool) -> None:
    def nothing(client: Client, w: World) -> None:
        pass

    seen_safe, q_safe = _twin(_enter_safety_mode, "1", warm)
    seen_plain, q_plain = _twin(nothing, "2", warm)
    assert seen_safe == seen_plain
    assert q_safe == q_plain


@pytest.mark.parametrize("warm", [False, True], ids=["first", "again"])
@pytest.mark.usefixtures("steady_clock")
def test_f12_bob_sees_the_same_bytes_after_alice_left_safety_mode(warm: bool) -> None:
    def in_and_out(client: Client, w: World) -> None:
        _enter_safety_mode(client, w)
        _leave_safety_mode(client, w)

    def nothing(client: Client, w: World) -> None:
        pass

    seen_left, q_left = _twin(in_and_out, "1", warm)
    seen_plain, q_plain = _twin(nothing, "2", warm)
    assert seen_left == seen_plain
    assert q_left == q_plain
