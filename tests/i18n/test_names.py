"""The depths and themes people read are Mutual's words, marked for translation: the
engine names them in English for itself, and every page, form and API answer takes the
words from ``mutual.web.names``."""

from __future__ import annotations

import re
from pathlib import Path

from mutual import engine
from mutual.web import names

SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"
CATALOGUE = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: Where the engine's own English names may be read: the engine, the simulator and the
#: operator's command-line output.
ENGINE_ONLY = ("engine/", "simulate/", "cli/", "demo/")


def test_every_depth_and_theme_has_its_words_in_order() -> None:
    assert [str(word) for word in names.DEPTH_WORDS] == list(engine.DEPTHS)
    assert tuple(names.THEME_WORDS) == engine.THEMES
    assert [names.theme_name(t) for t in engine.THEMES] == [t.capitalize() for t in engine.THEMES]


def test_the_catalogue_holds_every_depth_and_theme() -> None:
    msgids = set(re.findall(r'^msgid "(.+)"$', CATALOGUE.read_text(encoding="utf-8"), re.M))
    wanted = {str(w) for w in names.DEPTH_WORDS} | {str(w) for w in names.THEME_WORDS.values()}
    assert wanted <= msgids, wanted - msgids


def test_no_page_reads_the_engines_english_names() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        where = path.relative_to(SRC).as_posix()
        if where.startswith(ENGINE_ONLY) or "/migrations/" in where:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bDEPTHS\[|\b(theme|t)\.capitalize\(\)", line):
                found.append(f"{where}:{number}: {line.strip()}")
    assert found == []
