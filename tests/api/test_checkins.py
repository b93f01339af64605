"""Check-ins, differences and insights through the API."""

from __future__ import annotations

from .conftest import ApiClient

FEELING = {"feeling": "calm", "intensity": 2, "guess_feeling": "happy", "guess_intensity": 3}


def test_a_checkin_stays_sealed_until_both_checked_in(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    mine = as_alice.post(f"/bonds/{bond_id}/checkins", {**FEELING, "note": "canary-feeling"})
    assert mine.status == 201
    assert mine.body["mine"]["feeling"] == "calm"
    bob_sees = as_bob.get(f"/bonds/{bond_id}/checkins")
    round_ = bob_sees.body["items"][0]
    assert round_["partner_checked_in"] is True
    assert round_["theirs"] is None
    assert "canary-feeling" not in bob_sees.raw.get_data(as_text=True)
    both = as_bob.post(
        f"/bonds/{bond_id}/checkins",
        {"feeling": "happy", "intensity": 3, "guess_feeling": "calm", "guess_intensity": 2},
    )
    assert both.status == 201
    assert both.body["theirs"]["note"] == "canary-feeling"
    assert both.body["mine"]["closeness"] is not None
    one = as_alice.get(f"/bonds/{bond_id}/checkins/{both.body['id']}")
    assert one.body["theirs"]["feeling"] == "happy"


def test_an_unknown_feeling_changes_nothing(as_alice: ApiClient, bond_id: str) -> None:
    answer = as_alice.post(f"/bonds/{bond_id}/checkins", {**FEELING, "feeling": "smug"})
    assert answer.status == 422
    assert as_alice.get(f"/bonds/{bond_id}/checkins").body["items"] == []


def test_a_difference_round_from_perspective_to_outcome(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    raised = as_alice.post(f"/bonds/{bond_id}/differences", {"topic": "where to spend holidays"})
    assert raised.status == 201
    diff = raised.body["id"]
    base = f"/bonds/{bond_id}/differences/{diff}"
    assert as_alice.put(f"{base}/perspective", {"body": "the mountains"}).status == 200
    sealed = as_bob.get(base)
    assert sealed.body["round_list"][0]["their_perspective"] is None
    assert sealed.body["round_list"][0]["partner_wrote"] is True
    opened = as_bob.put(f"{base}/perspective", {"body": "the coast"})
    assert opened.body["round_list"][0]["their_perspective"] == "the mountains"
    as_alice.put(f"{base}/restatement", {"body": "you need the sea to rest"})
    as_bob.put(f"{base}/restatement", {"body": "you love quiet heights", "costly": True})
    rated = as_alice.put(f"{base}/understood", {"score": 6})
    assert rated.body["round_list"][0]["my_rating"] == 6
    bob_view = as_bob.get(base)
    assert bob_view.body["round_list"][0]["partner_rated"] is True
    assert bob_view.body["round_list"][0]["my_rating"] is None
    as_bob.put(f"{base}/understood", {"score": 5})
    proposed = as_alice.post(f"{base}/outcome", {"outcome": "differ"})
    assert proposed.status == 200
    assert proposed.body["outcome"] == "open"
    assert proposed.body["proposal"]["outcome"] == "differ"
    assert proposed.body["proposal"]["by_me"] is True
    assert as_alice.post(f"{base}/outcome/confirm", {}).status == 409
    waiting = as_bob.get(base)
    assert waiting.body["proposal"]["by_me"] is False
    done = as_bob.post(f"{base}/outcome/confirm", {})
    assert done.status == 200
    assert done.body["outcome"] == "differ"
    assert done.body["proposal"] is None
    listed = as_bob.get(f"/bonds/{bond_id}/differences")
    assert [d["id"] for d in listed.body["items"]] == [diff]


def test_insights_show_only_the_viewers_own_trust(
    as_alice: ApiClient, as_bob: ApiClient, bond_id: str
) -> None:
    as_alice.post(f"/bonds/{bond_id}/ready", {"ready": True})
    insights = as_bob.get(f"/bonds/{bond_id}/insights")
    assert insights.status == 200
    assert insights.body["partner_name"] == "Alice"
    assert all(
        set(d) == {"day", "mutual_index", "open_depth", "breadth", "my_trust"}
        for d in insights.body["days"]
    )


def test_charlie_cannot_see_checkins_differences_or_insights(
    as_charlie: ApiClient, bond_id: str
) -> None:
    for path in ("checkins", "differences", "insights", "reports"):
        assert as_charlie.get(f"/bonds/{bond_id}/{path}").status == 404
