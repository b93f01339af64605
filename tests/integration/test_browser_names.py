"""A browser's name in words on the privacy page and in the security log, never the raw
user-agent string (``mutual.accounts.browsers``)."""

from __future__ import annotations

import pytest

from mutual.accounts.browsers import browser_name

CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Safari/605.1.15"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
OPERA_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0"
)
SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"
)
CHROME_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (CHROME_LINUX, "Chrome on Linux"),
        (EDGE_WINDOWS, "Edge on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (SAFARI_MAC, "Safari on macOS"),
        (CHROME_ANDROID, "Chrome on Android"),
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (OPERA_MAC, "Opera on macOS"),
        (SAMSUNG, "Samsung Internet on Android"),
        (CHROME_IPAD, "Chrome on iPad"),
        ("curl/8.5.0", "curl"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0 Safari/537.36",
            "A program on Linux",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64) SomethingNew/1.0", "A browser on Linux"),
        ("Phone", "A browser"),
        ("", "An unknown browser"),
        (None, "An unknown browser"),
    ],
)
def test_a_browser_is_named_in_words(agent: str | None, name: str) -> None:
    assert browser_name(agent) == name
