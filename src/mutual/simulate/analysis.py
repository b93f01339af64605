"""What each mechanism does, and what each parameter moves: ablations and a global
sensitivity analysis (docs/validation.md). Run from ``mutual simulate --ablate`` and
``mutual simulate --sensitivity FILE``; never from the tests, which check the code path
on a tiny sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mutual.engine import DEFAULT_PARAMS, Params

from .run import simulate
from .scenario import load_preset
from .targets import TARGETS, validate
from .validate import Check, Target

#: Each mechanism, switched off by the parameters that carry it.
ABLATIONS: dict[str, dict[str, Any]] = {
    "gate": {"gate_enabled": False},
    "stakes": {"stake_by_depth": (0.8,) * 5, "emotional_factor": 1.0},
    "strain": {"strain_weight": 1.0},
    "loss asymmetry": {"loss_factor": 1.0},
    "scar": {"scar": 0.0},
    "forgetting": {"evidence_half_life": timedelta(days=10**6)},
    "first impression": {"impression_span": 0.0},
    "fading": {"present_half_life": timedelta(days=10**6)},
    "turning away": {"missed_weight": 0.0},
    "receiver gain": {"receiver_gain": 0.0},
    "reciprocity in a sitting": {"closeness_reciprocity": 0.0},
    "core time rule": {"core_span": timedelta(0), "core_sittings": 1},
}


@dataclass(frozen=True, slots=True)
class Ablation:
    """The targets that stop holding when one mechanism is switched off."""

    mechanism: str
    failing: tuple[str, ...]


def ablate(
    dyads: int,
    seed: int,
    targets: Sequence[Target] = TARGETS,
    progress: Callable[[float], None] | None = None,
) -> tuple[list[Check], list[Ablation]]:
    """The full model's checks, then each mechanism switched off in turn."""
    full = validate(dyads, seed, targets=targets)
    held = {c.target for c in full if c.passed}
    out = []
    for k, (name, change) in enumerate(ABLATIONS.items()):
        checks = validate(dyads, seed, params=replace(DEFAULT_PARAMS, **change), targets=targets)
        out.append(
            Ablation(name, tuple(c.target for c in checks if c.target in held and not c.passed))
        )
        if progress is not None:
            progress((k + 1) / len(ABLATIONS))
    return full, out


def ablation_table(full: list[Check], ablations: list[Ablation]) -> str:
    """A Markdown table: one row per target, one column per mechanism switched off."""
    short = {name: name for name in ABLATIONS}
    head = "| target | kind | " + " | ".join(short.values()) + " |"
    lines = [head, "|" + "---|" * (len(ABLATIONS) + 2)]
    for check in full:
        if not check.passed:
            cells = ["(does not hold)"] + [""] * (len(ABLATIONS) - 1)
        else:
            cells = ["**fails**" if check.target in a.failing else "·" for a in ablations]
        lines.append(f"| {check.target} | {check.kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Global sensitivity (Morris elementary effects, SALib)

#: Every parameter the simulated people exercise, and the range it is varied over.
#: ``stake scale`` and ``threshold scale`` multiply the five stakes and the four gate
#: thresholds. ``repair_gain`` is left out: the simulated people hold no repair rounds.
SPACE: dict[str, tuple[float, float]] = {
    "stake scale": (0.5, 2.0),
    "emotional_factor": (1.0, 2.5),
    "dishonored_at": (0.15, 0.35),
    "honor_origin": (0.4, 0.55),
    "honored_at": (0.58, 0.75),
    "missed_weight": (0.0, 0.6),
    "receiver_gain": (0.0, 0.5),
    "strain_weight": (1.0, 2.5),
    "loss_factor": (1.0, 4.0),
    "breach_factor": (2.0, 8.0),
    "scar": (0.0, 0.5),
    "scar_half_life (days)": (90.0, 730.0),
    "evidence_half_life (weeks)": (8.0, 78.0),
    "impression_span": (0.0, 12.0),
    "prior_alpha": (0.5, 2.0),
    "prior_beta": (0.5, 2.0),
    "lower_bound_quantile": (0.1, 0.4),
    "threshold scale": (0.7, 1.2),
    "core_span (hours)": (0.0, 96.0),
    "sitting_gap (hours)": (0.5, 6.0),
    "present_half_life (weeks)": (2.0, 26.0),
    "index_scale": (5.0, 20.0),
    "closeness_own": (0.0, 0.5),
    "closeness_response": (0.5, 2.0),
    "closeness_partner": (0.0, 0.6),
    "closeness_reciprocity": (0.0, 0.5),
    "closeness_scale": (5.0, 20.0),
}
#: The outputs: the secure preset's index, a's closeness and a's trust after 120 events,
#: and what a love-bomber gets (a's honored exposure at the first breach).
OUTPUTS = ("index", "closeness", "trust", "exposure at breach")


def params_at(point: Sequence[float]) -> Params:
    """The parameters of one point of :data:`SPACE`."""
    v = dict(zip(SPACE, point, strict=True))
    thresholds = tuple(min(0.95, t * v["threshold scale"]) for t in DEFAULT_PARAMS.gate_thresholds)
    return replace(
        DEFAULT_PARAMS,
        stake_by_depth=tuple(w * v["stake scale"] for w in DEFAULT_PARAMS.stake_by_depth),
        emotional_factor=v["emotional_factor"],
        dishonored_at=v["dishonored_at"],
        honor_origin=v["honor_origin"],
        honored_at=v["honored_at"],
        missed_weight=v["missed_weight"],
        receiver_gain=v["receiver_gain"],
        strain_weight=v["strain_weight"],
        loss_factor=v["loss_factor"],
        breach_factor=v["breach_factor"],
        scar=v["scar"],
        scar_half_life=timedelta(days=v["scar_half_life (days)"]),
        evidence_half_life=timedelta(weeks=v["evidence_half_life (weeks)"]),
        impression_span=v["impression_span"],
        prior_alpha=v["prior_alpha"],
        prior_beta=v["prior_beta"],
        lower_bound_quantile=v["lower_bound_quantile"],
        gate_thresholds=thresholds,
        core_span=timedelta(hours=v["core_span (hours)"]),
        sitting_gap=timedelta(hours=v["sitting_gap (hours)"]),
        present_half_life=timedelta(weeks=v["present_half_life (weeks)"]),
        index_scale=v["index_scale"],
        closeness_own=v["closeness_own"],
        closeness_response=v["closeness_response"],
        closeness_partner=v["closeness_partner"],
        closeness_reciprocity=v["closeness_reciprocity"],
        closeness_scale=v["closeness_scale"],
    )


def outputs(params: Params, dyads: int, seed: int) -> np.ndarray:
    """The four outputs of :data:`OUTPUTS` under ``params``."""
    secure = simulate(load_preset("secure"), dyads=dyads, seed=seed, params=params)
    bomber = simulate(load_preset("love-bomber"), dyads=dyads, seed=seed, params=params)
    breached = bomber.state.first_breach[0] >= 0
    exposure = bomber.state.honored_at_breach[0][breached]
    return np.array(
        [
            float(np.mean(secure.measures.mutual_index)),
            float(np.mean(secure.measures.closeness[0])),
            float(np.mean(secure.measures.trust[0])),
            float(np.mean(exposure)) if exposure.size else 0.0,
        ]
    )


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """Morris ``μ*`` (mean absolute elementary effect) and ``σ`` per output and parameter,
    ``μ*`` also as a share of the output's largest."""

    names: tuple[str, ...]
    mu_star: np.ndarray  # (outputs, parameters)
    sigma: np.ndarray

    def share(self) -> np.ndarray:
        top = self.mu_star.max(axis=1, keepdims=True)
        shares: np.ndarray = self.mu_star / np.where(top > 0, top, 1.0)
        return shares


def sensitivity(
    trajectories: int,
    dyads: int,
    seed: int,
    progress: Callable[[float], None] | None = None,
) -> Sensitivity:
    """Morris screening of every parameter in :data:`SPACE` (SALib)."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    problem = {
        "num_vars": len(SPACE),
        "names": list(SPACE),
        "bounds": [list(b) for b in SPACE.values()],
    }
    points = sample.sample(problem, trajectories, num_levels=4, seed=seed)
    results = np.empty((points.shape[0], len(OUTPUTS)))
    for k, point in enumerate(points):
        results[k] = outputs(params_at(point), dyads, seed)
        if progress is not None:
            progress((k + 1) / points.shape[0])
    mu = np.empty((len(OUTPUTS), len(SPACE)))
    sd = np.empty_like(mu)
    for j in range(len(OUTPUTS)):
        found = analyze.analyze(problem, points, results[:, j], num_levels=4, seed=seed)
        mu[j] = found["mu_star"]
        sd[j] = found["sigma"]
    return Sensitivity(tuple(SPACE), mu, sd)


def sensitivity_table(result: Sensitivity, top: int = 8) -> str:
    """A Markdown table: the most influential parameters of each output, by ``μ*``."""
    lines = ["| output | parameters by influence (μ*, σ) |", "|---|---|"]
    for j, output in enumerate(OUTPUTS):
        order = np.argsort(-result.mu_star[j])[:top]
        cells = ", ".join(
            f"{result.names[i]} ({result.mu_star[j, i]:.3g}, {result.sigma[j, i]:.3g})"
            for i in order
        )
        lines.append(f"| {output} | {cells} |")
    return "\n".join(lines)


def plot_sensitivity(result: Sensitivity, path: Path) -> None:
    """A heat map of ``μ*`` as a share of each output's largest, parameters down."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shares = result.share().T
    order = np.argsort(-shares.max(axis=1))
    with mpl.rc_context({"font.size": 9, "svg.hashsalt": "mutual", "svg.fonttype": "none"}):
        fig = Figure(figsize=(7.5, 8.5))
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        image = ax.imshow(shares[order], cmap="Greens", vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_yticks(range(len(order)), [result.names[i] for i in order])
        ax.set_xticks(range(len(OUTPUTS)), OUTPUTS)
        ax.xaxis.tick_top()
        for (r, c), value in np.ndenumerate(shares[order]):
            ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if value > 0.6 else "#3b4045")  # fmt: skip
        fig.colorbar(image, ax=ax, label="μ* as a share of the output's largest")
        ax.set_title("What moves the model's outputs (Morris screening)", pad=28)
        fig.tight_layout()
        fig.savefig(path, dpi=110, metadata={"Date": None} if path.suffix == ".svg" else None)
