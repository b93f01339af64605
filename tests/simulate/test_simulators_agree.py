"""The scalar simulator (the engine, dyad by dyad) and the vectorised one agree exactly.

Both read the same random plan; every field of every dyad's state, every measure and
every recorded series must be bit-identical (docs/simulate.md, "Two simulators").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutual.engine import (
    DEFAULT_PARAMS,
    SIDES,
    Params,
    attunement,
    breadth,
    closeness,
    honored_exposure,
    mutual_index,
    mutual_vulnerability,
    trust,
)
from mutual.simulate import PRESETS, Run, load_preset, simulate
from mutual.simulate.plan import Timeline, chunk_size, draw_plans
from mutual.simulate.scalar import Chunk
from mutual.simulate.scenario import Behaviour, Person, Scenario, Schedule


def assert_same_run(vector: Run, scalar: Run) -> None:
    for name in vector.state.field_names():
        np.testing.assert_array_equal(
            getattr(vector.state, name), getattr(scalar.state, name), err_msg=name
        )
    for name in (
        "trust",
        "open_depth",
        "mutual_index",
        "breadth",
        "honored",
        "closeness",
        "mutual",
    ):
        np.testing.assert_array_equal(
            getattr(vector.measures, name), getattr(scalar.measures, name), err_msg=name
        )
    np.testing.assert_array_equal(vector.attunement, scalar.attunement)
    assert vector.history.keys() == scalar.history.keys()
    for name, series in vector.history.items():
        np.testing.assert_array_equal(series, scalar.history[name], err_msg=name)
    assert vector.final() == scalar.final()


def both(scenario: Scenario, params: Params = DEFAULT_PARAMS, **kw: int) -> tuple[Run, Run]:
    runs = tuple(
        simulate(scenario, engine=engine, params=params, history=True, **kw)  # type: ignore[arg-type]
        for engine in ("vector", "scalar")
    )
    return runs[0], runs[1]


@pytest.mark.parametrize("name", PRESETS)
def test_scalar_and_vector_agree_on_every_preset(name: str) -> None:
    vector, scalar = both(load_preset(name), dyads=10, events=90, seed=7)
    assert_same_run(vector, scalar)


def test_they_agree_with_the_gate_switched_off() -> None:
    params = replace(DEFAULT_PARAMS, gate_enabled=False)
    vector, scalar = both(load_preset("love-bomber"), params, dyads=10, events=60, seed=3)
    assert_same_run(vector, scalar)


unit = st.floats(0.0, 1.0)
behaviours = st.builds(
    Behaviour,
    reveal=unit,
    max_depth=st.integers(0, 4),
    boldness=unit,
    emotional=unit,
    readiness=unit,
    response_mean=st.floats(1.0, 7.0),
    response_spread=st.floats(0.0, 3.0),
    costly=unit,
    breach_rate=st.sampled_from([0.0, 0.02, 0.2]),
    deception=unit,
    checkin=unit,
    checkin_accuracy=unit,
    step_back_after=st.integers(0, 3),
)


@st.composite
def people(draw: st.DrawFn) -> Person:
    later = draw(st.none() | behaviours)
    return Person(
        now=draw(behaviours),
        later=later,
        later_from=draw(st.integers(0, 50)),
        breaches=tuple(sorted(draw(st.sets(st.integers(0, 50), max_size=4)))),
    )


scenarios = st.builds(
    Scenario,
    name=st.just("drawn"),
    events=st.integers(1, 50),
    schedule=st.builds(
        Schedule,
        turns=st.sampled_from(["alternate", "blocks"]),
        block=st.integers(0, 8),
        depth=st.sampled_from(["escalating", "shallow"]),
        hours_between=st.sampled_from([0.5, 1.0, 2.0, 7.0, 24.0, 24.0 * 30]),
    ),
    a=people(),
    b=people(),
)
parameters = st.sampled_from(
    [
        DEFAULT_PARAMS,
        Params(gate_enabled=False),
        Params(evidence_half_life=timedelta(days=9), scar_half_life=timedelta(days=20)),
        Params(gate_thresholds=(0.0, 0.2, 0.3, 0.4, 0.5), lower_bound_quantile=0.1),
        Params(core_sittings=1, strain_weight=2.0, loss_factor=3.0, breach_factor=2.0),
        Params(core_span=timedelta(hours=7), sitting_gap=timedelta(hours=1), core_sittings=3),
        Params(
            honored_at=0.5,
            honor_origin=0.4,
            dishonored_at=0.35,
            missed_weight=0.6,
            receiver_gain=0.0,
            present_half_life=timedelta(days=5),
            closeness_response=2.0,
        ),
        Params(lower_bound_quantile=0.4, prior_alpha=2.0, prior_beta=0.5, scar=0.5),
        Params(impression_span=0.0),
        Params(impression_span=25.0, evidence_half_life=timedelta(days=9), breach_factor=8.0),
    ]
)


@settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scenario=scenarios, params=parameters, dyads=st.integers(1, 5), seed=st.integers(0, 99))
def test_scalar_and_vector_agree_on_drawn_scenarios(
    scenario: Scenario, params: Params, dyads: int, seed: int
) -> None:
    vector, scalar = both(scenario, params, dyads=dyads, seed=seed)
    assert_same_run(vector, scalar)


def test_the_measures_are_the_engines_own_reads() -> None:
    """``Run.measures`` equal what mutual.engine's read functions say of each bond."""
    scenario = load_preset("anxious-avoidant")
    events, dyads, seed = 80, 12, 5
    run = simulate(scenario, dyads=dyads, events=events, seed=seed)
    timeline = Timeline.build(events, scenario.schedule.gap_seconds(), DEFAULT_PARAMS)
    chunk = Chunk(next(draw_plans(scenario, dyads, events, seed)), timeline, DEFAULT_PARAMS)
    chunk.run()
    at = timeline.times[-1]
    for i, dyad in enumerate(chunk.dyads):
        bond = dyad.bond
        assert run.measures.trust[0, i] == trust(bond, "a", at).effective
        assert run.measures.trust[1, i] == trust(bond, "b", at).effective
        assert run.measures.open_depth[i] == bond.open_depth
        assert run.measures.mutual_index[i] == mutual_index(bond, at)
        assert run.measures.mutual[i] == mutual_vulnerability(bond, at)
        assert run.measures.breadth[i] == breadth(bond)
        for s, side in enumerate(SIDES):
            assert run.measures.honored[s, i] == honored_exposure(bond, side, at)
            assert run.measures.closeness[s, i] == closeness(bond, side, at)
            expected = attunement(bond, side, at)
            got = run.attunement[s, i]
            assert (expected is None and np.isnan(got)) or got == expected


def test_the_same_seed_gives_the_same_run_and_another_seed_another() -> None:
    scenario = load_preset("secure")
    first = simulate(scenario, dyads=50, events=40, seed=11)
    again = simulate(scenario, dyads=50, events=40, seed=11)
    other = simulate(scenario, dyads=50, events=40, seed=12)
    np.testing.assert_array_equal(first.state.alpha, again.state.alpha)
    assert not np.array_equal(first.state.alpha, other.state.alpha)


def test_a_dyad_does_not_depend_on_how_many_dyads_run_beside_it() -> None:
    scenario = load_preset("secure")
    events = 30
    size = chunk_size(events)
    big = simulate(scenario, dyads=size + 5, events=events, seed=2)
    small = simulate(scenario, dyads=size + 2, events=events, seed=2)
    np.testing.assert_array_equal(big.state.alpha[:, : size + 2], small.state.alpha)
    np.testing.assert_array_equal(big.state.honored[:, : size + 2], small.state.honored)


def test_with_the_gate_off_depth_opens_on_consent_alone() -> None:
    # b never reveals, so reciprocity never holds: the gate keeps the bond at the surface.
    scenario = load_preset("one-sided")
    gated = simulate(scenario, dyads=50, events=40, seed=1)
    ungated = simulate(scenario, dyads=50, events=40, seed=1, params=Params(gate_enabled=False))
    assert gated.state.max_open_depth.max() == 0
    assert ungated.state.max_open_depth.min() >= 1
