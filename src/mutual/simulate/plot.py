"""A picture of a run: trust in each direction, open depth and the mutual index over time."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mutual.engine import DEPTHS

from .run import Run

FORMATS = (".png", ".svg")
_INK = "#3b4045"
_MUTED = "#8a9096"
_A = "#3d7f8f"  # a's trust in b: a calm teal
_B = "#c2875a"  # b's trust in a: a warm sand
_DEPTH = "#6c6a9e"
_INDEX = "#5a8f63"


def plot_run(run: Run, path: Path) -> None:
    """Draw ``run.history`` to ``path`` (PNG or SVG, chosen by the suffix)."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"a plot is written as PNG or SVG, not {path.suffix or 'no suffix'}")
    if not run.history:
        raise ValueError("this run recorded no history to plot")
    events = np.arange(1, run.events + 1)
    with mpl.rc_context(
        {
            "font.size": 10,
            "axes.edgecolor": _MUTED,
            "axes.labelcolor": _INK,
            "xtick.color": _MUTED,
            "ytick.color": _MUTED,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "mutual",
            "svg.fonttype": "none",  # words stay words: selectable and read aloud
        }
    ):
        # A Figure on the Agg canvas, without pyplot: no global state, no display.
        fig = Figure(figsize=(8, 7.5))
        FigureCanvasAgg(fig)
        ax_t, ax_d, ax_m = fig.subplots(3, 1, sharex=True, height_ratios=(1.2, 1, 1))
        fig.suptitle(
            f"{run.scenario}: {run.dyads:,} dyads, seed {run.seed}"
            + ("" if run.gate else ", gate off"),
            color=_INK,
            fontsize=12,
        )
        ax_t.plot(events, run.history["trust_a_to_b"], color=_A, lw=2, label="a trusts b")
        ax_t.plot(events, run.history["trust_b_to_a"], color=_B, lw=2, label="b trusts a")
        ax_t.set_ylim(0, 1)
        ax_t.set_ylabel("trust (mean)")
        ax_t.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 0.98), ncols=2)
        ax_d.step(events, run.history["open_depth"], where="post", color=_DEPTH, lw=2)
        ax_d.set_ylim(-0.1, len(DEPTHS) - 0.9)
        ax_d.set_yticks(range(len(DEPTHS)), DEPTHS)
        ax_d.set_ylabel("open depth (mean)")
        ax_m.plot(events, run.history["mutual_index"], color=_INDEX, lw=2)
        ax_m.set_ylim(0, 100)
        ax_m.set_ylabel("mutual index")
        ax_m.set_xlabel("event")
        for ax in (ax_t, ax_d, ax_m):
            ax.grid(axis="y", color="#e4e6e8", lw=0.8)
            ax.set_axisbelow(True)
        fig.tight_layout()
        fig.savefig(path, dpi=120, metadata={"Date": None} if path.suffix == ".svg" else None)
