"""Every page a person can reach, in Chromium, against the demo bond (SECURITY.md 6, 7
and 20; DESIGN.md §5).

The pages come from the URL resolver (``pages.py``): Alice's bond home, the prompt
picker, a sealed and a revealed exchange, the reply and rating forms, invite and join,
check-ins, differences, insights, the safety pages, her account pages (sessions,
security log, export, deletion, password, second factor), the learning library and the
reference search, "who can see what", the pages a signed-out visitor sees, and the
error pages a person meets (not found, a form sent after its session ended). The tour
visits each page once; every check below is a case of its own, named after the page:

* it answers with its status at its own address (no detour to sign-in), in the state
  it claims (a sealed exchange holds nothing of the other's answer);
* axe-core finds no serious or critical violation, at 390px and at 1280px;
* the ``<title>`` is neutral: no name, no prompt, nothing a person wrote;
* a signed-in response carries ``Cache-Control: no-store``;
* one ``<h1>``, one ``<main>``, and a visible quick-exit control at 390px and 1280px;
* nothing scrolls sideways on a 390px phone (the document is no wider than the window);
* the first Tab from the top reaches an element whose focus can be seen, and so does
  every later Tab stop;
* the browser asks nothing of any origin but the server's own.

A summary of every visit is written next to the screenshots (``tour.json``).

The tour is taken once for the module, by a live server of its own on a database it
seeds and empties again; the checks read what it recorded and touch no database.

Screenshots at 390px and 1280px go to ``var/screenshots/every-page/``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pages import (
    ALICE,
    MAX_TAB_STOPS,
    MFA_STEP,
    NOT_PAGES,
    SIGNED_OUT,
    Demo,
    Page,
    Visit,
    all_pages,
    focus_shown,
    routes,
    summary,
    take_tour,
    third_party,
    title_leaks,
)

from factories import empty_database, load_data_migrations

# Each check runs in a transaction of its own that it leaves unchanged (``django_db``, not
# a transactional test that would flush the database after every case). Under ``pytest -n
# --dist loadscope`` the module stays on one worker, which takes the tour once.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PAGES = all_pages()
#: Responses that belong to a session (SECURITY.md 7). A signed-out visitor's pages hold
#: nothing of a person, so the check leaves them out.
SESSION_PAGES = [p for p in PAGES if p.who != SIGNED_OUT]
SCREENSHOT_DIR = (
    Path(
        os.environ.get(
            "MUTUAL_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots"
        )
    )
    / "every-page"
)


def cases(pages: list[Page]) -> Any:
    return pytest.mark.parametrize("page", pages, ids=[p.label for p in pages])


@pytest.fixture(scope="module")
def tour(
    django_db_setup: None,
    django_db_blocker: Any,
    browser: Any,
    screenshot: Callable[[Any, str], list[Path]],
) -> tuple[Demo, dict[str, Visit]]:
    """One tour of every page for the whole module, taken when the first check asks.

    As a transactional test would, it seeds the database with what a live server (its
    own, in a thread) must see committed, and empties it when the tour ends; if the tour
    cannot be taken, every check that reads it fails with why."""
    from django.core.cache import caches
    from django.test.utils import modify_settings
    from pytest_django.live_server_helper import LiveServer

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    server = LiveServer("localhost")
    host = urlsplit(server.url).hostname
    try:
        with django_db_blocker.unblock(), modify_settings(ALLOWED_HOSTS={"append": host}):
            load_data_migrations()
            for alias in caches:
                caches[alias].clear()
            try:
                visits = take_tour(browser, server.url, screenshot)
            finally:
                empty_database()
    finally:
        server.stop()
    (SCREENSHOT_DIR / "tour.json").write_text(json.dumps(summary(visits[1]), indent=1, default=str))
    return visits


def visited(tour: tuple[Demo, dict[str, Visit]], page: Page) -> Visit:
    found = tour[1][page.label]
    assert not found.error, (
        f"{page.label}: the visit of {found.url or page.route} failed: {found.error}"
    )
    return found


def test_route_table_names_only_routes_that_exist() -> None:
    names = {r.name for r in routes()}
    stale = sorted({p.route for p in PAGES} - names) + sorted(set(NOT_PAGES) - names)
    assert not stale, f"pages.py names routes the resolver no longer has: {stale}"


def test_every_route_is_visited_or_excluded_with_a_reason() -> None:
    visited_routes = {p.route for p in PAGES}
    for route in routes():
        assert route.name in visited_routes or NOT_PAGES[route.name].strip(), route
    assert not visited_routes & set(NOT_PAGES), "a route is both visited and excluded"


@cases(PAGES)
def test_page_loads_where_asked(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    assert found.status == page.status, f"{page.label}: {found.url} answered {found.status}"
    assert found.landed_route == page.route, (
        f"{page.label}: {found.url} ended at {found.landed} ({found.landed_route})"
    )
    assert len(found.screenshots) == 2
    missing = [text for text in page.shows if text not in found.text]
    assert not missing, f"{page.label}: the page does not show {missing}"
    held = [text for text in page.hides if text in found.html]
    assert not held, f"{page.label}: the page holds {held}"


@cases(PAGES)
def test_axe_finds_nothing_serious(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    assert not found.serious, f"{page.label}: " + "; ".join(found.serious)


@cases(PAGES)
def test_title_is_neutral(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    demo, _visits = tour
    found = visited(tour, page)
    assert found.title.strip(), f"{page.label}: no title"
    leaks = title_leaks(found.title, demo.secrets)
    assert not leaks, f"{page.label}: the title {found.title!r} gives away {leaks}"


@cases(SESSION_PAGES)
def test_signed_in_response_is_not_stored(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    directives = {d.strip().lower() for d in found.headers.get("cache-control", "").split(",")}
    assert "no-store" in directives, (
        f"{page.label}: Cache-Control is {found.headers.get('cache-control')!r}"
    )


@cases(PAGES)
def test_one_h1_and_one_main(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    assert (found.h1, found.main) == (1, 1), (
        f"{page.label}: {found.h1} <h1> and {found.main} <main> landmarks"
    )


@cases(PAGES)
def test_quick_exit_is_visible(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    problems = {width: what for width, what in found.quick_exit.items() if what}
    assert set(found.quick_exit) == {390, 1280}
    assert not problems, f"{page.label}: the quick-exit control at widths {problems}"


@cases(PAGES)
def test_nothing_scrolls_sideways_on_a_phone(
    page: Page, tour: tuple[Demo, dict[str, Visit]]
) -> None:
    found = visited(tour, page)
    assert found.scroll_width.get(390, 0) > 0, f"{page.label}: no width was measured at 390px"
    assert found.scroll_width[390] <= 390, (
        f"{page.label}: the page is {found.scroll_width[390]}px wide on a 390px phone"
    )


@cases(PAGES)
def test_first_tab_shows_where_the_focus_is(
    page: Page, tour: tuple[Demo, dict[str, Visit]]
) -> None:
    found = visited(tour, page)
    focus = found.first_tab
    assert focus is not None, f"{page.label}: Tab from the top focused nothing"
    where = f"{page.label}: Tab reached {focus['element']} ({focus['text']!r})"
    assert focus["onScreen"], f"{where}, which is not on screen"
    assert focus_shown(focus), (
        f"{where}: outline {focus['outline']}, box-shadow {focus['boxShadow']}"
    )


@cases(PAGES)
def test_every_tab_stop_shows_focus(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    assert len(found.tab_stops) < MAX_TAB_STOPS, f"{page.label}: the Tab walk did not end"
    hidden = [
        f"{s['element']} ({s['text']!r}): on screen {s['onScreen']}, outline {s['outline']}, "
        f"box-shadow {s['boxShadow']}"
        for s in found.tab_stops
        if not focus_shown(s)
    ]
    assert not hidden, f"{page.label}: focus not visible on " + "; ".join(hidden)


@cases(PAGES)
def test_no_request_leaves_the_server(page: Page, tour: tuple[Demo, dict[str, Visit]]) -> None:
    found = visited(tour, page)
    assert found.requests, f"{page.label}: no request was recorded"
    outside = third_party(found.requests)
    assert not outside, f"{page.label}: requests to other origins: {outside}"


def test_the_tour_covers_every_kind_of_visitor(tour: tuple[Demo, dict[str, Visit]]) -> None:
    _demo, visits = tour
    kinds = {v.page.who for v in visits.values()}
    assert {SIGNED_OUT, ALICE, MFA_STEP} <= kinds
    assert set(visits) == {p.label for p in PAGES}


# The judges themselves: each check can fail.


def test_title_check_catches_names_prompts_and_answers() -> None:
    secrets = ["Bob", "bob@example.com", "What do you keep to yourself?", "A yellow door"]
    assert title_leaks("Mutual", secrets) == []
    assert title_leaks("Mutual — Learn", secrets) == []
    assert title_leaks("Bob — Mutual", secrets) == ["Bob"]
    assert title_leaks("Mutual: bob@example.com", secrets) == ["bob@example.com"]
    assert title_leaks("What do you keep… | Mutual", secrets) == ["What do you keep to yourself?"]
    assert title_leaks("A yellow door", secrets) == ["A yellow door"]
    assert title_leaks("Bobbing along", secrets) == []


def test_origin_check_catches_every_other_host() -> None:
    own = ["http://127.0.0.1:8000/static/mutual/mutual.css", "http://localhost:5/x", "data:,"]
    assert third_party(own) == []
    outside = [
        "https://fonts.googleapis.com/css2?family=Inter",
        "http://127.0.0.1.example.org/x",
        "wss://example.org/socket",
        "ftp://localhost/file",
    ]
    assert third_party(outside) == outside


def test_focus_check_needs_a_ring_on_screen() -> None:
    ring = {"onScreen": True, "outlineStyle": "solid", "outlineWidth": 3.0, "boxShadow": "none"}
    assert focus_shown(ring)
    assert focus_shown({**ring, "outlineStyle": "none", "boxShadow": "rgb(0, 0, 0) 0 0 0 3px"})
    assert not focus_shown({**ring, "outlineStyle": "none"})
    assert not focus_shown({**ring, "outlineWidth": 0.0})
    assert not focus_shown({**ring, "onScreen": False})
