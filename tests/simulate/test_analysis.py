"""The ablation and sensitivity code paths, on a tiny sample (the real runs are
``mutual simulate --ablate`` and ``--sensitivity``; docs/validation.md holds them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from mutual.engine import DEFAULT_PARAMS
from mutual.simulate.analysis import (
    ABLATIONS,
    OUTPUTS,
    SPACE,
    ablate,
    ablation_table,
    params_at,
    plot_sensitivity,
    sensitivity,
    sensitivity_table,
)
from mutual.simulate.definitional import schweitzer, wieselquist
from mutual.simulate.findings import lount


def test_switching_a_mechanism_off_fails_the_target_it_carries() -> None:
    full, ablations = ablate(60, 1, targets=[wieselquist, schweitzer, lount])
    by_name = {a.mechanism: a.failing for a in ablations}
    assert set(by_name) == set(ABLATIONS)
    assert by_name["strain"] == (wieselquist(_ctx()).target,)
    assert by_name["scar"] == (schweitzer(_ctx()).target,)
    assert by_name["gate"] == ()
    # Without the first impression, the early breach no longer leaves trust lower.
    assert by_name["first impression"] == (lount(_ctx()).target,)
    table = ablation_table(full, ablations)
    assert table.splitlines()[0].startswith("| target | kind | gate | stakes |")
    assert "(does not hold)" not in table
    assert table.count("**fails**") == sum(len(a.failing) for a in ablations)


def _ctx():  # type: ignore[no-untyped-def]
    from mutual.simulate import Context

    return Context(60, 1)


def test_every_point_of_the_space_is_a_valid_set_of_parameters() -> None:
    low = params_at([b[0] for b in SPACE.values()])
    high = params_at([b[1] for b in SPACE.values()])
    assert low.missed_weight == 0.0
    assert high.stake_by_depth == tuple(2.0 * w for w in DEFAULT_PARAMS.stake_by_depth)
    assert max(high.gate_thresholds) < 1.0


def test_morris_screening_on_a_tiny_sample(tmp_path: Path) -> None:
    result = sensitivity(trajectories=2, dyads=4, seed=3)
    assert result.mu_star.shape == (len(OUTPUTS), len(SPACE))
    assert np.all(result.mu_star >= 0.0)
    shares = result.share()
    assert np.allclose(shares.max(axis=1), 1.0)
    table = sensitivity_table(result, top=3)
    assert table.count("\n") == len(OUTPUTS) + 1
    path = tmp_path / "sensitivity.png"
    plot_sensitivity(result, path)
    assert path.read_bytes().startswith(b"\x89PNG")
