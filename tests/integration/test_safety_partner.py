"""SECURITY.md 1, 4 and 5, and DESIGN §3 on reports: withdrawal leaves a dated tombstone,
pause and leave work alone, export holds only what one wrote, and nothing the partner
can see — page, API answer or count — changes because of a private report."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import (
    CANARY,
    T0,
    World,
    answered_pair,
    deepened,
    honor_both_ways,
    own_question,
    signed_in,
    world,
)
from mutual import engine
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds import ledger, selectors, services
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond, Revelation
from mutual.safety import selectors as safety_selectors
from mutual.safety import services as safety_services
from mutual.safety.models import BreachReport
from mutual.yourdata import services as account_services

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(days=1)


def _api(who: Person, path: str) -> tuple[int, str]:
    _token, raw = token_issue(person=who, label="test", at=T0)
    response = Client().get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return response.status_code, response.content.decode()


def _partner_surfaces(w: World) -> list[str]:
    return [
        "/bonds/",
        f"/bonds/{w.bond.pk}/",
        f"/exchanges/{w.exchange.pk}/",
        f"/bonds/{w.bond.pk}/insights/",
        f"/bonds/{w.bond.pk}/checkins/",
        f"/bonds/{w.bond.pk}/differences/",
        f"/bonds/{w.bond.pk}/numbers/",
        f"/bonds/{w.bond.pk}/safety/",
        "/waiting/",
    ]


def _api_surfaces(w: World) -> list[str]:
    return [
        "/bonds",
        f"/bonds/{w.bond.pk}",
        f"/bonds/{w.bond.pk}/exchanges",
        f"/exchanges/{w.exchange.pk}",
        f"/bonds/{w.bond.pk}/insights",
        f"/bonds/{w.bond.pk}/prompts",
    ]


# -- 1. Withdrawal ---------------------------------------------------------------------------


def test_req1_sealed_until_both_answered() -> None:
    w = world()
    prompt_exchange = services.exchange_open(
        bond=w.bond,
        by=w.alice,
        prompt=own_question(w.bond, w.alice, "A second question", at=LATER),
        at=LATER,
    )
    services.revelation_write(
        exchange=prompt_exchange, author=w.alice, body=CANARY + "-sealed", emotional=False, at=LATER
    )
    page = signed_in(w.bob).get(f"/exchanges/{prompt_exchange.pk}/").content.decode()
    assert CANARY + "-sealed" not in page
    status, body = _api(w.bob, f"/exchanges/{prompt_exchange.pk}")
    assert status == 200
    assert CANARY not in body


def test_req1_withdrawn_text_is_gone_from_every_partner_view() -> None:
    w = world()
    bob = signed_in(w.bob)
    assert CANARY in bob.get(f"/exchanges/{w.exchange.pk}/").content.decode()
    safety_services.revelation_withdraw(revelation=w.alice_rev, person=w.alice, at=LATER)
    for url in _partner_surfaces(w):
        assert CANARY not in bob.get(url, follow=True).content.decode(), url
    for path in _api_surfaces(w):
        assert CANARY not in _api(w.bob, path)[1], path
    exported = json.dumps(account_services.account_export(person=w.bob, at=LATER))
    assert CANARY not in exported


def test_req1_withdrawal_leaves_a_dated_tombstone() -> None:
    w = world()
    safety_services.revelation_withdraw(revelation=w.alice_rev, person=w.alice, at=LATER)
    view = selectors.exchange_view(exchange=w.exchange, viewer=w.bob)
    assert view.theirs.text is None
    assert view.theirs.withdrawn_at == LATER
    page = signed_in(w.bob).get(f"/exchanges/{w.exchange.pk}/").content.decode()
    assert "withdrawn" in page.lower()


def test_req1_withdrawn_text_is_erased_not_just_hidden() -> None:
    w = world()
    safety_services.revelation_withdraw(revelation=w.alice_rev, person=w.alice, at=LATER)
    stored = Revelation.objects.get(pk=w.alice_rev.pk)
    assert w.alice.open(bytes(stored.body_enc), stored.aad) == ""
    assert selectors.revelation_text_for(revelation=stored, viewer=w.alice) is None


def test_req1_only_the_author_can_withdraw() -> None:
    w = world()
    for stranger in (w.bob, w.charlie):
        with pytest.raises(NotFound):
            safety_services.revelation_withdraw(revelation=w.alice_rev, person=stranger, at=LATER)
    assert Revelation.objects.get(pk=w.alice_rev.pk).withdrawn_at is None


def test_req1_withdrawing_twice_is_refused_and_changes_nothing() -> None:
    w = world()
    safety_services.revelation_withdraw(revelation=w.alice_rev, person=w.alice, at=LATER)
    with pytest.raises(Conflict):
        safety_services.revelation_withdraw(
            revelation=w.alice_rev, person=w.alice, at=LATER + timedelta(days=1)
        )
    assert Revelation.objects.get(pk=w.alice_rev.pk).withdrawn_at == LATER


def test_req1_withdraw_through_the_web() -> None:
    w = world()
    alice = signed_in(w.alice)
    response = alice.post(f"/revelations/{w.alice_rev.pk}/withdraw/")
    assert response.status_code == 302
    assert Revelation.objects.get(pk=w.alice_rev.pk).withdrawn_at is not None
    bob_try = signed_in(w.bob).post(f"/revelations/{w.bob_rev.pk}/withdraw/")
    assert bob_try.status_code == 302  # his own: allowed
    charlie = signed_in(w.charlie).post(f"/revelations/{w.alice_rev.pk}/withdraw/")
    assert charlie.status_code == 404


# -- 4. Pause and leave -----------------------------------------------------------------------


def test_req4_either_can_pause_alone_and_only_the_pauser_resumes() -> None:
    w = world()
    safety_services.bond_pause(bond=w.bond, person=w.alice, at=LATER)
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.PAUSED
    with pytest.raises(Conflict):
        safety_services.bond_resume(bond=w.bond, person=w.bob, at=LATER)
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.PAUSED
    safety_services.bond_resume(bond=w.bond, person=w.alice, at=LATER)
    safety_services.bond_pause(bond=w.bond, person=w.bob, at=LATER)
    assert Bond.objects.get(pk=w.bond.pk).paused_by == "b"


def test_req4_nothing_new_while_paused() -> None:
    w = world()
    safety_services.bond_pause(bond=w.bond, person=w.bob, at=LATER)
    with pytest.raises(Conflict):
        answered_pair(w.bond, w.alice, w.bob, alice_text="x", bob_text="y", at=LATER)


def test_req4_after_leaving_the_other_sees_none_of_the_leavers_revelations() -> None:
    w = world()
    honor_both_ways(w, T0 + timedelta(hours=2))
    safety_services.bond_leave(bond=w.bond, person=w.alice, at=LATER)
    bob = signed_in(w.bob)
    for url in _partner_surfaces(w):
        page = bob.get(url, follow=True).content.decode()
        assert CANARY not in page, url
    for path in _api_surfaces(w):
        assert CANARY not in _api(w.bob, path)[1], path
    assert CANARY not in json.dumps(account_services.account_export(person=w.bob, at=LATER))
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.ENDED


def test_req4_leave_by_a_stranger_is_refused() -> None:
    w = world()
    with pytest.raises(NotFound):
        safety_services.bond_leave(bond=w.bond, person=w.charlie, at=LATER)
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.ACTIVE


def test_req4_leave_through_the_web_needs_fresh_reauthentication() -> None:
    w = world()
    alice = signed_in(w.alice)
    response = alice.post(f"/bonds/{w.bond.pk}/safety/leave/")
    assert "reauthenticate" in response["Location"]
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.ACTIVE
    alice.post("/accounts/reauthenticate/", {"password": "a long and quiet evening by the sea"})
    alice.post(f"/bonds/{w.bond.pk}/safety/leave/")
    assert Bond.objects.get(pk=w.bond.pk).status == Bond.Status.ENDED


# -- 5. Export --------------------------------------------------------------------------------


def test_req5_export_holds_own_words_and_replies_received_never_the_partners_answers() -> None:
    w = world(bob_text="BOBS-OWN-ANSWER-never-in-alices-export")
    honor_both_ways(w, T0 + timedelta(hours=2))
    data = account_services.account_export(person=w.alice, at=LATER)
    text = json.dumps(data)
    assert CANARY in text
    assert "I hear you." in text  # Bob's reply to Alice
    assert "BOBS-OWN-ANSWER" not in text
    answers = data["bonds"][0]["my_answers"]
    assert [a["text"] for a in answers] == [CANARY]


def test_req5_export_html_page_is_readable_and_has_no_partner_answers() -> None:
    w = world(bob_text="BOBS-OWN-ANSWER-never-in-alices-export")
    client = signed_in(w.alice)
    client.post("/accounts/reauthenticate/", {"password": "a long and quiet evening by the sea"})
    page = client.post("/accounts/export/").content.decode()
    assert CANARY in page
    assert "BOBS-OWN-ANSWER" not in page


# -- Reports: private, and invisible to the partner ---------------------------------------------


def _normalise(text: str, w: World) -> str:
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "<csrf>", text)
    text = re.sub(r'nonce="[^"]+"', "<nonce>", text)
    text = re.sub(r"[a-z]+[0-9]*@example\.org", "<email>", text)
    # Trust decays with the wall clock between the two twins' requests: compare 4 places.
    text = re.sub(r"(\d+\.\d{4})\d+", r"\1", text)
    text = re.sub(r'"joined": "[^"]+"', '"joined": "<t>"', text)
    return text


def _what_bob_sees(w: World) -> tuple[list[str], list[int]]:
    bob = signed_in(w.bob)
    seen, queries = [], []
    for url in _partner_surfaces(w):
        with CaptureQueriesContext(connection) as ctx:
            response = bob.get(url)
        where = response.get("Location", "")
        seen.append(
            _normalise(f"{url} {response.status_code} {where} {response.content.decode()}", w)
        )
        queries.append(len(ctx.captured_queries))
    _token, raw = token_issue(person=w.bob, label="test", at=T0)
    for path in _api_surfaces(w):
        response = Client().get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        seen.append(_normalise(f"{path} {response.status_code} {response.content.decode()}", w))
    export = account_services.account_export(person=w.bob, at=LATER)
    export.pop("security_log")
    seen.append(_normalise(json.dumps(export, sort_keys=True), w))
    return seen, queries


def _twin(
    action: Callable[[World], None], tag: str, warm: bool = False
) -> tuple[list[str], list[int]]:
    w = deepened(world(tag=tag))
    if warm:  # Bob has seen every page already
        _what_bob_sees(w)
    action(w)
    return _what_bob_sees(w)


@pytest.mark.parametrize("warm", [False, True], ids=["first", "again"])
@pytest.mark.usefixtures("steady_clock")
def test_confidence_breach_looks_to_the_partner_exactly_like_a_step_back(warm: bool) -> None:
    def breach(w: World) -> None:
        safety_services.breach_report(
            person=w.alice, kind="confidence", revelation=w.alice_rev, note="he told", at=LATER
        )

    def step_back(w: World) -> None:
        services.bond_step_back(bond=w.bond, person=w.alice, at=LATER)

    seen_breach, q_breach = _twin(breach, "1", warm)
    seen_step, q_step = _twin(step_back, "2", warm)
    assert seen_breach == seen_step
    assert q_breach == q_step


@pytest.mark.parametrize("warm", [False, True], ids=["first", "again"])
@pytest.mark.parametrize("kind", ["weaponization", "deception"])
@pytest.mark.usefixtures("steady_clock")
def test_a_report_changes_nothing_the_partner_can_see(kind: str, warm: bool) -> None:
    def report(w: World) -> None:
        safety_services.breach_report(
            person=w.alice, bond=w.bond, kind=kind, note="private", at=LATER
        )

    def nothing(w: World) -> None:
        pass

    seen_report, q_report = _twin(report, "1", warm)
    seen_plain, q_plain = _twin(nothing, "2", warm)
    assert seen_report == seen_plain
    assert q_report == q_plain


def test_confidence_breach_steps_depth_back_and_lowers_only_the_reporters_trust() -> None:
    w = deepened(world())
    before = ledger.state_of(w.bond)
    safety_services.breach_report(
        person=w.alice, kind="confidence", revelation=w.alice_rev, at=LATER
    )
    w.bond.refresh_from_db()
    after = ledger.state_of(w.bond)
    assert after.open_depth == before.open_depth - 1
    assert after.a.trust.beta > before.a.trust.beta
    assert after.b.trust == before.b.trust


def test_deception_confirmation_scars_the_reporters_trust() -> None:
    w = world()
    report = safety_services.breach_report(
        person=w.alice, kind="deception", revelation=w.alice_rev, at=LATER
    )
    assert ledger.state_of(Bond.objects.get(pk=w.bond.pk)).a.trust.scar == 0
    with pytest.raises(NotFound):
        safety_services.deception_confirm(report=report, person=w.bob, at=LATER)
    safety_services.deception_confirm(report=report, person=w.alice, at=LATER)
    state = ledger.state_of(Bond.objects.get(pk=w.bond.pk))
    assert state.a.trust.scar > 0
    assert state.b.trust.scar == 0


def test_weaponization_puts_the_reporter_alone_in_safety_mode_without_nudges() -> None:
    w = world()
    safety_services.breach_report(person=w.alice, bond=w.bond, kind="weaponization", at=LATER)
    bond = Bond.objects.get(pk=w.bond.pk)
    assert selectors.in_safety_mode(bond=bond, viewer=w.alice)
    assert not selectors.nudges_allowed(bond=bond, viewer=w.alice)
    assert selectors.nudges_allowed(bond=bond, viewer=w.bob)
    assert not engine.nudges_allowed(ledger.state_of(bond), "a")
    page = signed_in(w.alice).get(f"/bonds/{bond.pk}/safety/").content.decode()
    assert "safety mode" in page
    assert "emergency" in page
    for action in ("safety/pause/", "safety/leave/", "/accounts/export/", "/accounts/delete/"):
        assert action in page
    safety_services.safety_mode_leave(bond=bond, person=w.alice, at=LATER + timedelta(days=1))
    assert not selectors.in_safety_mode(bond=Bond.objects.get(pk=w.bond.pk), viewer=w.alice)


def test_reports_are_visible_to_the_reporter_alone() -> None:
    w = world()
    report = safety_services.breach_report(
        person=w.alice, bond=w.bond, kind="weaponization", note="NOTE-CANARY", at=LATER
    )
    assert safety_selectors.reports_for(bond=w.bond, viewer=w.bob) == []
    assert safety_selectors.report_note_for(report=report, viewer=w.bob) is None
    assert safety_selectors.report_note_for(report=report, viewer=w.alice) == "NOTE-CANARY"
    with pytest.raises(NotFound):
        safety_selectors.reports_for(bond=w.bond, viewer=w.charlie)
    assert "NOTE-CANARY" not in signed_in(w.bob).get(f"/bonds/{w.bond.pk}/safety/").content.decode()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "gossip"}, Invalid),
        ({"kind": "confidence"}, Invalid),  # a confidence breach names the answer
        ({"kind": "weaponization", "note": "x" * 5001}, Invalid),
    ],
)
def test_bad_reports_are_refused_and_change_nothing(kwargs: dict, error: type) -> None:
    w = world()
    seq = Bond.objects.get(pk=w.bond.pk).snapshot_seq
    with pytest.raises(error):
        safety_services.breach_report(person=w.alice, bond=w.bond, at=LATER, **kwargs)
    assert not BreachReport.objects.exists()
    assert Bond.objects.get(pk=w.bond.pk).snapshot_seq == seq


def test_a_stranger_cannot_report_in_someone_elses_bond() -> None:
    w = world()
    with pytest.raises(NotFound):
        safety_services.breach_report(person=w.charlie, bond=w.bond, kind="weaponization", at=LATER)
    with pytest.raises(NotFound):
        safety_services.breach_report(
            person=w.bob, revelation=w.alice_rev, kind="confidence", at=LATER
        )
    assert not BreachReport.objects.exists()


def test_safety_mode_stops_nudges_to_disclose_for_the_reporter_alone() -> None:
    w = world()
    prompt = own_question(w.bond, w.bob, "Something new", at=LATER)
    services.exchange_open(bond=w.bond, by=w.bob, prompt=prompt, at=LATER)
    before = selectors.bond_home(bond=Bond.objects.get(pk=w.bond.pk), viewer=w.alice, at=LATER)
    assert "answer" in [item.kind for item in before.waiting]
    safety_services.breach_report(person=w.alice, bond=w.bond, kind="weaponization", at=LATER)
    bond = Bond.objects.get(pk=w.bond.pk)
    alice_home = selectors.bond_home(bond=bond, viewer=w.alice, at=LATER)
    bob_home = selectors.bond_home(bond=bond, viewer=w.bob, at=LATER)
    assert "answer" not in [item.kind for item in alice_home.waiting]
    assert not alice_home.nudges
    assert bob_home.nudges
    assert "answer" in [item.kind for item in bob_home.waiting]
