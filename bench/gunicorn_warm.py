"""A gunicorn config for ``--preload``: import every view before forking the workers.

Django imports the URL configuration (and with it every view and the API's schemas) on
the first request. With the app preloaded, doing that once in the master means a worker
that is killed and forked again answers at once, and workers share those pages of memory.
"""

from __future__ import annotations

from typing import Any

preload_app = True


def when_ready(server: Any) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every view)
