"""Bonds, invites, prompts, exchanges, replies and private ratings through the API."""

from __future__ import annotations

from typing import Any

import pytest

from mutual.bonds.models import Bond, Rating, Revelation

from .conftest import ApiClient


def make_bond(as_alice: ApiClient, as_bob: ApiClient, kind: str = "partners") -> str:
    created = as_alice.post("/bonds", {"kind": kind})
    assert created.status == 201
    bond_id = created.body["id"]
    invite = as_alice.post(f"/bonds/{bond_id}/invites")
    assert invite.status == 201
    accepted = as_bob.post(f"/invites/{invite.body['code']}/accept")
    assert accepted.status == 200
    return bond_id


def surface_prompt(client: ApiClient, bond_id: str) -> dict[str, Any]:
    page = client.get(f"/bonds/{bond_id}/prompts", depth=0, limit=5)
    assert page.status == 200
    return page.body["items"][0]


def open_exchange(client: ApiClient, bond_id: str, index: int = 0) -> str:
    page = client.get(f"/bonds/{bond_id}/prompts", depth=0, limit=10)
    prompt = page.body["items"][index]
    opened = client.post(f"/bonds/{bond_id}/exchanges", {"prompt_id": prompt["id"]})
    assert opened.status == 201, opened.body
    return opened.body["id"]


def test_a_new_bond_waits_for_its_invite(as_alice: ApiClient) -> None:
    created = as_alice.post("/bonds", {"kind": "friends"})
    assert created.status == 201
    assert created.body["status"] == "waiting"
    assert created.body["partner"] is None
    assert created.body["my_side"] == "a"
    listed = as_alice.get("/bonds")
    assert [b["id"] for b in listed.body["items"]] == [created.body["id"]]


def test_a_bond_of_an_unknown_kind_is_refused(as_alice: ApiClient) -> None:
    answer = as_alice.post("/bonds", {"kind": "rivals"})
    assert answer.status == 422
    assert Bond.objects.count() == 0


def test_accepting_the_invite_makes_the_bond_active_for_both(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    for client, partner in ((as_alice, "Bob"), (as_bob, "Alice")):
        bond = client.get(f"/bonds/{bond_id}")
        assert bond.status == 200
        assert bond.body["status"] == "active"
        assert bond.body["partner"] == {"name": partner}
        assert bond.body["open_depth"] == 0


def test_an_invite_works_once(
    as_alice: ApiClient, as_bob: ApiClient, as_charlie: ApiClient
) -> None:
    bond_id = as_alice.post("/bonds", {"kind": "friends"}).body["id"]
    code = as_alice.post(f"/bonds/{bond_id}/invites").body["code"]
    assert as_bob.post(f"/invites/{code}/accept").status == 200
    again = as_charlie.post(f"/invites/{code}/accept")
    assert again.status == 409
    assert "already been used" in again.detail


def test_an_unknown_invite_code_is_a_clear_error(as_bob: ApiClient) -> None:
    answer = as_bob.post("/invites/not-a-real-code/accept")
    assert answer.status == 404  # a code that names no invite, as any other unknown id
    assert "not valid" in answer.detail


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/bonds/{bond}"),
        ("POST", "/bonds/{bond}/invites"),
        ("POST", "/bonds/{bond}/step-back"),
        ("GET", "/bonds/{bond}/prompts"),
        ("GET", "/bonds/{bond}/exchanges"),
        ("GET", "/exchanges/{exchange}"),
        ("PUT", "/exchanges/{exchange}/revelation"),
        ("PUT", "/revelations/{revelation}/rating"),
        ("POST", "/revelations/{revelation}/responses"),
    ],
)
def test_charlie_sees_nothing_of_alice_and_bobs_bond(
    as_alice: ApiClient, as_charlie: ApiClient, bond_id: str, method: str, path: str
) -> None:
    exchange_id = open_exchange(as_alice, bond_id)
    as_alice.put(f"/exchanges/{exchange_id}/revelation", {"body": "alice's answer"})
    revelation_id = str(Revelation.objects.get().id)
    url = path.format(bond=bond_id, exchange=exchange_id, revelation=revelation_id)
    bodies = {
        "/exchanges/{exchange}/revelation": {"body": "charlie writes"},
        "/revelations/{revelation}/rating": {"understood": 7, "validated": 7, "cared": 7},
        "/revelations/{revelation}/responses": {"heard": "x", "makes_sense": "y", "care": "z"},
        "/bonds/{bond}/ready": {"ready": True},
    }
    answer = as_charlie.call(method, url, bodies.get(path, {} if method != "GET" else None))
    assert answer.status == 404
    assert answer.detail == "Not found."
    assert "alice's answer" not in answer.raw.get_data(as_text=True)


def test_answers_stay_sealed_until_both_answered(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id = open_exchange(as_alice, bond_id)
    mine = as_alice.put(
        f"/exchanges/{exchange_id}/revelation", {"body": "I dream of a garden", "emotional": False}
    )
    assert mine.status == 200
    assert mine.body["sealed"] is True
    assert mine.body["mine"]["text"] == "I dream of a garden"
    seen_by_bob = as_bob.get(f"/exchanges/{exchange_id}")
    assert seen_by_bob.body["sealed"] is True
    assert seen_by_bob.body["theirs"]["answered"] is True
    assert seen_by_bob.body["theirs"]["text"] is None
    assert seen_by_bob.body["theirs"]["revelation_id"] is None
    alice_revelation = mine.body["mine"]["revelation_id"]
    assert (
        as_bob.post(
            f"/revelations/{alice_revelation}/responses",
            {"heard": "a", "makes_sense": "b", "care": "c"},
        ).status
        == 404
    ), "a sealed answer does not exist for the partner"
    both = as_bob.put(f"/exchanges/{exchange_id}/revelation", {"body": "I dream of the sea"})
    assert both.body["sealed"] is False
    assert both.body["theirs"]["text"] == "I dream of a garden"
    assert as_alice.get(f"/exchanges/{exchange_id}").body["theirs"]["text"] == "I dream of the sea"


def test_a_rating_stays_private_to_the_revealer(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id = open_exchange(as_alice, bond_id)
    alice_rev = as_alice.put(f"/exchanges/{exchange_id}/revelation", {"body": "garden"}).body[
        "mine"
    ]["revelation_id"]
    as_bob.put(f"/exchanges/{exchange_id}/revelation", {"body": "sea"})
    replied = as_bob.post(
        f"/revelations/{alice_rev}/responses",
        {"heard": "you want quiet", "makes_sense": "you grew up in a city", "care": "I'll help"},
    )
    assert replied.status == 201
    assert replied.body["theirs"]["response"]["mine"] is True
    rated = as_alice.put(
        f"/revelations/{alice_rev}/rating",
        {"understood": 6, "validated": 5, "cared": 7, "thanked": True},
    )
    assert rated.status == 200
    assert rated.body["mine"]["rating"]["understood"] == 6
    bob_view = as_bob.get(f"/exchanges/{exchange_id}")
    assert bob_view.body["theirs"]["rating"] is None
    assert bob_view.body["theirs"]["response"]["thanked"] is True
    assert "understood" not in bob_view.raw.get_data(as_text=True)
    assert (
        as_bob.put(
            f"/revelations/{alice_rev}/rating", {"understood": 1, "validated": 1, "cared": 1}
        ).status
        == 404
    ), "only the revealer rates"
    again = as_alice.put(
        f"/revelations/{alice_rev}/rating", {"understood": 1, "validated": 1, "cared": 1}
    )
    assert again.status == 409
    assert Rating.objects.get().understood == 6


def test_a_rating_out_of_range_changes_nothing(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    exchange_id = open_exchange(as_alice, bond_id)
    alice_rev = as_alice.put(f"/exchanges/{exchange_id}/revelation", {"body": "garden"}).body[
        "mine"
    ]["revelation_id"]
    as_bob.put(f"/exchanges/{exchange_id}/revelation", {"body": "sea"})
    as_bob.post(
        f"/revelations/{alice_rev}/responses", {"heard": "a", "makes_sense": "b", "care": "c"}
    )
    answer = as_alice.put(
        f"/revelations/{alice_rev}/rating", {"understood": 9, "validated": 5, "cared": 5}
    )
    assert answer.status == 422
    assert answer.body["errors"][0]["location"][-1] == "understood"
    assert Rating.objects.count() == 0


def test_a_prompt_deeper_than_the_open_depth_cannot_be_opened(
    as_alice: ApiClient, bond_id: str
) -> None:
    deep = as_alice.get(f"/bonds/{bond_id}/prompts", depth=3, limit=1).body["items"][0]
    assert deep["open"] is False
    answer = as_alice.post(f"/bonds/{bond_id}/exchanges", {"prompt_id": deep["id"]})
    assert answer.status == 409
    assert "not open yet" in answer.detail


def test_prompts_are_cursor_paginated(as_alice: ApiClient, bond_id: str) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = as_alice.get(f"/bonds/{bond_id}/prompts", depth=0, limit=7, cursor=cursor)
        seen += [p["id"] for p in page.body["items"]]
        cursor = page.body["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) > 7
    assert all(
        p["depth"] == 0 for p in as_alice.get(f"/bonds/{bond_id}/prompts", depth=0).body["items"]
    )


def test_exchanges_list_newest_first(as_alice: ApiClient, bond_id: str) -> None:
    first = open_exchange(as_alice, bond_id, 0)
    second = open_exchange(as_alice, bond_id, 1)
    listed = as_alice.get(f"/bonds/{bond_id}/exchanges", limit=1)
    assert [e["id"] for e in listed.body["items"]] == [second]
    rest = as_alice.get(f"/bonds/{bond_id}/exchanges", limit=1, cursor=listed.body["next"])
    assert [e["id"] for e in rest.body["items"]] == [first]
    assert rest.body["next"] is None


def test_readiness_and_step_back(as_alice: ApiClient, as_bob: ApiClient, bond_id: str) -> None:
    # A new bond: Alice's own conditions do not hold yet. She alone is told why; to Bob
    # her word is simply not said yet.
    refused = as_alice.post(f"/bonds/{bond_id}/ready", {"ready": True})
    assert refused.status == 409
    assert "felt honored to you" in refused.detail
    assert as_alice.get(f"/bonds/{bond_id}").body["i_am_ready"] is False
    seen = as_bob.get(f"/bonds/{bond_id}").body
    assert seen["partner_ready"] is False
    assert "Alice's word that they are ready to go deeper." in seen["gate"]["needs"]
    assert not any("Alice" in need and "honored" in need for need in seen["gate"]["needs"])
    stepped = as_bob.post(f"/bonds/{bond_id}/step-back")
    assert stepped.status == 200
    assert stepped.body["open_depth"] == 0


def test_own_trust_is_shown_only_to_its_holder(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    bond = as_bob.get(f"/bonds/{bond_id}")
    assert set(bond.body["my_trust"]) == {"expected", "lower", "effective", "effective_lower"}
    assert "trust_a" not in bond.raw.get_data(as_text=True)
    assert "partner_trust" not in bond.raw.get_data(as_text=True)


@pytest.mark.parametrize("body", [[None, None], [], "yes", 5])
def test_a_body_that_is_not_an_object_changes_nothing(
    as_alice: ApiClient, bond_id: str, body: object
) -> None:
    answer = as_alice.call("POST", f"/bonds/{bond_id}/ready", body)
    assert answer.status == 400
    assert answer.detail == "The body must be a JSON object; nothing was changed."
    assert as_alice.get(f"/bonds/{bond_id}").body["i_am_ready"] is False


@pytest.mark.parametrize("ready", [0, 1, "yes", "true"])
def test_readiness_is_a_true_boolean_not_a_lookalike(
    as_alice: ApiClient, bond_id: str, ready: object
) -> None:
    answer = as_alice.post(f"/bonds/{bond_id}/ready", {"ready": ready})
    assert answer.status == 422
    assert as_alice.get(f"/bonds/{bond_id}").body["i_am_ready"] is False
