"""A picture of a run a researcher could publish: means with a band of one standard
deviation across dyads, days on the x-axis, breaches and gate openings marked, honored
exposure of each side, the index and each person's closeness."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mutual.engine import DEPTHS

from .run import Run

FORMATS = (".png", ".svg")
_INK = "#3b4045"
_MUTED = "#8a9096"
_A = "#3d7f8f"  # a: a calm teal
_B = "#c2875a"  # b: a warm sand
_DEPTH = "#6c6a9e"
_INDEX = "#5a8f63"
_BREACH = "#b24a3b"
#: A mark is drawn where at least this share of dyads had the event.
MARK_SHARE = 0.01


def _band(
    ax: Axes, days: np.ndarray, run: Run, name: str, color: str, label: str, low: float, high: float
) -> None:
    mean, sd = run.history[name], run.history[f"{name}_sd"]
    ax.fill_between(days, np.clip(mean - sd, low, high), np.clip(mean + sd, low, high),
                    color=color, alpha=0.18, lw=0)  # fmt: skip
    ax.plot(days, mean, color=color, lw=2, label=label)


def _marks(axes: list[Axes], days: np.ndarray, run: Run) -> None:
    """Breaches as thin red lines, gate openings as ticks along the depth panel's top."""
    breaches = run.history["breaches"]
    for day, share in zip(days, breaches, strict=True):
        if share >= MARK_SHARE:
            for ax in axes:
                ax.axvline(day, color=_BREACH, lw=0.8, alpha=min(1.0, 0.25 + share))
    openings = run.history["openings"]
    shown = openings >= MARK_SHARE
    axes[1].scatter(days[shown], np.full(shown.sum(), len(DEPTHS) - 0.75), marker="v",
                    s=12 + 60 * openings[shown], color=_DEPTH, alpha=0.7,
                    label="gate openings (share of dyads)")  # fmt: skip


def plot_run(run: Run, path: Path) -> None:
    """Draw ``run.history`` to ``path`` (PNG or SVG, chosen by the suffix)."""
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"a plot is written as PNG or SVG, not {path.suffix or 'no suffix'}")
    if not run.history:
        raise ValueError("this run recorded no history to plot")
    days = np.arange(1, run.events + 1) * run.hours_between / 24.0
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
        fig = Figure(figsize=(8, 10))
        FigureCanvasAgg(fig)
        axes = list(fig.subplots(4, 1, sharex=True, height_ratios=(1.1, 0.9, 1.1, 1.1)))
        ax_t, ax_d, ax_m, ax_h = axes
        fig.suptitle(
            f"{run.scenario}: {run.dyads:,} dyads, seed {run.seed}"
            + ("" if run.gate else ", gate off")
            + " — mean and ± 1 SD across dyads",
            color=_INK,
            fontsize=11,
        )
        _band(ax_t, days, run, "trust_a_to_b", _A, "a trusts b", 0.0, 1.0)
        _band(ax_t, days, run, "trust_b_to_a", _B, "b trusts a", 0.0, 1.0)
        ax_t.set_ylim(0, 1)
        ax_t.set_ylabel("trust")
        _band(ax_d, days, run, "open_depth", _DEPTH, "open depth", 0.0, 4.0)
        ax_d.set_ylim(-0.1, len(DEPTHS) - 0.6)
        ax_d.set_yticks(range(len(DEPTHS)), DEPTHS)
        ax_d.set_ylabel("open depth")
        _band(ax_m, days, run, "mutual_index", _INDEX, "mutual index (shared)", 0.0, 100.0)
        ax_m.plot(days, run.history["closeness_a"], color=_A, lw=1.5, ls="--",
                  label="a's closeness")  # fmt: skip
        ax_m.plot(days, run.history["closeness_b"], color=_B, lw=1.5, ls="--",
                  label="b's closeness")  # fmt: skip
        ax_m.set_ylim(0, 100)
        ax_m.set_ylabel("0–100")
        _band(ax_h, days, run, "honored_a", _A, "a's honored exposure", 0.0, np.inf)
        _band(ax_h, days, run, "honored_b", _B, "b's honored exposure", 0.0, np.inf)
        ax_h.set_ylim(bottom=0)
        ax_h.set_ylabel("honored exposure H")
        ax_h.set_xlabel("day")
        _marks(axes, days, run)
        if (run.history["breaches"] >= MARK_SHARE).any():
            ax_t.plot([], [], color=_BREACH, lw=0.8, label="breaches (≥ 1 % of dyads)")
        for ax in axes:
            ax.grid(axis="y", color="#e4e6e8", lw=0.8)
            ax.set_axisbelow(True)
            ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 0.98), ncols=3,
                      fontsize=8)  # fmt: skip
        fig.tight_layout()
        fig.savefig(path, dpi=120, metadata={"Date": None} if path.suffix == ".svg" else None)
