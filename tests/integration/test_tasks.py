"""Background jobs: invites expire, week-old addresses are erased, stale rate-limit counters
are deleted, the worker runs them all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from factories import T0
from mutual import tasks
from mutual.accounts.models import Person, SecurityEvent
from mutual.api import ratelimit
from mutual.api.models import RateCounter
from mutual.bonds import services
from mutual.bonds.errors import Conflict
from mutual.bonds.models import Invite
from mutual.cli.main import main

pytestmark = pytest.mark.django_db(transaction=True)


def invite_of(alice: Person, at: datetime) -> tuple[Invite, str]:
    bond = services.bond_create(creator=alice, kind="friends", at=at)
    return services.invite_create(bond=bond, by=alice, at=at)


def test_an_unused_invite_past_its_expiry_is_revoked(alice: Person) -> None:
    invite, _code = invite_of(alice, T0)
    after = invite.expires_at + timedelta(seconds=1)
    assert tasks.invites_expire(at=after) == 1
    invite.refresh_from_db()
    assert invite.revoked_at == after


def test_an_invite_still_within_its_lifetime_is_kept(alice: Person) -> None:
    invite, _code = invite_of(alice, T0)
    assert tasks.invites_expire(at=invite.expires_at - timedelta(seconds=1)) == 0
    invite.refresh_from_db()
    assert invite.revoked_at is None


def test_a_used_invite_keeps_its_history(alice: Person, bob: Person) -> None:
    invite, code = invite_of(alice, T0)
    services.invite_accept(code=code, person=bob, at=T0 + timedelta(hours=1))
    assert tasks.invites_expire(at=T0 + timedelta(days=30)) == 0
    invite.refresh_from_db()
    assert invite.revoked_at is None
    assert invite.used_at == T0 + timedelta(hours=1)


def test_an_expired_invite_cannot_be_redeemed_even_with_a_lagging_clock(
    alice: Person, bob: Person
) -> None:
    invite, code = invite_of(alice, T0)
    tasks.invites_expire(at=invite.expires_at)
    with pytest.raises(Conflict):
        services.invite_accept(code=code, person=bob, at=T0 + timedelta(days=1))


def test_expiring_twice_changes_nothing_the_second_time(alice: Person) -> None:
    invite, _code = invite_of(alice, T0)
    first = invite.expires_at
    assert tasks.invites_expire(at=first) == 1
    assert tasks.invites_expire(at=first + timedelta(days=1)) == 0
    invite.refresh_from_db()
    assert invite.revoked_at == first


def log(person: Person, at: datetime, address: str | None = "203.0.113.7") -> SecurityEvent:
    return SecurityEvent.objects.create(person=person, kind="signed_in", at=at, ip_address=address)


def test_an_address_older_than_seven_days_is_erased_and_the_event_kept(alice: Person) -> None:
    old = log(alice, T0)
    assert tasks.addresses_erase(at=T0 + timedelta(days=7, seconds=1)) == 1
    old.refresh_from_db()
    assert old.ip_address is None
    assert old.kind == "signed_in"


def test_an_address_younger_than_seven_days_is_kept(alice: Person) -> None:
    young = log(alice, T0)
    assert tasks.addresses_erase(at=T0 + timedelta(days=6, hours=23)) == 0
    young.refresh_from_db()
    assert young.ip_address == "203.0.113.7"


def test_only_old_addresses_of_every_person_are_erased(alice: Person, bob: Person) -> None:
    now = T0 + timedelta(days=10)
    old_alice, old_bob = log(alice, T0), log(bob, T0 + timedelta(days=2), "2001:db8::1")
    fresh_bob = log(bob, now - timedelta(days=1))
    assert tasks.addresses_erase(at=now) == 2
    assert SecurityEvent.objects.filter(ip_address__isnull=True).count() == 2
    for event in (old_alice, old_bob, fresh_bob):
        event.refresh_from_db()
    assert (old_alice.ip_address, old_bob.ip_address) == (None, None)
    assert fresh_bob.ip_address == "203.0.113.7"


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        tasks.addresses_erase(at=datetime(2026, 3, 2, 9, 0))


def test_rate_counters_an_hour_past_their_window_are_deleted_and_live_ones_kept() -> None:
    ratelimit.hit("token:1", rate=(600, 60), at=T0)  # window ends T0 + 1 min
    ratelimit.hit("address:192.0.2.1", rate=(20, 600), at=T0)  # ends T0 + 10 min
    ratelimit.hit("token:2", rate=(600, 60), at=T0 + timedelta(minutes=50))  # ends + 51 min
    now = T0 + timedelta(hours=1, minutes=1)
    assert tasks.rate_counters_prune(at=now) == 1
    assert RateCounter.objects.count() == 2
    assert tasks.rate_counters_prune(at=now) == 0
    assert tasks.rate_counters_prune(at=now + timedelta(minutes=50)) == 2
    assert not RateCounter.objects.exists()


def test_a_pruned_counter_starts_again_from_one() -> None:
    for _ in range(3):
        ratelimit.hit("token:1", rate=(3, 60), at=T0)
    later = T0 + timedelta(hours=2)
    assert tasks.rate_counters_prune(at=later) == 1
    ratelimit.hit("token:1", rate=(3, 60), at=later)
    assert RateCounter.objects.get().count == 1


def test_pruning_counters_refuses_a_time_without_a_zone() -> None:
    ratelimit.hit("token:1", rate=(3, 60), at=T0)
    with pytest.raises(ValueError, match="timezone-aware"):
        tasks.rate_counters_prune(at=datetime(2026, 3, 2, 12, 0))
    assert RateCounter.objects.count() == 1


def test_a_job_is_queued_once_per_period() -> None:
    now = datetime.now(UTC)
    first = tasks.periodic_enqueue(at=now)
    assert set(first) == {job.task.module_path for job in tasks.PERIODIC}
    assert tasks.periodic_enqueue(at=now) == []
    assert DBTaskResult.objects.count() == len(tasks.PERIODIC)


def test_the_worker_runs_every_job_with_the_current_time(alice: Person) -> None:
    invite, _code = invite_of(alice, datetime.now(UTC) - timedelta(days=8))
    old = log(alice, datetime.now(UTC) - timedelta(days=8))
    ratelimit.hit("token:1", rate=(600, 60), at=datetime.now(UTC) - timedelta(hours=2))
    assert main(["worker", "--once"]) == 0
    results = DBTaskResult.objects.all()
    assert {r.task_path for r in results} == {job.task.module_path for job in tasks.PERIODIC}
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert sorted(r.return_value for r in results) == [0, 1, 1, 1]  # nothing to notify
    invite.refresh_from_db()
    old.refresh_from_db()
    assert invite.revoked_at is not None
    assert old.ip_address is None
    assert not RateCounter.objects.exists()


def test_the_worker_forgets_results_after_two_days() -> None:
    now = datetime.now(UTC)
    tasks.periodic_enqueue(at=now)
    DBTaskResult.objects.update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=now - timedelta(days=3)
    )
    assert tasks.results_prune(at=now) == len(tasks.PERIODIC)
    assert not DBTaskResult.objects.exists()
