"""Finds the text of a Django template that a person would read but that is not marked for
translation: what is left once comments, ``{% translate %}`` and ``{% blocktranslate %}``
(with what they hold), every other tag, every variable, scripts, styles and HTML markup
are taken away — and the values of attributes people read (``aria-label``, ``title``,
``alt``, ``placeholder``, and ``data-label``, which narrow screens show) unless they are
a variable or a translate tag."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_]{2,}")
#: Names that read the same in every language: Mutual's own, and the identifiers a
#: citation gives (a DOI, an ISBN) under their international names.
NAMES = {"Mutual", "DOI", "ISBN"}
COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.DOTALL
)
TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
RAW = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)
READ_ATTRIBUTE = re.compile(
    r'\b(aria-label|title|alt|placeholder|data-label)\s*=\s*"([^"]*)"', re.IGNORECASE
)
MARKUP = re.compile(r"<[^>]*>", re.DOTALL)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")


def unmarked(source: str) -> list[str]:
    """The visible words of ``source`` outside translation tags, in order."""
    text = COMMENT.sub(" ", source)
    text = BLOCK.sub(" ", text)
    found: list[str] = []
    for _name, value in READ_ATTRIBUTE.findall(text):
        found += WORD.findall(TAG.sub(" ", value))
    text = RAW.sub(" ", text)
    text = TAG.sub(" ", text)
    text = MARKUP.sub(" ", text)
    text = ENTITY.sub(" ", text)
    found += WORD.findall(text)
    return [word for word in found if word not in NAMES]
