"""Charts of a bond's history, drawn on the server with matplotlib as accessible SVG.

Each function takes plain data (already filtered for the viewer by
:mod:`mutual.insights.selectors`) and returns a :class:`Chart`: the sanitised SVG, a
title and description for assistive technology, and the same numbers as a table.
Nothing here reads the database.

Labels may hold text people wrote (a partner's name in a legend), so every text is drawn
as it is: matplotlib's mathematics (``$…$``) is off, legend labels are passed explicitly
(one starting with ``_`` would otherwise be hidden), characters XML cannot carry become
spaces, and no warning names a character the font lacks (it would reach the server's
log; the browser draws the text with its own fonts anyway, ``svg.fonttype: none``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.formats import date_format
from django.utils.translation import gettext
from matplotlib import _text_helpers
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .svg import accessible_svg

#: A calm palette with enough contrast on white (WCAG 1.4.11, ≥ 3:1 for graphics).
TERRACOTTA = "#9e3f28"
SAGE = "#4a6340"
SLATE = "#3d5a73"
UMBER = "#7a5a2e"
INK = "#2d2420"
MUTED = "#5f5049"
GRID = "#ece3da"
RC: Any = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 13,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.linewidth": 1.0,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "xtick.major.pad": 6,
    "ytick.major.pad": 6,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "axes.labelsize": 12,
    # Text is drawn as written, never read as mathematics (a name like "$\\frac{x}$").
    "text.parse_math": False,
}

#: Characters XML 1.0 cannot carry (C0 controls but tab, newline and return).
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF], " ")


def drawable(text: str) -> str:
    """``text`` with every character an SVG document cannot hold replaced by a space."""
    return text.translate(_NOT_XML)


def _no_glyph_warning(codepoint: object, fontnames: object) -> None:
    """matplotlib's warning about a missing glyph names the character, which may come
    from a name, and warnings go to the server's log: say nothing instead."""


setattr(_text_helpers, "warn_on_missing_glyph", _no_glyph_warning)  # noqa: B010


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    desc: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, ...]] = field(default_factory=list)
    svg: str = ""
    empty: str = ""
    #: Several small pictures instead of one: (caption, sanitised or built SVG).
    pictures: Sequence[tuple[str, str]] = ()
    #: Too little history for a picture yet: what will appear, and when (the numbers so
    #: far are still in ``rows``).
    waiting: str = ""


def _render(fig: Figure, *, key: str, title: str, desc: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": key, **RC}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return accessible_svg(buffer.getvalue(), key=key, title=drawable(title), desc=drawable(desc))


def _figure(
    width: float = 4.8, height: float = 3.2, legend_rows: int = 0, left: float = 0.8
) -> Figure:
    """A figure with fixed margins (an automatic layout costs more than the drawing)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height))
        fig.patch.set_alpha(0.0)
    inch = 1.0 / height
    bottom = (0.55 + 0.25 * legend_rows + (0.1 if legend_rows else 0)) * inch
    # Room on the right for the last date's label, which is centred on its day.
    fig.subplots_adjust(
        left=left / width, right=1 - 0.45 / width, top=1 - 0.15 * inch, bottom=bottom
    )
    return fig


def _time_axes(fig: Figure, *, ylabel: str, ylim: tuple[float, float]):  # type: ignore[no-untyped-def]
    with matplotlib.rc_context(RC):
        ax = fig.add_subplot()
    ax.set_ylim(*ylim)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_facecolor("none")
    # Dates as the pages write them ("3 Dec"), in the reader's language, few enough that
    # none is cut or crowded.
    locator = AutoDateLocator(minticks=2, maxticks=4)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(_axis_day))
    return ax


#: A line over time is drawn once it has points on this many days (one dot says nothing).
MIN_DAYS = 3
#: Bars per week are drawn once there are this many weeks.
MIN_WEEKS = 2


def _axis_day(value: float, _position: int | None = None) -> str:
    """A tick on a chart's time axis: the day and the month's short name in the reader's
    language (matplotlib's own names are English whatever the language)."""
    return date_format(num2date(value), "j M")


def _day(value: date | datetime) -> str:
    """A day in the table under a chart, as the reader's language writes a short date."""
    return date_format(value, "SHORT_DATE_FORMAT")


def _pad(days: Sequence[date]) -> tuple[date, date]:
    start, end = min(days), max(days)
    if start == end:
        return start - timedelta(days=1), end + timedelta(days=1)
    return start, end


def line_chart(
    *,
    key: str,
    title: str,
    desc: str,
    series: Sequence[tuple[str, str, Sequence[tuple[date, float]]]],
    ylabel: str,
    ylim: tuple[float, float],
    value_format: str = "{:.0f}",
    step: bool = False,
    yticks: Sequence[tuple[float, str]] = (),
    empty: str,
    waiting: str = "",
) -> Chart:
    """Lines over time. ``series`` holds (label, colour, points) each. With points on
    fewer than :data:`MIN_DAYS` days, no picture yet: ``waiting`` says what will appear."""
    points_all = [p for _, _, pts in series for p in pts]
    columns = (gettext("Date"), *(label for label, _, _ in series))
    if not points_all:
        return Chart(key, title, desc, columns, empty=empty)
    if len({d for d, _ in points_all}) < MIN_DAYS:
        return Chart(key, title, desc, columns, _rows(series, value_format), waiting=waiting)
    legend_rows = len(series) if len(series) > 1 else 0
    fig = _figure(
        height=3.2 + 0.3 * legend_rows, legend_rows=legend_rows, left=1.3 if yticks else 0.8
    )
    with matplotlib.rc_context(RC):
        ax = _time_axes(fig, ylabel=ylabel, ylim=ylim)
        styles = ("-", "--", ":")
        handles, labels = [], []
        for i, (label, colour, pts) in enumerate(series):
            if not pts:
                continue
            xs = [d for d, _ in pts]
            ys = [v for _, v in pts]
            kw = {"color": colour, "linewidth": 2.2, "linestyle": styles[i % 3]}
            if step:
                drawn = ax.step(xs, ys, where="post", **kw)
            else:
                drawn = ax.plot(xs, ys, marker="o" if len(xs) < 40 else None, markersize=3.5, **kw)
            handles.append(drawn[0])
            labels.append(drawable(label))
        ax.set_xlim(*_pad([p[0] for p in points_all]))
        if yticks:
            ax.set_yticks([t for t, _ in yticks], [drawable(lbl) for _, lbl in yticks])
        if len(series) > 1:
            fig.legend(handles, labels, frameon=False, loc="lower center", ncols=1, fontsize=12)
    svg = _render(fig, key=key, title=title, desc=desc)
    return Chart(key, title, desc, columns, _rows(series, value_format), svg)


def _rows(
    series: Sequence[tuple[str, str, Sequence[tuple[date, float]]]], value_format: str
) -> list[tuple[str, ...]]:
    """The table behind a line chart: one row per day, one column per series."""
    by_day: dict[date, list[str]] = {}
    for i, (_, _, pts) in enumerate(series):
        for d, v in pts:
            by_day.setdefault(d, ["–"] * len(series))[i] = value_format.format(v)
    return [(_day(d), *vals) for d, vals in sorted(by_day.items())]


def bar_chart(
    *,
    key: str,
    title: str,
    desc: str,
    weeks: Sequence[tuple[date, int, int]],
    labels: tuple[str, str],
    empty: str,
    waiting: str = "",
) -> Chart:
    """Two counts per week, side by side: (week start, first, second); with fewer than
    :data:`MIN_WEEKS` weeks, no picture yet (``waiting``)."""
    columns = (gettext("Week of"), *labels)
    if not weeks:
        return Chart(key, title, desc, columns, empty=empty)
    rows = [(_day(d), str(a), str(b)) for d, a, b in weeks]
    if len(weeks) < MIN_WEEKS:
        return Chart(key, title, desc, columns, rows, waiting=waiting)
    fig = _figure(height=3.5, legend_rows=1)
    with matplotlib.rc_context(RC):
        ax = _time_axes(
            fig, ylabel=gettext("Topics"), ylim=(0, max(max(a, b) for _, a, b in weeks) + 1)
        )
        xs = [datetime(d.year, d.month, d.day) for d, _, _ in weeks]
        first = ax.bar(
            [x + timedelta(days=2.3) for x in xs],
            [a for _, a, _ in weeks],
            width=2.2,
            color=TERRACOTTA,
        )
        second = ax.bar(
            [x + timedelta(days=4.7) for x in xs],
            [b for _, _, b in weeks],
            width=2.2,
            color=SAGE,
            hatch="//",
            edgecolor="white",
        )
        ax.yaxis.get_major_locator().set_params(integer=True)
        start, end = _pad([d for d, _, _ in weeks])
        ax.set_xlim(start - timedelta(days=2), end + timedelta(days=7))
        fig.legend(
            [first, second],
            [drawable(label) for label in labels],
            frameon=False,
            loc="lower center",
            ncols=2,
            fontsize=12,
        )
    svg = _render(fig, key=key, title=title, desc=desc)
    return Chart(key, title, desc, columns, rows, svg)


def percent(value: float) -> str:
    return f"{math.floor(value * 100 + 0.5):d}%"
