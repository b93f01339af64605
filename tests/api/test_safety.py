"""Withdrawal, private reports, safety mode, pause and leave: nothing reaches the partner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mutual.accounts.models import ApiToken
from mutual.safety.models import BreachReport

from .conftest import ApiClient
from .test_bonds import open_exchange


def revealed_pair(as_alice: ApiClient, as_bob: ApiClient, bond_id: str) -> tuple[str, str]:
    exchange_id = open_exchange(as_alice, bond_id)
    alice_rev = as_alice.put(
        f"/exchanges/{exchange_id}/revelation", {"body": "the canary-garden story"}
    ).body["mine"]["revelation_id"]
    as_bob.put(f"/exchanges/{exchange_id}/revelation", {"body": "sea"})
    return exchange_id, alice_rev


def test_withdrawal_leaves_the_partner_a_dated_tombstone(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id, alice_rev = revealed_pair(as_alice, as_bob, bond_id)
    withdrawn = as_alice.post(f"/revelations/{alice_rev}/withdraw")
    assert withdrawn.status == 200
    assert withdrawn.body["mine"]["withdrawn_at"] is not None
    seen = as_bob.get(f"/exchanges/{exchange_id}")
    assert seen.body["theirs"]["text"] is None
    assert seen.body["theirs"]["withdrawn_at"] is not None
    assert "canary-garden" not in seen.raw.get_data(as_text=True)
    assert as_bob.post(f"/revelations/{alice_rev}/withdraw").status == 404


def test_a_breach_report_is_private_and_the_partner_sees_nothing(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id, alice_rev = revealed_pair(as_alice, as_bob, bond_id)
    bob_before = as_bob.get(f"/bonds/{bond_id}").body
    reported = as_alice.post(
        f"/revelations/{alice_rev}/breach", {"kind": "confidence", "note": "canary-note"}
    )
    assert reported.status == 201
    assert reported.body["note"] == "canary-note"
    assert [r["id"] for r in as_alice.get(f"/bonds/{bond_id}/reports").body["items"]] == [
        reported.body["id"]
    ]
    assert as_bob.get(f"/bonds/{bond_id}/reports").body["items"] == []
    bob_after = as_bob.get(f"/bonds/{bond_id}")
    for key in ("in_safety_mode", "nudges", "partner_ready", "status"):
        assert bob_after.body[key] == bob_before[key], key
    # Bob's own trust was raised a little by being confided in, so it now fades with
    # the seconds between the two requests; the report itself moves none of it.
    for key, value in bob_before["my_trust"].items():
        assert bob_after.body["my_trust"][key] == pytest.approx(value, abs=1e-6), key
    for path in (f"/bonds/{bond_id}", f"/exchanges/{exchange_id}", f"/bonds/{bond_id}/exchanges"):
        text = as_bob.get(path).raw.get_data(as_text=True)
        assert "canary-note" not in text
        assert reported.body["id"] not in text


def test_a_weaponization_report_starts_safety_mode_for_the_reporter_alone(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    reported = as_alice.post(f"/bonds/{bond_id}/reports", {"kind": "weaponization"})
    assert reported.status == 201
    alice_view = as_alice.get(f"/bonds/{bond_id}")
    assert alice_view.body["in_safety_mode"] is True
    assert alice_view.body["nudges"] is False
    assert as_bob.get(f"/bonds/{bond_id}").body["in_safety_mode"] is False
    left = as_alice.post(f"/bonds/{bond_id}/safety-mode/leave")
    assert left.status == 200
    assert left.body["in_safety_mode"] is False


def test_an_unknown_report_kind_changes_nothing(as_alice: ApiClient, bond_id: str) -> None:
    answer = as_alice.post(f"/bonds/{bond_id}/reports", {"kind": "gossip"})
    assert answer.status == 422
    assert BreachReport.objects.count() == 0


def test_pause_stops_new_exchanges_until_the_one_who_paused_resumes(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    assert as_bob.post(f"/bonds/{bond_id}/pause").body["status"] == "paused"
    prompt = as_alice.get(f"/bonds/{bond_id}/prompts", depth=0, limit=1).body["items"][0]
    refused = as_alice.post(f"/bonds/{bond_id}/exchanges", {"prompt_id": prompt["id"]})
    assert refused.status == 409
    assert "paused" in refused.detail
    assert as_alice.post(f"/bonds/{bond_id}/resume").status == 409
    assert as_bob.post(f"/bonds/{bond_id}/resume").body["status"] == "active"


def test_leaving_needs_a_fresh_token_and_hides_the_leavers_answers(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id, _ = revealed_pair(as_alice, as_bob, bond_id)
    ApiToken.objects.filter(person__email="alice@example.org").update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    stale = as_alice.post(f"/bonds/{bond_id}/leave")
    assert stale.status == 403
    assert "fresh sign-in" in stale.detail
    ApiToken.objects.filter(person__email="alice@example.org").update(created_at=timezone.now())
    left = as_alice.post(f"/bonds/{bond_id}/leave")
    assert left.status == 200
    assert left.body["status"] == "ended"
    seen = as_bob.get(f"/exchanges/{exchange_id}")
    assert seen.body["theirs"]["text"] is None
    assert "canary-garden" not in seen.raw.get_data(as_text=True)


def test_the_partner_cannot_infer_a_weaponization_report(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    before = {path: as_bob.get(path).body for path in _bob_paths(bond_id)}
    assert as_alice.post(f"/bonds/{bond_id}/reports", {"kind": "weaponization"}).status == 201
    after = {path: as_bob.get(path).body for path in _bob_paths(bond_id)}
    changed = [
        (path, key) for path in before for key in before[path]
        if after[path][key] != before[path][key]
    ]  # fmt: skip
    assert changed == []


def _bob_paths(bond_id: str) -> list[str]:
    return [
        f"/bonds/{bond_id}",
        f"/bonds/{bond_id}/exchanges",
        f"/bonds/{bond_id}/reports",
        f"/bonds/{bond_id}/insights",
        "/bonds",
    ]


def test_the_partner_sees_no_change_after_a_report_in_a_bond_with_history(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    revealed_pair(as_alice, as_bob, bond_id)
    as_bob.post(f"/bonds/{bond_id}/ready", {"ready": True})
    before = {path: as_bob.get(path).body for path in _bob_paths(bond_id)}
    assert as_alice.post(f"/bonds/{bond_id}/reports", {"kind": "weaponization"}).status == 201
    assert as_alice.post(f"/bonds/{bond_id}/reports", {"kind": "deception"}).status == 201
    after = {path: as_bob.get(path).body for path in _bob_paths(bond_id)}
    # Bob's own trust (raised a little by being confided in) fades with the clock between
    # the reads; nothing of the reports reaches him.
    for path in after:
        if isinstance(after[path], dict) and "my_trust" in after[path]:
            mine, theirs = after[path].pop("my_trust"), before[path].pop("my_trust")
            assert mine == pytest.approx(theirs, abs=1e-6)
    assert after == before
