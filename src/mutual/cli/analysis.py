"""``mutual simulate --ablate`` and ``mutual simulate --sensitivity FILE``: what each
mechanism of the model does, and what each parameter moves (docs/validation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO


def ablate(dyads: int, seed: int, out: TextIO) -> int:
    from mutual.simulate.analysis import ablate as run_ablations
    from mutual.simulate.analysis import ablation_table

    full, ablations = run_ablations(dyads, seed)
    out.write(f"Each mechanism switched off in turn ({dyads:,} dyads, seed {seed})\n\n")
    out.write(ablation_table(full, ablations) + "\n")
    return 0


def sensitivity(path: Path, dyads: int, seed: int, trajectories: int, out: TextIO) -> int:
    from mutual.simulate.analysis import plot_sensitivity, sensitivity_table
    from mutual.simulate.analysis import sensitivity as run_sensitivity

    result = run_sensitivity(trajectories, dyads, seed)
    plot_sensitivity(result, path)
    out.write(
        f"Morris screening, {trajectories} trajectories, {dyads:,} dyads a run, seed {seed}\n\n"
    )
    out.write(sensitivity_table(result) + "\n")
    out.write(f"\nfigure written to {path}\n")
    return 0
