"""A tiny, safe renderer for the concept pages.

It knows paragraphs, ``##``/``###`` headings, ``-`` lists and ``[text](target)`` links,
nothing else. All text is escaped; a link target must be ``https://``, ``http://``, a
path on this site (``/…``), an anchor (``#…``) or ``concept:<slug>``. Anything else is
shown as plain text, so no HTML from a content file can reach a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\((?P<target>[^()\s]+)\)")
HEADING = re.compile(r"^(?P<marks>#{2,3}) (?P<text>.+)$")
ITEM = re.compile(r"^- (?P<text>.*)$")

Resolver = Callable[[str], str | None]


def _default_resolver(target: str) -> str | None:
    if target.startswith("concept:"):
        from .concepts import CONCEPTS  # local: concepts imports Django URL resolving

        concept = CONCEPTS.get(target.removeprefix("concept:"))
        return concept.url() if concept else None
    if target.startswith(("https://", "http://", "#")):
        return target
    if target.startswith("/") and not target.startswith("//"):
        return target
    return None


def inline(text: str, resolve: Resolver = _default_resolver) -> str:
    """Escape ``text`` and turn its allowed links into anchors."""
    out: list[str] = []
    position = 0
    for match in LINK.finditer(text):
        out.append(escape(text[position : match.start()]))
        href = resolve(match["target"])
        if href is None:
            out.append(escape(match["text"]))
        else:
            out.append(format_html('<a href="{}">{}</a>', href, match["text"]))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def _blocks(source: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in source.replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _list(lines: list[str], resolve: Resolver) -> str:
    items: list[str] = []
    for line in lines:
        match = ITEM.match(line)
        if match:
            items.append(match["text"].strip())
        elif items:  # an indented continuation of the previous item
            items[-1] = f"{items[-1]} {line.strip()}"
    return "<ul>" + "".join(f"<li>{inline(item, resolve)}</li>" for item in items) + "</ul>"


def render(source: str, resolve: Resolver = _default_resolver) -> SafeString:
    """Render a Markdown-ish text to safe HTML."""
    parts: list[str] = []
    for block in _blocks(source):
        heading = HEADING.match(block[0]) if len(block) == 1 else None
        if heading:
            level = len(heading["marks"])
            text = heading["text"].strip()
            anchor = escape(slugify(text))
            parts.append(f'<h{level} id="{anchor}">{inline(text, resolve)}</h{level}>')
        elif ITEM.match(block[0]):
            parts.append(_list(block, resolve))
        else:
            text = " ".join(line.strip() for line in block)
            parts.append(f"<p>{inline(text, resolve)}</p>")
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece above is escaped


def headings(source: str) -> list[tuple[str, str]]:
    """The ``##`` headings of a text as (id, text), for a page's table of contents."""
    found: list[tuple[str, str]] = []
    for block in _blocks(source):
        match = HEADING.match(block[0]) if len(block) == 1 else None
        if match and len(match["marks"]) == 2:
            found.append((slugify(match["text"]), match["text"].strip()))
    return found
