"""Background work, run by ``mutual worker``.

Each job is a plain function given the time (``at``), so tests state times as data, and a
django-tasks task that the worker queues in the database and runs with the current time:

* :func:`invites_expire` — an unused invite past its expiry is revoked, so its code can
  never be redeemed, even by a clock-skewed request;
* :func:`addresses_erase` — network addresses in the security log are erased once they
  are seven days old (the event itself stays, without the address);
* :func:`rate_counters_prune` — the API's rate-limit counters are deleted an hour after
  their window ended (a key seen again simply starts a new counter);
* :func:`notifications_run` — each bond's rhythm suggests its questions, revisit dates
  that came are noted, and what waits is told to each person at their hours
  (``mutual.notifications``, docs/notifications.md).

:data:`PERIODIC` lists the jobs and how often the worker queues them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from mutual.accounts.models import SecurityEvent
from mutual.api.models import RateCounter
from mutual.bonds.models import Invite
from mutual.notifications import delivery, revisits, rhythm

#: How long a network address is kept in the security log.
ADDRESS_RETENTION = timedelta(days=7)

#: How long a rate-limit counter is kept after its window ended.
RATE_COUNTER_RETENTION = timedelta(hours=1)


def _require_time(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")


def invites_expire(*, at: datetime) -> int:
    """Revoke every unused, unrevoked invite whose expiry is at or before ``at``.

    Returns how many were revoked. Used invites keep their history untouched."""
    _require_time(at)
    return Invite.objects.filter(
        expires_at__lte=at, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=at)


def addresses_erase(*, at: datetime) -> int:
    """Erase the network address of every security event older than seven days.

    Returns how many addresses were erased."""
    _require_time(at)
    return SecurityEvent.objects.filter(
        at__lte=at - ADDRESS_RETENTION, ip_address__isnull=False
    ).update(ip_address=None)


def rate_counters_prune(*, at: datetime) -> int:
    """Delete every rate-limit counter whose window ended an hour or more before ``at``.

    Returns how many were deleted. Counters of a current window are never touched."""
    _require_time(at)
    deleted, _ = RateCounter.objects.filter(expires_at__lte=at - RATE_COUNTER_RETENTION).delete()
    return deleted


def notifications_run(*, at: datetime) -> int:
    """Suggest the rhythms' questions, note the revisits due, then send what is due.

    Returns how many deliveries went out."""
    _require_time(at)
    rhythm.tick(at=at)
    revisits.note_due(at=at)
    return delivery.deliver(at=at)


@task()
def notifications_run_task() -> int:
    return notifications_run(at=timezone.now())


@task()
def invites_expire_task() -> int:
    return invites_expire(at=timezone.now())


@task()
def addresses_erase_task() -> int:
    return addresses_erase(at=timezone.now())


@task()
def rate_counters_prune_task() -> int:
    return rate_counters_prune(at=timezone.now())


@dataclass(frozen=True)
class Periodic:
    task: Task[[], int]
    every: timedelta


#: What the worker queues, and how often.
PERIODIC: tuple[Periodic, ...] = (
    Periodic(invites_expire_task, timedelta(minutes=5)),
    Periodic(addresses_erase_task, timedelta(hours=1)),
    Periodic(rate_counters_prune_task, timedelta(hours=1)),
    Periodic(notifications_run_task, timedelta(minutes=1)),
)

#: How long the worker keeps the results of finished jobs.
RESULT_RETENTION = timedelta(days=2)


def periodic_enqueue(*, at: datetime) -> list[str]:
    """Queue each periodic job not queued within its period before ``at``.

    Returns the paths of the jobs queued. Several workers may race here harmlessly: every
    job is idempotent."""
    _require_time(at)
    queued = []
    for job in PERIODIC:
        path = job.task.module_path
        recent = DBTaskResult.objects.filter(task_path=path, enqueued_at__gt=at - job.every)
        if not recent.exists():
            job.task.enqueue()
            queued.append(path)
    return queued


def results_prune(*, at: datetime) -> int:
    """Delete the stored results of jobs that finished before the retention period."""
    _require_time(at)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=at - RESULT_RETENTION).delete()
    return deleted
