"""The onion: depth rings by theme sectors, drawn as accessible inline SVG.

Ring 0 (the centre) is the Surface, ring 4 (the outside) the Core, following the
picture of social penetration turned inside out so the deepest sharing holds the most
room. A cell is filled where both persons have been honored at that depth and theme
(:func:`mutual.engine.mutual_cells`). The picture comes with a table of the same facts for
screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from mutual import engine
from mutual.web import names

SIZE = 300
CENTRE = SIZE / 2
INNER = 18.0
RING = 22.0
LABEL_RADIUS = INNER + RING * 5 + 16


@dataclass(frozen=True)
class OnionRow:
    depth: int
    name: str
    open: bool
    cells: list[bool]


@dataclass(frozen=True)
class Onion:
    svg: SafeString
    themes: list[str]
    rows: list[OnionRow]
    filled: int


def themes_for(*, kind: str, desire: bool) -> list[str]:
    """The sectors of the onion: every theme, `desire` only for partners who opted in."""
    return [
        t for t in engine.THEMES if t not in engine.OPT_IN_THEMES or (kind == "partners" and desire)
    ]


def _point(radius: float, angle: float) -> tuple[float, float]:
    return (
        round(CENTRE + radius * math.sin(angle), 2),
        round(CENTRE - radius * math.cos(angle), 2),
    )


def _sector(r0: float, r1: float, a0: float, a1: float) -> str:
    large = 1 if a1 - a0 > math.pi else 0
    x0, y0 = _point(r1, a0)
    x1, y1 = _point(r1, a1)
    x2, y2 = _point(r0, a1)
    x3, y3 = _point(r0, a0)
    return (
        f"M{x0} {y0} A{r1} {r1} 0 {large} 1 {x1} {y1} L{x2} {y2} A{r0} {r0} 0 {large} 0 {x3} {y3} Z"
    )


def build(
    *,
    cells: frozenset[tuple[int, str]],
    open_depth: int,
    themes: list[str],
    title: str | None = None,
) -> Onion:
    """The SVG and its table for the mutual ``cells`` of a bond. Drawn once per distinct
    picture: the same cells, depth and themes give the same drawing (read only)."""
    if title is None:
        title = gettext("The onion of your bond")
    # Each language draws its own picture: the words inside it are in that language.
    return _build(frozenset(cells), open_depth, tuple(themes), title, get_language())


@lru_cache(maxsize=256)
def _build(
    cells: frozenset[tuple[int, str]],
    open_depth: int,
    themes_: tuple[str, ...],
    title: str,
    language: str | None,
) -> Onion:
    themes = list(themes_)
    n = len(themes)
    step = 2 * math.pi / n
    gap = 0.02
    paths: list[tuple[str, str]] = []
    rows: list[OnionRow] = []
    for depth in range(engine.MAX_DEPTH + 1):
        r0 = INNER + RING * depth
        r1 = r0 + RING - 2
        row = []
        for i, theme in enumerate(themes):
            filled = (depth, theme) in cells
            row.append(filled)
            if filled:
                css = f"onion-cell onion-filled onion-d{depth}"
            elif depth <= open_depth:
                css = "onion-cell onion-open"
            else:
                css = "onion-cell onion-closed"
            paths.append((css, _sector(r0, r1, i * step + gap, (i + 1) * step - gap)))
        rows.append(OnionRow(depth, names.depth_name(depth), depth <= open_depth, row))
    labels = []
    for i, theme in enumerate(themes):
        x, y = _point(LABEL_RADIUS, (i + 0.5) * step)
        labels.append((x, y, names.theme_name(theme)))
    filled_count = sum(1 for r in rows for c in r.cells if c)
    desc = gettext(
        "%(filled)d of %(places)d places shared both ways. "
        "Open up to %(depth)s. The table below lists each place."
    ) % {
        "filled": filled_count,
        "places": n * (engine.MAX_DEPTH + 1),
        "depth": names.depth_name(open_depth),
    }
    svg = format_html(
        '<svg class="onion" viewBox="-45 -12 {w} {h}" role="img" '
        'aria-labelledby="onion-title onion-desc" focusable="false">'
        '<title id="onion-title">{title}</title><desc id="onion-desc">{desc}</desc>'
        "{paths}{labels}</svg>",
        w=SIZE + 90,
        h=SIZE + 24,
        title=title,
        desc=desc,
        paths=format_html_join("", '<path class="{}" d="{}"/>', paths),
        labels=format_html_join(
            "",
            '<text class="onion-label" x="{}" y="{}" text-anchor="middle" '
            'dominant-baseline="middle">{}</text>',
            labels,
        ),
    )
    return Onion(svg=svg, themes=themes, rows=rows, filled=filled_count)
