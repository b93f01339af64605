"""A browser's name in words people know ("Chrome on Linux"), from its user-agent string.

Small on purpose: the families most people use, in the order that tells them apart (Edge
and Opera also say "Chrome"; Chrome also says "Safari"), and "A browser" for the rest. The
raw string is never shown: it is long, it scrolls sideways on a phone, and it reads like
a machine's."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

#: (pattern, name) — the first that matches names the browser.
BROWSERS: tuple[tuple[str, str], ...] = (
    (r"python-requests|python-httpx|HeadlessChrome", "A program"),
    (r"\bEdg(e|A|iOS)?/", "Edge"),
    (r"\b(OPR|Opera)/", "Opera"),
    (r"\bSamsungBrowser/", "Samsung Internet"),
    (r"\b(Firefox|FxiOS)/", "Firefox"),
    (r"\b(Chrome|Chromium|CriOS)/", "Chrome"),
    (r"\bVersion/[\d.]+.*\bSafari/", "Safari"),
    (r"^curl/", "curl"),
)

#: (pattern, name) — the first that matches names the system.
SYSTEMS: tuple[tuple[str, str], ...] = (
    (r"\b(iPhone|iPod)\b", "iPhone"),
    (r"\biPad\b", "iPad"),
    (r"\bAndroid\b", "Android"),
    (r"\bCrOS\b", "ChromeOS"),
    (r"\bWindows\b", "Windows"),
    (r"\b(Macintosh|Mac OS X)\b", "macOS"),
    (r"\bLinux\b", "Linux"),
)


def _first(table: tuple[tuple[str, str], ...], agent: str) -> str | None:
    return next((name for pattern, name in table if re.search(pattern, agent)), None)


def browser_name(agent: str | None) -> str:
    """``"Chrome on Linux"``, ``"Safari on iPhone"``, ``"Firefox"``; ``"A browser"`` when
    nothing is known, ``"An unknown browser"`` when no string was sent at all."""
    agent = (agent or "").strip()
    if not agent:
        return _("An unknown browser")
    browser = _first(BROWSERS, agent)
    system = _first(SYSTEMS, agent)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("A browser")
