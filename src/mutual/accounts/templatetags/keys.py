"""``{% keys_scheme "signup" %}``: the scripts of the end-to-end scheme on a page that runs
it (docs/e2e.md), what the device needs to know, and the words shown without JavaScript."""

from __future__ import annotations

from typing import Any

from django import template

from mutual.accounts.keys_views import RUNS_SCHEME, page_data

register = template.Library()


@register.inclusion_tag("account/includes/keys_scheme.html", takes_context=True)
def keys_scheme(
    context: Any, mode: str, person: Any = None, recovery: bool = False, partner: str = ""
) -> dict[str, Any]:
    """``mode`` names what the device does on this page: ``signup``, ``signin``,
    ``reauth``, ``change``, ``reset``, ``open``, or ``safety`` (the safety code of the
    person's own key and ``partner``'s public key)."""
    data = {"mode": mode, "partner": partner, **page_data(person, recovery=recovery)}
    request = context.get("request")
    if request is not None:
        setattr(request, RUNS_SCHEME, True)  # this page may compile WebAssembly
    return {"data": data, "CSP_NONCE": context.get("CSP_NONCE"), "mode": mode}
