"""The web section's figures (``bench/web.py``) as measurements of ``make bench``, with
their budgets, and as a table (``python -m bench.web``)."""

from __future__ import annotations

from typing import Any

from .web import FLOOR_BUDGET, READ_BUDGETS, SIGNED_IN_FLOOR, SIZE_BUDGET, run

FLOORS = ("floor", SIGNED_IN_FLOOR)


def measurements(quick: bool) -> list[Any]:
    """The web section of ``make bench``: pages rendered afresh, with their budgets
    (checked only in a full run)."""
    from .budgets import Measurement

    result = run(quick=quick)
    fresh = result["targets"]
    small, large = result["sizes"]
    found: list[Measurement] = []
    for name, row in fresh.items():
        found.append(
            Measurement(
                name if name in FLOORS else f"{name}, afresh",
                row["rps"],
                "requests/s",
                detail=f"p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, "
                f"{row['requests']} requests",
            )
        )
    found.append(
        Measurement(
            "signed-in floor ÷ anonymous floor",
            fresh[SIGNED_IN_FLOOR]["vs_floor"],
            "× req/s",
            budget=None if quick else FLOOR_BUDGET,
            detail="what checking the session (server side, so a revoked one is refused) "
            "leaves of the bare view",
        )
    )
    for name, row in fresh.items():
        if name in FLOORS:
            continue
        read = name.split(" @")[0]
        found.append(
            Measurement(
                f"{name}, afresh ÷ signed-in floor",
                row["vs_signed_in_floor"],
                "× req/s",
                budget=None if quick else READ_BUDGETS[read],
            )
        )
    for read, ratio in result["size_ratio"].items():
        found.append(
            Measurement(
                f"{read}, afresh: {small:,} vs {large:,}",
                round(1 / ratio, 3),
                "speed kept",
                budget=None if quick else round(1 / SIZE_BUDGET, 3),
                detail=f"cost of {large:,} exchanges ÷ cost of {small:,} = {ratio:.3f} "
                f"(budget ≤ {SIZE_BUDGET})",
            )
        )
    rss = result["rss_mib_per_worker"]
    idle = result.get("rss_mib_per_worker_idle", [])
    found.append(
        Measurement(
            "memory per worker, started",
            max(idle) if idle else 0.0,
            "MiB resident",
            detail=f"each worker before its first request: {idle}",
        )
    )
    found.append(
        Measurement(
            "memory per worker, after the load",
            max(rss) if rss else 0.0,
            "MiB resident",
            detail=f"each worker: {rss}; {result['server']}; seeded in "
            f"{result['seed_seconds']} s, section took {result['seconds']} s",
        )
    )
    return found


def table(result: dict[str, Any]) -> str:
    """Every target, with its ratios to the floors, and the growth."""
    head = (
        f"{'target':<28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ floor':>8} "
        f"{'÷ signed-in floor':>18}"
    )
    lines = ["pages rendered afresh", head]
    for name, row in result["targets"].items():
        lines.append(
            f"{name:<28} {row['rps']:>8.1f} {row['p50_ms']:>8.2f} {row['p99_ms']:>8.2f} "
            f"{row['vs_floor']:>8.3f} {row['vs_signed_in_floor']:>18.3f}"
        )
    small, large = result["sizes"]
    lines.append("")
    for read, ratio in result["size_ratio"].items():
        verdict = "ok" if ratio <= SIZE_BUDGET else "OVER"
        lines.append(f"{read}, afresh: cost {large:,} ÷ {small:,} = {ratio:.3f} ({verdict})")
    lines.append(
        f"resident memory per worker (MiB): started {result.get('rss_mib_per_worker_idle')}, "
        f"after the load {result['rss_mib_per_worker']}"
    )
    return "\n".join(lines).strip()
