"""Security state in the cache cannot be pushed out by ordinary caching (SECURITY.md 28).

allauth keeps its sign-in throttles and the replay guard of one-time codes in Django's
cache. Production's caches are built here exactly as settings build them with
``MUTUAL_SHARED_CACHE`` on (database tables), then thousands of insights charts are
cached through the real chart code path before the security state is checked again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.test import Client, override_settings
from test_security_accounts import _code, _with_totp

from factories import PASSWORD, person
from mutual.config import settings as mutual_settings
from mutual.insights.selectors import Insights
from mutual.insights.views import charts_for

pytestmark = pytest.mark.django_db

#: Far more charts than any cache limit of the ordinary kind.
CHARTS = 3000


@pytest.fixture(params=[True, False], ids=["production", "development"])
def caches(request: pytest.FixtureRequest) -> Iterator[None]:
    """The caches of production (database tables) or development (process memory)."""
    from django.core.cache import caches as handler

    with override_settings(CACHES=mutual_settings.caches(shared=request.param)):
        if request.param:
            call_command("createcachetable", verbosity=0)
        for cache in handler.all():
            cache.clear()
        yield


def many_charts(count: int = CHARTS) -> None:
    """Cache ``count`` distinct sets of charts, as ``count`` insights pages would."""
    for n in range(count):
        charts_for(
            Insights(
                partner_name=f"Partner {n}",
                days=[],
                attunement_mine=[],
                attunement_theirs=[],
                onion=[],
                differences=[],
                themes=["joys"],
            )
        )


def test_f3_a_used_one_time_code_is_still_refused_after_thousands_of_charts(
    caches: None,
) -> None:
    alice = person("Alice")
    secret = _with_totp(alice)
    totp = TOTP(Authenticator.objects.get(user=alice, type="totp"))
    code = _code(secret)
    assert totp.validate_code(code)
    assert not totp.validate_code(code)
    many_charts()
    assert not totp.validate_code(code), "the replay guard was evicted by charts"


def test_f3_a_sign_in_throttle_still_holds_after_thousands_of_charts(caches: None) -> None:
    alice = person("Alice")
    partner = Client(HTTP_USER_AGENT="Bob-Laptop")
    for _ in range(6):
        partner.post("/accounts/login/", {"login": alice.email, "password": "guess guess guess"})
    throttled = partner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert throttled.status_code != 302
    many_charts()
    still = partner.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    assert still.status_code != 302, "the throttle was evicted by charts"


def test_f3_charts_and_security_state_live_in_separate_caches() -> None:
    """allauth reads ``default``; charts and any other ordinary caching use ``ordinary``,
    which has limits of its own. In production each is its own table."""
    for shared in (True, False):
        built = mutual_settings.caches(shared=shared)
        assert built["default"]["LOCATION"] != built["ordinary"]["LOCATION"]
        assert built["security"] == built["default"]


@pytest.mark.parametrize("shared", [True, False], ids=["production", "development"])
def test_f3_a_full_security_cache_sweeps_expired_entries_and_keeps_every_live_one(
    shared: bool,
) -> None:
    """Past its size the security cache deletes what has expired, never a live entry —
    however many live entries there are."""
    from django.core.cache import caches as handler

    built = mutual_settings.caches(shared=shared)
    built["default"]["OPTIONS"] = {"MAX_ENTRIES": 5}
    with override_settings(CACHES=built):
        if shared:
            call_command("createcachetable", verbosity=0)
        security = handler["default"]
        security.clear()
        for n in range(10):
            security.set(f"expired-{n}", "x", timeout=0)  # stored already expired
        for n in range(40):
            security.set(f"live-{n}", n, timeout=300)
        assert all(security.get(f"live-{n}") == n for n in range(40))
        ordinary = handler["ordinary"]
        for n in range(mutual_settings.ORDINARY_CACHE_ENTRIES + 10):
            ordinary.set(f"chart-{n}", n, timeout=300)
        assert all(security.get(f"live-{n}") == n for n in range(40))
        if shared:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT cache_key FROM mutual_security_cache")
                kept = {row[0] for row in cursor.fetchall()}
            assert not any("expired" in key for key in kept)
