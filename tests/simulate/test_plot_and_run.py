"""Plots are real PNG or SVG files; a run reports what ``--json`` promises."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from mutual.simulate import SERIES, Run, load_preset, simulate
from mutual.simulate.plot import plot_run
from mutual.simulate.run import MARKS


@pytest.fixture(scope="module")
def love_bomber_run() -> Run:
    return simulate(load_preset("love-bomber"), dyads=40, events=60, seed=1, history=True)


def test_a_png_plot_is_a_png(tmp_path: Path, love_bomber_run: Run) -> None:
    path = tmp_path / "run.png"
    plot_run(love_bomber_run, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_svg_plot_is_an_svg(tmp_path: Path, love_bomber_run: Run) -> None:
    path = tmp_path / "run.svg"
    plot_run(love_bomber_run, path)
    text = path.read_text()
    assert text.startswith("<?xml")
    assert re.search(r'<svg [^>]*xmlns="http://www.w3.org/2000/svg"', text)
    assert text.rstrip().endswith("</svg>")
    assert "love-bomber" in text


def test_other_formats_are_refused(tmp_path: Path, love_bomber_run: Run) -> None:
    with pytest.raises(ValueError, match="PNG or SVG"):
        plot_run(love_bomber_run, tmp_path / "run.gif")


def test_a_run_without_history_cannot_be_drawn(tmp_path: Path) -> None:
    run = simulate(load_preset("secure"), dyads=2, events=3, seed=1)
    assert run.history == {}
    with pytest.raises(ValueError, match="no history"):
        plot_run(run, tmp_path / "run.png")


def test_history_has_one_mean_per_event(love_bomber_run: Run) -> None:
    history = love_bomber_run.history
    assert set(history) == set(SERIES) | {f"{s}_sd" for s in SERIES} | set(MARKS)
    for series in history.values():
        assert series.shape == (60,)
    assert np.all(history["trust_a_to_b_sd"] >= 0.0)
    # Spread across dyads: after the bombing turns, a's trust differs between dyads.
    assert history["trust_a_to_b_sd"][-1] > 0.0
    # A breach is scheduled at event 24 (some dyads are breached earlier, by chance):
    # most first breaches fall there, and each dyad has one first breach at most.
    assert history["breaches"][24] > 0.5
    assert history["breaches"][:20].sum() == 0.0
    assert history["breaches"].sum() <= 1.0
    assert history["openings"][:20].sum() > 1.0
    # The last point of each series is the mean of the final measures.
    final = love_bomber_run.final()
    assert love_bomber_run.history["open_depth"][-1] == pytest.approx(final["open_depth"])
    assert love_bomber_run.history["trust_a_to_b"][-1] == pytest.approx(final["trust_a_to_b"])


def test_the_summary_holds_the_run_and_the_final_means() -> None:
    summary = simulate(load_preset("secure"), dyads=20, events=30, seed=4).summary()
    assert {"scenario", "dyads", "events", "seed", "final"} <= summary.keys()
    final = summary["final"]
    for key in ("trust_a_to_b", "trust_b_to_a", "open_depth", "mutual_index", "breadth"):
        assert key in final
    assert 0.0 < final["trust_a_to_b"] < 1.0
    assert 0.0 <= final["mutual_index"] <= 100.0
    assert 0.0 <= final["open_depth"] <= 4.0


def test_no_one_can_be_close_to_someone_who_never_opens_up() -> None:
    run = simulate(load_preset("one-sided"), dyads=30, events=60, seed=2)
    assert np.all(run.measures.mutual_index == 0.0)
    assert np.all(run.measures.open_depth == 0)


@pytest.mark.parametrize(("dyads", "events"), [(0, 10), (10, 0), (-2, 10)])
def test_a_run_needs_dyads_and_events(dyads: int, events: int) -> None:
    with pytest.raises(ValueError, match="at least one"):
        simulate(load_preset("secure"), dyads=dyads, events=events)


def test_a_run_without_its_state_keeps_the_same_measures() -> None:
    scenario = load_preset("anxious-avoidant")
    full = simulate(scenario, dyads=30, events=40, seed=8)
    lean = simulate(scenario, dyads=30, events=40, seed=8, keep_state=False)
    assert lean.state.dyads == 0
    assert lean.final() == full.final()
    np.testing.assert_array_equal(lean.measures.trust, full.measures.trust)
