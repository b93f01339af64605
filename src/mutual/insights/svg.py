"""Make matplotlib's SVG safe and accessible to embed inline in a page.

The output is rebuilt from a whitelist: only drawing elements and presentation
attributes survive. ``style`` attributes (which a strict Content-Security-Policy would
block) become presentation attributes, ``<style>``, ``<script>`` and ``<metadata>`` are
dropped, every ``id`` is prefixed so several charts can share a page, and links may only
point inside the picture. The root gets ``role="img"`` with a ``<title>`` and ``<desc>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

ELEMENTS = frozenset(
    {
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "defs", "clipPath", "pattern", "use", "title", "desc",
    }
)  # fmt: skip
ATTRIBUTES = frozenset(
    {
        "id", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width",
        "height", "points", "transform", "viewBox", "clip-path", "href", "fill", "fill-opacity",
        "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
        "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit",
        "opacity", "font-size", "font-family", "font-weight", "font-style", "text-anchor",
        "dominant-baseline", "clip-rule", "version", "preserveAspectRatio", "patternUnits",
    }
)  # fmt: skip
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
_FONT = re.compile(
    r"^\s*(?:(?P<style>italic|oblique|normal)\s+)?(?:(?P<weight>bold|normal|\d{3})\s+)?"
    r"(?P<size>[\d.]+(?:px|pt)?)\s+(?P<family>.+)$"
)
_URL = re.compile(r"url\(#([\w.-]+)\)")
_SAFE_VALUE = re.compile(r"^[\w\s#%.,:;()'\"/+-]*$")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _declarations(style: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in style.split(";"):
        if ":" not in part:
            continue
        name, value = (p.strip() for p in part.split(":", 1))
        if name == "font":
            match = _FONT.match(value)
            if match:
                out["font-size"] = match["size"]
                if match["weight"]:
                    out["font-weight"] = match["weight"]
                if match["style"]:
                    out["font-style"] = match["style"]
            continue
        out[name] = value
    return out


def _clean(element: ET.Element, prefix: str) -> ET.Element | None:
    name = _local(element.tag)
    if name not in ELEMENTS:
        return None
    new = ET.Element(f"{{{SVG_NS}}}{name}")
    attrs: dict[str, str] = {}
    for key, value in element.attrib.items():
        attr = _local(key)
        if attr == "style":
            attrs.update(_declarations(value))
        else:
            attrs[attr] = value
    for attr, value in attrs.items():
        if attr not in ATTRIBUTES or not _SAFE_VALUE.match(value):
            continue
        if attr == "id":
            value = f"{prefix}-{value}"
        elif attr == "href":
            if not value.startswith("#"):
                continue
            value = f"#{prefix}-{value[1:]}"
        elif "url(" in value:
            value = _URL.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)
            if "url(" in _URL.sub("", value):
                continue
        elif attr == "font-family":
            value = FONT_FAMILY
        new.set(attr, value)
    if name in ("text", "tspan", "title", "desc") and element.text:
        new.text = element.text
    for child in element:
        cleaned = _clean(child, prefix)
        if cleaned is not None:
            new.append(cleaned)
        if child.tail and name in ("text", "tspan"):
            (cleaned if cleaned is not None else new).tail = child.tail
    return new


def accessible_svg(raw: str, *, key: str, title: str, desc: str) -> str:
    """Sanitise matplotlib's SVG ``raw`` and label it for assistive technology."""
    root = ET.fromstring(raw)  # noqa: S314 - our own matplotlib output, never user input
    cleaned = _clean(root, key)
    if cleaned is None:  # pragma: no cover - matplotlib always emits an <svg> root
        raise ValueError("not an SVG document")
    for attr in ("width", "height"):
        cleaned.attrib.pop(attr, None)
    cleaned.set("role", "img")
    cleaned.set("aria-labelledby", f"{key}-title {key}-desc")
    cleaned.set("focusable", "false")
    title_el = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{key}-title"})
    title_el.text = title
    desc_el = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{key}-desc"})
    desc_el.text = desc
    cleaned.insert(0, desc_el)
    cleaned.insert(0, title_el)
    # Another library may have registered a prefix for the SVG namespace since this module
    # was imported (the registry is global): ours is written again before each use.
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(cleaned, encoding="unicode")
