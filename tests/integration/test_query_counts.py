"""Reads cost the same at any size of history: the query count of every main page and API
read is equal with 10 and with 200 exchanges behind it (DESIGN §7: no fold over history at
read time). The history is seeded through the ledger, so it is what services produce."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import person
from history import seed_history
from mutual.accounts.models import Person
from mutual.api.tokens import token_issue
from mutual.bonds import ledger, services
from mutual.bonds.models import Bond, Exchange

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SMALL, LARGE = 10, 200


def bond_with_history(alice: Person, bob: Person, exchanges: int) -> Bond:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    bond = services.invite_accept(code=code, person=bob, at=T0)
    return seed_history(bond=bond, alice=alice, bob=bob, exchanges=exchanges, start=T0)


@pytest.fixture
def world() -> dict[str, object]:
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    alice, bob = person("Alice"), person("Bob")
    small = bond_with_history(alice, bob, SMALL)
    large = bond_with_history(alice, bob, LARGE)
    _token, raw = token_issue(person=alice, label="query counts", at=T0)
    return {"alice": alice, "small": small, "large": large, "token": raw}


def latest(bond: Bond) -> Exchange:
    return Exchange.objects.filter(bond=bond).order_by("-opened_at").first()  # type: ignore[return-value]


def queries(fetch: Callable[[], int]) -> int:
    """Queries of one read (every page is rendered afresh)."""
    with CaptureQueriesContext(connection) as captured:
        status = fetch()
    assert status == 200
    return len(captured.captured_queries)


def page(client: Client, url: str) -> Callable[[], int]:
    return lambda: client.get(url).status_code


def api(client: Client, url: str, token: str) -> Callable[[], int]:
    return lambda: client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code


#: The list is paginated: both pages are full (``limit`` below the smaller history), so
#: any difference would come from the history behind them.
READS: dict[str, Callable[[Bond], str]] = {
    "bond home page": lambda bond: f"/bonds/{bond.pk}/",
    "numbers page": lambda bond: f"/bonds/{bond.pk}/numbers/",
    "exchange page": lambda bond: f"/exchanges/{latest(bond).pk}/",
    "API bond": lambda bond: f"/api/v1/bonds/{bond.pk}",
    "API exchange": lambda bond: f"/api/v1/exchanges/{latest(bond).pk}",
    "API exchange list": lambda bond: f"/api/v1/bonds/{bond.pk}/exchanges?limit=5",
}


def test_the_seeded_history_is_what_the_ledger_would_hold(world: dict[str, object]) -> None:
    large = world["large"]
    assert isinstance(large, Bond)
    assert Exchange.objects.filter(bond=large).count() == LARGE
    assert large.snapshot_seq == 4 * LARGE
    assert ledger.replay(large).matches


@pytest.mark.parametrize("read", list(READS))
def test_a_read_costs_the_same_queries_with_10_and_200_exchanges(
    world: dict[str, object], read: str
) -> None:
    client = Client()
    client.force_login(world["alice"])  # type: ignore[arg-type]
    url_of = READS[read]
    fetch = (
        (lambda bond: api(client, url_of(bond), str(world["token"])))
        if read.startswith("API")
        else (lambda bond: page(client, url_of(bond)))
    )
    # Warm once each, so one-off lookups (session, token, caches) do not count twice.
    queries(fetch(world["small"]))
    queries(fetch(world["large"]))
    small, large = queries(fetch(world["small"])), queries(fetch(world["large"]))
    assert small == large, f"{read}: {small} queries with {SMALL} exchanges, {large} with {LARGE}"


def test_a_later_exchange_does_not_change_the_count(world: dict[str, object]) -> None:
    """The same bond, one hour and one exchange later, reads with the same queries."""
    client = Client()
    client.force_login(world["alice"])  # type: ignore[arg-type]
    large = world["large"]
    assert isinstance(large, Bond)
    url = f"/bonds/{large.pk}/"
    queries(page(client, url))
    before = queries(page(client, url))
    seed_history(
        bond=large,
        alice=world["alice"],  # type: ignore[arg-type]
        bob=large.person_b,  # type: ignore[arg-type]
        exchanges=1,
        start=T0 + timedelta(hours=LARGE + 1),
    )
    assert queries(page(client, url)) == before


def test_a_signed_in_page_reads_the_session_and_the_person_in_one_query_and_no_device(
    world: dict[str, object],
) -> None:
    """Being signed in costs one query: the session (by the hash of its key) with its
    person. A revoked session no longer exists, so no device session is read (that read
    made three, and this page four queries; the person read apart made two)."""
    client = Client()
    client.force_login(world["alice"])  # type: ignore[arg-type]
    queries(page(client, "/accounts/security/log/"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/accounts/security/log/").status_code == 200
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured.captured_queries]
    assert tables == ['"accounts_hashedsession"', '"accounts_securityevent"']
    assert 'JOIN "accounts_person"' in captured.captured_queries[0]["sql"]


#: What each read costs in queries, rendered afresh and with nothing waiting: the session
#: with its person (pages: one query) or the token and its rate-limit counter (API: two),
#: then the read's own.
EXPECTED = {
    # bond, what waits, the ten newest exchanges and their answers, differences due, the
    # latest check-in, and whether the partner's key changed (their keys with the viewer's
    # pin: one statement); the numbers are one tap away, on their own page
    "bond home page": 1 + 7,
    # bond, what waits, the shared measures as of yesterday (the last readings before
    # today and before two weeks ago, and the mutual cells: one statement)
    "numbers page": 1 + 3,
    # the exchange with its bond (membership), both persons and the prompt; the answers
    # with replies and ratings
    "exchange page": 1 + 2,
    # bond, what waits, the shared measures as of yesterday (one statement)
    "API bond": 2 + 3,
    "API exchange": 2 + 2,
}


@pytest.mark.parametrize("read", list(EXPECTED))
def test_each_read_runs_the_queries_it_needs_and_no_more(
    world: dict[str, object], read: str
) -> None:
    client = Client()
    if read.startswith("API"):
        fetch = api(client, READS[read](world["large"]), str(world["token"]))  # type: ignore[arg-type]
    else:
        client.force_login(world["alice"])  # type: ignore[arg-type]
        fetch = page(client, READS[read](world["large"]))  # type: ignore[arg-type]
    queries(fetch)
    with CaptureQueriesContext(connection) as captured:
        assert fetch() == 200
    listed = "\n".join(q["sql"][:120] for q in captured.captured_queries)
    assert len(captured.captured_queries) == EXPECTED[read], listed
