"""Test-run setup shared by every suite.

* ``MUTUAL_TEST_DB=postgres`` runs the suite against a throw-away PostgreSQL cluster
  (started by the ``pgcluster`` plugin, see ``tests/pgcluster.py``); otherwise SQLite.
* Tests marked ``postgres`` need PostgreSQL itself (several processes on one database,
  ``pg_dump``…): the SQLite run leaves them out at collection, the PostgreSQL run
  (``MUTUAL_TEST_DB=postgres``) runs them.
* Under ``CI=true`` nothing may be skipped for a missing browser or database: such a
  skip becomes a failure.
* Passwords are hashed with a cheap hasher (MD5) unless a test is about hashing: those
  ask for ``production_hashers`` and get the configured Argon2id hashers back. The
  production settings are not touched; Argon2id still verifies hashes made elsewhere.
* The personas (Alice, Bob, Charlie) and the builders of bonds live in
  ``tests/factories.py``; ``alice``, ``bob`` and ``charlie`` are fixtures here.
* A sweep of many read-only cases builds its world once (``factories.built_once``, as
  Django's ``TestCase.setUpTestData``): each case runs in its own savepoint inside it, so
  what a case writes is undone before the next, and the world is rolled back at the end.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mutual.accounts.models import Person
    from mutual.bonds.models import Bond

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))


def pytest_report_header(config: pytest.Config) -> str:
    return f"mutual database: {'postgresql' if on_postgres() else 'sqlite'}"


#: Where the worked examples that cover every line and branch of ``mutual.engine`` live.
ENGINE_TESTS = Path(__file__).resolve().parent / "engine"


def _measured_for_coverage(item: pytest.Item) -> bool:
    """Whether ``make test-engine`` measures the engine's coverage while ``item`` runs: the
    worked examples of ``tests/engine`` are; the Hypothesis properties (their examples
    differ from run to run) and the simulator (it runs the engine millions of times) run
    with coverage paused, which makes them two to three times faster."""
    in_engine = ENGINE_TESTS in Path(str(item.path)).parents
    is_property = getattr(getattr(item, "obj", None), "is_hypothesis_test", False)
    return in_engine and not is_property


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not _measured_for_coverage(item):
            item.add_marker(pytest.mark.no_cover)
    if on_postgres():
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    left_out = [item for item in items if item.get_closest_marker("postgres") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


#: Cases schemathesis sent (``tests/api/world.py``), as the workers of ``pytest -n`` counted.
_WORKERS_CASES: Counter[tuple[str, str]] = Counter()


def _cases_here() -> Counter[tuple[str, str]]:
    world = sys.modules.get("api.world")
    return Counter(world.CASES) if world is not None else Counter()


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a worker hands its count to the main process
        workeroutput["schemathesis_cases"] = [[*key, n] for key, n in _cases_here().items()]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    for operation, persona, n in node.workeroutput.get("schemathesis_cases", []):
        _WORKERS_CASES[(operation, persona)] += n


def pytest_terminal_summary(terminalreporter: Any) -> None:
    cases = _cases_here() + _WORKERS_CASES
    if cases:
        operations = {operation for operation, _persona in cases}
        terminalreporter.write_line(
            f"schemathesis: {len(operations)} operations, {sum(cases.values())} cases "
            "as Alice and as Bob"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    expected_failure = hasattr(report, "wasxfail")
    if IN_CI and report.skipped and not expected_failure and call.when in {"setup", "call"}:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which counts as a failure: {report.longrepr}"


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends by emptying every table, including the rows that data
    migrations loaded (the prompt deck, the reference library). They are loaded again right
    after, so that between any two tests the database holds what the migrations left and
    no test depends on the order tests run in (``pytest -n`` deals them out differently)."""
    result = yield
    if nextitem is not None and _is_transactional(item):
        from factories import load_data_migrations

        with item.config.stash[_DB_BLOCKER].unblock():
            load_data_migrations()
    return result


_DB_BLOCKER = pytest.StashKey[Any]()


@pytest.fixture(scope="session", autouse=True)
def _db_blocker_for_hooks(request: pytest.FixtureRequest, django_db_blocker: Any) -> None:
    request.config.stash[_DB_BLOCKER] = django_db_blocker


@pytest.fixture(autouse=True)
def _no_throttle_carried_over() -> None:
    """Each test starts with empty caches: no sign-in throttle, mail limit or used code
    carried over from whichever test ran before it in the same process (under ``pytest
    -n`` that order differs from run to run)."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


#: Cheap to compute, and never configured outside the tests.
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[list[str]]:
    """Hashing is the subject of only a few tests; every other persona's password costs
    one MD5 instead of one Argon2id run (about 30 ms each)."""
    from django.conf import settings
    from django.test import override_settings

    configured = list(settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=[FAST_HASHER, *configured]):
        yield configured


#: libsodium's least Argon2id limits, for keys made in tests (``mutual.accounts.keys``).
E2E_TEST_LIMITS = {"opslimit": 1, "memlimit": 8192}


@pytest.fixture(scope="session", autouse=True)
def _cheap_key_derivation() -> Iterator[None]:
    """Keys made in tests stretch the password with libsodium's least limits, and the
    personas of the factories (made without keys) sign in with their password as before,
    unless a test turns moving over on."""
    from django.test import override_settings

    with override_settings(MUTUAL_E2E_LIMITS=E2E_TEST_LIMITS, MUTUAL_E2E_MOVE_OVER=False):
        yield


@pytest.fixture
def production_hashers(settings: Any, _fast_password_hashing: list[str]) -> list[str]:
    """The hashers Mutual is configured with (Argon2id first), for tests about hashing
    and for passwords that another process, running the production settings, checks."""
    settings.PASSWORD_HASHERS = list(_fast_password_hashing)
    return settings.PASSWORD_HASHERS  # type: ignore[no-any-return]


@pytest.fixture
def steady_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The clock stands still at the moment the test starts.

    What a page shows depends on the time (trust that fades, what is due today): twin
    tests that compare pages would otherwise differ whenever the clock moves between the
    two twins. The clock is a true boundary; nothing of Mutual is replaced."""
    from django.utils import timezone

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


# The personas of tests/factories.py, for tests that take them as fixtures.


@pytest.fixture
def alice(db: None) -> Person:
    from factories import person

    return person("Alice")


@pytest.fixture
def bob(db: None) -> Person:
    from factories import person

    return person("Bob")


@pytest.fixture
def charlie(db: None) -> Person:
    from factories import person

    return person("Charlie")


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    """Alice's partners bond, which Bob joined through her invite, at ``factories.T0``."""
    from factories import bond_of

    return bond_of(alice, bob)
