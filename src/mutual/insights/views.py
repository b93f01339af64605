"""The insights page of a bond: its history drawn as accessible charts.

Thin: fetch the bond for the viewer (404 for anyone else), gather what they may see
(:mod:`mutual.insights.selectors`), draw it (:mod:`mutual.insights.charts`).

:mod:`~mutual.insights.charts` brings matplotlib and NumPy (tens of MiB a process), so it
is imported when a chart is drawn, never when the app starts: a worker that never draws
one never loads them (``tests/ops/test_lazy_imports.py``).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mutual.bonds import guards, onion
from mutual.engine import DEPTHS
from mutual.web import names

from .selectors import Insights, insights_for

if TYPE_CHECKING:
    from . import charts


def onion_section(data: Insights) -> charts.Chart:
    """The onion at a few moments, drawn by the same builder as the bond's home page."""
    from . import charts

    key = "onion"
    title = _("The onion as it grew")
    desc = _(
        "Rings from Surface at the centre to Core outside, one sector per theme. A place "
        "is filled once you have both shared there and felt heard."
    )
    columns = (
        _("Date"),
        _("Open depth"),
        _("Places shared both ways"),
        _("Themes shared deeply"),
    )
    if not data.onion:
        return charts.Chart(key, title, desc, columns, empty=_("The onion grows as you share."))
    pictures = []
    rows = []
    for i, (day, depth, breadth, cells) in enumerate(data.onion):
        label = date_format(day, "SHORT_DATE_FORMAT")
        picture = onion.build(
            cells=cells,
            open_depth=depth,
            themes=data.themes,
            title=_("The onion on %(day)s") % {"day": label},
        )
        # Each picture needs its own ids on a page that shows several.
        svg = str(picture.svg).replace("onion-title", f"onion-{i}-title")
        svg = svg.replace("onion-desc", f"onion-{i}-desc")
        pictures.append(
            (
                _("%(day)s: open to %(depth)s") % {"day": label, "depth": names.depth_name(depth)},
                svg,
            )
        )
        of = _("%(shared)d of %(themes)d") % {"shared": breadth, "themes": len(data.themes)}
        rows.append((label, names.depth_name(depth), str(picture.filled), of))
    return charts.Chart(key, title, desc, columns, rows, pictures=pictures)


def build_charts(data: Insights) -> list[charts.Chart]:
    """The page's charts, in reading order."""
    from . import charts

    partner = data.partner_name
    days = data.days
    depth_ticks = [(float(i), str(name)) for i, name in enumerate(names.DEPTH_WORDS)]
    index = _("Mutual index")
    trust = _("Your trust")
    return [
        charts.line_chart(
            key="index",
            title=_("Mutual index over time"),
            desc=_(
                "How much each of you has shared and had honored, together, from 0 to 100, "
                "at the end of each day and in steps of five. It stays at zero while either of "
                "you holds back."
            ),
            series=[(index, charts.TERRACOTTA, [(d.day, d.mutual_index) for d in days])],
            ylabel=index,
            ylim=(0, 100),
            empty=_("The index begins the day after you have both shared and felt heard."),
            waiting=_(
                "After a few more days of sharing, a line here will show how your mutual "
                "index has moved."
            ),
        ),
        charts.line_chart(
            key="depth",
            title=_("Open depth over time"),
            desc=_("The deepest level the two of you have opened, from Surface to Core."),
            series=[(_("Open depth"), charts.SLATE, [(d.day, float(d.open_depth)) for d in days])],
            ylabel="",
            ylim=(-0.3, len(DEPTHS) - 0.7),
            yticks=depth_ticks,
            step=True,
            value_format="{:.0f}",
            empty=_("Nothing opened yet: you begin at the Surface."),
            waiting=_(
                "After a few more days, a line here will show each depth as the two of you "
                "opened it."
            ),
        ),
        charts.line_chart(
            key="trust",
            title=_("Your trust over time"),
            desc=_(
                "Your own trust in %(partner)s, from 0 to 100. Only you see this; "
                "%(partner)s never does."
            )
            % {"partner": partner},
            series=[(trust, charts.UMBER, [(d.day, d.my_trust * 100) for d in days])],
            ylabel=trust,
            ylim=(0, 100),
            empty=_("Your trust is drawn once you have rated a reply."),
            waiting=_(
                "After a few more days of replies you rated, a line here will show how your "
                "own trust has grown."
            ),
        ),
        charts.line_chart(
            key="attunement",
            title=_("Reading each other"),
            desc=_(
                "How close check-in guesses were over the last two weeks, from 0 to 100: "
                "yours of %(partner)s, and %(partner)s's of you."
            )
            % {"partner": partner},
            series=[
                (
                    _("Your guesses of %(partner)s") % {"partner": partner},
                    charts.TERRACOTTA,
                    [(d, v * 100) for d, v in data.attunement_mine],
                ),
                (
                    _("%(partner)s's guesses of you") % {"partner": partner},
                    charts.SAGE,
                    [(d, v * 100) for d, v in data.attunement_theirs],
                ),
            ],
            ylabel=_("Closeness of guesses"),
            ylim=(0, 100),
            empty=_("This appears after your first check-in together."),
            waiting=_(
                "After check-ins on a few more days, a line here will show how well you "
                "read each other."
            ),
        ),
        onion_section(data),
        charts.bar_chart(
            key="differences",
            title=_("Differences raised and revisited"),
            desc=_("Topics raised each week, and the ones you came back to."),
            weeks=data.differences,
            labels=(_("Raised"), _("Revisited")),
            empty=_("No differences raised yet. Raising one is a sign of trust, not trouble."),
            waiting=_(
                "After a second week, bars here will show the topics raised and revisited "
                "week by week."
            ),
        ),
    ]


#: Drawn charts are kept this long, keyed by a digest of exactly the data they show, so
#: a cached picture is never stale: new history means a new key. They go to the
#: ``ordinary`` cache, never to the one that holds sign-in throttles (settings ``caches``).
CACHE_SECONDS = 24 * 3600
CACHE_ALIAS = "ordinary"


def charts_for(data: Insights) -> list[charts.Chart]:
    """:func:`build_charts`, drawn once per distinct data and language."""
    digest = hashlib.sha256(repr(data).encode()).hexdigest()
    key = f"insights:charts:{translation.get_language()}:{digest}"
    cache = caches[CACHE_ALIAS]
    drawn = cache.get(key)
    if drawn is None:
        drawn = build_charts(data)
        cache.set(key, drawn, CACHE_SECONDS)
    return list(drawn)


@login_required
@require_GET
def insights_page(request: HttpRequest, bond_id: uuid.UUID) -> HttpResponse:
    bond = guards.bond_or_404(request, bond_id)
    data = insights_for(bond=bond, viewer=request.user, at=timezone.now())
    items = [
        # Chart SVG is rebuilt from a whitelist (svg.py); the onion is built escaped
        # (bonds/onion.py): both are safe to embed.
        (chart, mark_safe(chart.svg), [(c, mark_safe(svg)) for c, svg in chart.pictures])  # noqa: S308
        for chart in charts_for(data)
    ]
    # With little history yet, the page says what will appear rather than drawing dots.
    young = not any(chart.svg for chart, _svg, _p in items)
    context = {
        "bond": bond,
        "partner_name": data.partner_name,
        "charts": items,
        "young": young,
    }
    return render(request, "insights/page.html", context)
