"""A small picture of one revealed check-in on the valence–arousal circle.

Both feelings are dots on the circle (pleasant to the right, lively at the top) and each
guess is a ring joined by a thin line to the feeling it was about, so two people can see
at a glance where they met. Built with ``format_html`` (everything escaped); the words
for screen readers are in its title and description.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from mutual.checkins import wheel
from mutual.checkins.selectors import RoundView

SIZE = 220
CENTRE = SIZE / 2
RADIUS = 80.0
MINE = "#9e3f28"
THEIRS = "#4a6340"


def _xy(feeling: str, intensity: int) -> tuple[float, float]:
    x, y = wheel.point(feeling, intensity)
    return round(CENTRE + RADIUS * x, 1), round(CENTRE - RADIUS * y, 1)


def feelings_picture(round_: RoundView, *, key: str) -> SafeString | None:
    """The picture of a revealed round, or ``None`` while it is sealed."""
    mine, theirs = round_.mine, round_.theirs
    if mine is None or theirs is None:
        return None
    partner = round_.partner_name
    me_x, me_y = _xy(mine.feeling, mine.intensity)
    them_x, them_y = _xy(theirs.feeling, theirs.intensity)
    my_guess_x, my_guess_y = _xy(mine.guess_feeling, mine.guess_intensity)
    their_guess_x, their_guess_y = _xy(theirs.guess_feeling, theirs.guess_intensity)
    desc = gettext(
        "You felt %(felt)s; %(partner)s felt %(they_felt)s. "
        "Your guess, %(guess)s, was %(closeness)s. "
        "%(partner)s's guess, %(their_guess)s, was %(their_closeness)s."
    ) % {
        "felt": mine.feeling_words,
        "partner": partner,
        "they_felt": theirs.feeling_words,
        "guess": mine.guess_words,
        "closeness": mine.closeness,
        "their_guess": theirs.guess_words,
        "their_closeness": theirs.closeness,
    }
    return format_html(
        '<svg class="feelings" viewBox="0 0 {s} {s}" role="img" '
        'aria-labelledby="{k}-title {k}-desc" focusable="false">'
        '<title id="{k}-title">{title}</title><desc id="{k}-desc">{desc}</desc>'
        '<circle cx="{c}" cy="{c}" r="{r}" fill="#fbf7f2" stroke="#c9b8aa"/>'
        '<line x1="{c}" y1="{top}" x2="{c}" y2="{bottom}" stroke="#e4d8cc"/>'
        '<line x1="{left}" y1="{c}" x2="{right}" y2="{c}" stroke="#e4d8cc"/>'
        '<text x="{c}" y="12" text-anchor="middle" font-size="11" fill="#5f5049">{lively}</text>'
        '<text x="{c}" y="{low}" text-anchor="middle" font-size="11" fill="#5f5049">{quiet}</text>'
        '<text x="{right}" y="{c2}" text-anchor="end" font-size="11" fill="#5f5049">'
        "{pleasant}</text>"
        '<text x="{left}" y="{c2}" text-anchor="start" font-size="11" fill="#5f5049">'
        "{unpleasant}</text>"
        '<line x1="{mgx}" y1="{mgy}" x2="{tx}" y2="{ty}" stroke="{mine}" stroke-dasharray="3 3"/>'
        '<line x1="{tgx}" y1="{tgy}" x2="{mx}" y2="{my}" stroke="{theirs}" '
        'stroke-dasharray="3 3"/>'
        '<circle cx="{mx}" cy="{my}" r="7" fill="{mine}"/>'
        '<rect x="{tx0}" y="{ty0}" width="13" height="13" fill="{theirs}"/>'
        '<circle cx="{mgx}" cy="{mgy}" r="11" fill="none" stroke="{mine}" stroke-width="2"/>'
        '<circle cx="{tgx}" cy="{tgy}" r="11" fill="none" stroke="{theirs}" stroke-width="2"/>'
        "</svg>",
        s=SIZE,
        k=key,
        title=gettext("Where you both were"),
        desc=desc,
        lively=gettext("lively"),
        quiet=gettext("quiet"),
        pleasant=gettext("pleasant"),
        unpleasant=gettext("unpleasant"),
        c=CENTRE,
        c2=CENTRE - 6,
        r=RADIUS,
        top=CENTRE - RADIUS,
        bottom=CENTRE + RADIUS,
        left=CENTRE - RADIUS - 28,
        right=CENTRE + RADIUS + 28,
        low=SIZE - 4,
        mine=MINE,
        theirs=THEIRS,
        mx=me_x,
        my=me_y,
        tx=them_x,
        ty=them_y,
        tx0=them_x - 6.5,
        ty0=them_y - 6.5,
        mgx=my_guess_x,
        mgy=my_guess_y,
        tgx=their_guess_x,
        tgy=their_guess_y,
    )
