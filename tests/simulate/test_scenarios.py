"""Scenario files: the presets load, and bad files are refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mutual.simulate import PRESETS, ScenarioError, load_preset, load_scenario
from mutual.simulate.plan import draw_plans, turns


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_under_its_own_name(name: str) -> None:
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.description
    assert scenario.events > 0


def test_the_presets_are_exactly_the_six_named() -> None:
    assert PRESETS == (
        "secure",
        "anxious-avoidant",
        "one-sided",
        "love-bomber",
        "early-breach",
        "late-breach",
    )


def test_the_love_bomber_is_kind_first_and_exploits_later() -> None:
    b = load_preset("love-bomber").b
    assert b.later is not None
    assert b.now.response_mean > 6.0
    assert b.now.costly == 0.0
    assert b.later.response_mean < 3.0
    assert b.later.breach_rate > 0.0
    assert b.breaches
    assert min(b.breaches) > b.later_from


def test_early_and_late_breach_differ_only_in_when() -> None:
    early, late = load_preset("early-breach"), load_preset("late-breach")
    assert early.b.breaches < late.b.breaches
    assert early.a == late.a
    assert early.b.now == late.b.now


def test_one_sided_has_one_silent_partner() -> None:
    scenario = load_preset("one-sided")
    assert scenario.a.now.reveal > 0.5
    assert scenario.b.now.reveal == 0.0


TOML = """
name = "ours"
events = 30
[schedule]
turns = "blocks"
block = 5
[a]
reveal = 0.5
max_depth = 2
[b]
response_mean = 3.5
breaches = [12, 4]
[b.later]
from = 10
response_mean = 6.5
"""


def test_a_toml_file_is_read_with_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(TOML)
    scenario = load_scenario(str(path))
    assert scenario.name == "ours"
    assert scenario.events == 30
    assert scenario.schedule.turns == "blocks"
    assert scenario.schedule.block == 5
    assert scenario.a.now.reveal == 0.5
    assert scenario.a.now.max_depth == 2
    assert scenario.a.now.boldness == 0.7  # the default
    assert scenario.b.breaches == (4, 12)
    assert scenario.b.at(9).response_mean == 3.5
    assert scenario.b.at(10).response_mean == 6.5


def test_a_json_file_reads_the_same_and_is_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pair.json"
    path.write_text(json.dumps({"events": 12, "a": {"reveal": 0.25}}))
    scenario = load_scenario(str(path))
    assert scenario.name == "pair"
    assert scenario.events == 12
    assert scenario.a.now.reveal == 0.25


def test_blocks_give_each_person_one_long_turn() -> None:
    scenario = load_preset("secure")
    blocks = scenario.__class__(
        name="x", schedule=scenario.schedule.__class__(turns="blocks"), events=6
    )
    assert list(turns(blocks, 6)) == [0, 0, 0, 1, 1, 1]
    assert list(turns(scenario, 4)) == [0, 1, 0, 1]


def test_a_shallow_schedule_caps_every_revelation_at_the_surface() -> None:
    scenario = load_preset("secure")
    shallow = scenario.__class__(
        name="x", schedule=scenario.schedule.__class__(depth="shallow"), events=5
    )
    plan = next(draw_plans(shallow, 3, 5, seed=1))
    assert plan.max_depth.max() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nreveal = 1.5", "[a] reveal must lie between 0 and 1"),
        ("[a]\nreveal = 'often'", "[a] reveal must be a number"),
        ("[b]\nmax_depth = 5", "[b] max_depth must be 0–4"),
        ("[b]\nmax_depth = 2.5", "[b] max_depth must be a whole number"),
        ("[a]\nresponse_mean = 9", "[a] response_mean must lie between 1 and 7"),
        ("[a]\nshyness = 0.2", "unknown key [a] shyness"),
        ("colour = 'blue'", "unknown key 'colour'"),
        ("events = 0", "events must be 1–1000000"),
        ("[schedule]\nturns = 'random'", "turns must be one of alternate, blocks"),
        ("[schedule]\ndepth = 'deep'", "depth must be one of escalating, shallow"),
        ("[schedule]\nhours_between = 0", "hours_between must lie between"),
        ("[schedule]\npace = 1", "unknown key [schedule] pace"),
        ("[b]\nbreaches = [-1]", "[b] breaches must be at least 0"),
        ("[b]\nbreaches = 3", "[b] breaches must be a list"),
        ("[b.later]\nresponse_mean = 2", "[b.later] needs 'from'"),
        ("[b.later]\nfrom = 3\ncostly = 2", "[b.later] costly must lie between 0 and 1"),
        ("a = 3", "[a] must be a table"),
        ("this is not toml", "is not a valid scenario file"),
    ],
)
def test_a_bad_file_is_refused_naming_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(str(path))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(ScenarioError, match=r"unknown scenario 'tender'.*secure, anxious"):
        load_scenario("tender")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(str(tmp_path / "gone.toml"))


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(str(path))
