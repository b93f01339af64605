"""``MUTUAL_EMAIL_URL``: where account mail leaves the machine, as one URL.

``smtp://user:password@host:port`` speaks plain SMTP (a relay on the same machine or a
private network), ``smtp+tls://…`` upgrades the connection with STARTTLS (port 587 by
default), ``smtp+ssl://…`` opens it in TLS (port 465 by default). The user and password
are percent-encoded (``@`` is ``%40``). ``?timeout=SECONDS`` bounds each connection
(10 by default). django-environ parses the URL; only these three schemes are accepted, so
a typo stops the start with a message instead of sending mail nowhere.
"""

from __future__ import annotations

from typing import Any

import environ  # type: ignore[import-untyped]

SCHEMES = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_TIMEOUT = 10


def email_settings(url: str) -> dict[str, Any]:
    """The Django ``EMAIL_*`` settings that ``url`` names.

    >>> email_settings("smtp+tls://me%40example.org:s%3Acret@mail.example.org")["EMAIL_PORT"]
    587
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in SCHEMES:
        raise ValueError(
            "MUTUAL_EMAIL_URL must start with smtp://, smtp+tls:// or smtp+ssl:// "
            f"(it starts with {scheme + '://' if scheme else 'no scheme'})"
        )
    try:
        parsed = environ.Env.email_url_config(url)
    except ValueError as exc:  # a port that is not a number
        raise ValueError(f"MUTUAL_EMAIL_URL is not a valid URL: {type(exc).__name__}") from None
    if not parsed.get("EMAIL_HOST"):
        raise ValueError("MUTUAL_EMAIL_URL names no host (smtp://host:port)")
    options = parsed.get("OPTIONS", {})
    unknown = sorted(set(options) - {"TIMEOUT"})
    if unknown:
        raise ValueError(f"MUTUAL_EMAIL_URL: unknown option {unknown[0].lower()!r} (only timeout)")
    timeout = options.get("TIMEOUT", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ValueError("MUTUAL_EMAIL_URL: timeout must be a whole number of seconds")
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parsed["EMAIL_HOST"],
        "EMAIL_PORT": parsed.get("EMAIL_PORT") or SCHEMES[scheme],
        "EMAIL_HOST_USER": parsed.get("EMAIL_HOST_USER") or "",
        "EMAIL_HOST_PASSWORD": parsed.get("EMAIL_HOST_PASSWORD") or "",
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": timeout,
    }
