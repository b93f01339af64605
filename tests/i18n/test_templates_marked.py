"""Every text a person reads in a template is marked for translation: a test fails when a
template holds visible words outside ``{% translate %}`` / ``{% blocktranslate %}``.

Templates not marked yet are listed in :data:`NOT_YET_MARKED`; the list may only shrink
(a listed template that is clean fails the test, so it leaves the list when marked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .unmarked import unmarked

SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"
TEMPLATES = sorted(p for p in SRC.rglob("templates/**/*.html"))
#: Mails are plain text and their subjects one line: both are templates people read.
MAILS = sorted(p for p in SRC.rglob("templates/**/*.txt"))


def name(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


#: Templates whose text is still to be marked (relative to src/mutual).
NOT_YET_MARKED: set[str] = {
    "bonds/templates/bonds/_answer.html",
    "bonds/templates/bonds/_history_item.html",
    "bonds/templates/bonds/_prompt_list.html",
    "bonds/templates/bonds/_take_back.html",
    "bonds/templates/bonds/bond_list.html",
    "bonds/templates/bonds/exchange.html",
    "bonds/templates/bonds/history.html",
    "bonds/templates/bonds/invite.html",
    "bonds/templates/bonds/invite_created.html",
    "bonds/templates/bonds/join.html",
    "bonds/templates/bonds/join_signed_out.html",
    "bonds/templates/bonds/prompt_new.html",
    "bonds/templates/bonds/prompts.html",
    "bonds/templates/bonds/rate.html",
    "checkins/templates/checkins/_round.html",
    "checkins/templates/checkins/_waiting.html",
    "checkins/templates/checkins/page.html",
    "differences/templates/differences/_due.html",
    "differences/templates/differences/detail.html",
    "differences/templates/differences/list.html",
    "differences/templates/differences/round.html",
    "insights/templates/insights/page.html",
    "learn/templates/learn/citation.html",
    "learn/templates/learn/concept.html",
    "learn/templates/learn/index.html",
    "learn/templates/learn/model.html",
    "learn/templates/learn/references.html",
    "safety/templates/safety/_going_deeper.html",
    "safety/templates/safety/_note.html",
    "safety/templates/safety/report.html",
    "safety/templates/safety/who_sees_what.html",
    "templates/account/export.html",
    "templates/home.html",
}


def test_the_checker_finds_unmarked_words_and_passes_marked_ones() -> None:
    source = """{% load i18n %}{# a comment #}<h1>Hello there</h1>
    <p>{% translate "Marked" %} {{ name }}
    {% blocktranslate %}Also {{ x }} marked{% endblocktranslate %}</p>
    <a aria-label="Open it" title="{% translate 'Fine' %}">{{ link }}</a>
    <script>var words = "not visible";</script>&nbsp;"""
    assert unmarked(source) == ["Open", "it", "Hello", "there"]


@pytest.mark.parametrize("path", [*TEMPLATES, *MAILS], ids=name)
def test_every_visible_word_is_marked(path: Path) -> None:
    words = unmarked(path.read_text())
    if name(path) in NOT_YET_MARKED:
        assert words, f"{name(path)} is marked now: take it off NOT_YET_MARKED"
    else:
        assert words == [], f"{name(path)}: unmarked text {' '.join(words[:12])}"
