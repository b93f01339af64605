"""``/healthz`` and ``/readyz``: what a supervisor, a monitor or a deploy script asks.

``/healthz`` says the process answers (no database, no session, nothing else read).
``/readyz`` says it can serve: the database answers, every migration this release ships
is applied, and the worker has finished a job within :data:`WORKER_STALE` (it queues the
invite expiry every five minutes, so a live worker finishes one at least that often).

Both are answered by the first middleware, before the host check, the HTTPS redirect, the
session and every other layer: a check from the machine itself (``curl
http://127.0.0.1:8001/readyz``) needs neither the public host name nor TLS. Both are
unauthenticated and say nothing but ``ok`` / ``ready`` or, with 503, the name of the check
that failed (``database``, ``migrations`` or ``worker``): no version, count or time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cache

from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

#: How long since the worker last finished a job before ``/readyz`` calls it stopped.
WORKER_STALE = timedelta(minutes=15)

PATHS = ("/healthz", "/readyz")


@cache
def _release_leaves() -> tuple[tuple[str, str], ...]:
    """The last migration of each app in this release (read from disk once a process)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple(sorted(loader.graph.leaf_nodes()))


def failed_check() -> str | None:
    """The name of the first readiness check that fails, or None when all pass."""
    from django_tasks_db.models import DBTaskResult

    leaves = _release_leaves()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        recorder = MigrationRecorder(connections["default"])
        if not recorder.has_table():
            return "migrations"
        wanted = Q()
        for app, name in leaves:
            wanted |= Q(app=app, name=name)
        if recorder.migration_qs.filter(wanted).count() != len(leaves):
            return "migrations"
        since = timezone.now() - WORKER_STALE
        if not DBTaskResult.objects.filter(finished_at__gte=since).exists():
            return "worker"
    except DatabaseError:
        return "database"
    return None


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(f"{text}\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthMiddleware:
    """Answers ``GET``/``HEAD`` ``/healthz`` and ``/readyz``; passes everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in PATHS:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            response = _plain(405, "method not allowed")
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == "/healthz":
            response = _plain(200, "ok")
        elif (failed := failed_check()) is None:
            response = _plain(200, "ready")
        else:
            response = _plain(503, f"not ready: {failed}")
            response["Retry-After"] = "5"
        if request.method == "HEAD":
            response.content = b""
        return response
