"""Every text a person reads in a template is marked for translation: a test fails when a
template holds visible words outside ``{% translate %}`` / ``{% blocktranslate %}``.

Every template is marked: there is no list of exceptions."""

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
    assert words == [], f"{name(path)}: unmarked text {' '.join(words[:12])}"
