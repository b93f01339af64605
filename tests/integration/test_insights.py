"""Insights: charts for members only, the viewer's own trust alone, safe inline SVG; and
the authorization table of every check-in, difference and insights page."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_h
from hypothesis import strategies as st

from factories import bond_of, client_for
from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import ledger, services
from mutual.bonds.models import Bond, Reading
from mutual.checkins import services as checkin_services
from mutual.checkins.models import CheckIn
from mutual.demo import differences as demo_differences
from mutual.differences import services as difference_services
from mutual.differences.models import Difference, Perspective
from mutual.insights import charts
from mutual.insights.selectors import insights_for
from mutual.insights.svg import accessible_svg

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
CANARY = "canary-5f0d"
# WhiteNoise warns (an error under our warning filter) when the static root is missing.
Path(os.environ["MUTUAL_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


def rate(bond: Bond, author: str, score: int, at: datetime) -> None:
    from django.db import transaction

    with transaction.atomic():
        locked = ledger.lock(bond)
        ledger.record(
            locked,
            [
                engine.Revealed(at=at, author=author, depth=0, theme="joys"),  # type: ignore[arg-type]
                engine.Rated(
                    at=at,
                    author=author,  # type: ignore[arg-type]
                    depth=0,
                    theme="joys",
                    emotional=False,
                    understood=score,
                    validated=score,
                    cared=score,
                ),
            ],
        )


#: The pictures drawn with matplotlib, besides the onion snapshots.
CHART_KEYS = ("index", "depth", "trust", "attunement", "differences")


def reveal_a_check_in(bond: Bond, alice: Person, bob: Person) -> None:
    """Enough history for every picture: shares, ratings and check-ins on three days,
    and differences raised in two weeks."""
    for day in range(3):
        at = T0 + timedelta(days=day)
        rate(bond, "a", 7, at)
        rate(bond, "b", 7, at)
        for who, feeling, guess in ((alice, "calm", "tired"), (bob, "tired", "calm")):
            checkin_services.checkin_submit(
                bond=bond,
                person=who,
                feeling=feeling,
                intensity=2,
                guess_feeling=guess,
                guess_intensity=2,
                at=at,
            )
    for week, topic in enumerate(("Holidays", "Chores")):
        difference_services.difference_raise(
            bond=bond, person=bob, topic=topic, at=T0 + timedelta(days=7 * week)
        )


# ---------------------------------------------------------------------------------------
# What the insights show


def test_my_trust_is_mine_alone(bond: Bond, alice: Person, bob: Person):
    rate(bond, "a", 7, T0)
    rate(bond, "b", 1, T0 + timedelta(days=1))
    last = Reading.objects.filter(bond=bond).order_by("-seq").first()
    assert last is not None
    assert last.trust_a != last.trust_b

    for_alice = insights_for(bond=bond, viewer=alice, at=T0 + timedelta(days=2))
    for_bob = insights_for(bond=bond, viewer=bob, at=T0 + timedelta(days=2))
    assert for_alice.days[-1].my_trust == pytest.approx(last.trust_a)
    assert for_bob.days[-1].my_trust == pytest.approx(last.trust_b)


def test_readings_are_aggregated_to_one_per_day(bond: Bond, alice: Person):
    for hour in range(5):
        rate(bond, "a", 6, T0 + timedelta(hours=hour))
    rate(bond, "a", 6, T0 + timedelta(days=3))
    data = insights_for(bond=bond, viewer=alice, at=T0 + timedelta(days=4))
    assert [d.day.isoformat() for d in data.days] == ["2026-03-02", "2026-03-05"]


def test_the_trust_table_on_the_page_holds_only_the_viewers_numbers(
    bond: Bond, alice: Person, bob: Person
):
    rate(bond, "a", 7, T0)
    rate(bond, "b", 1, T0 + timedelta(days=1))
    last = Reading.objects.filter(bond=bond).order_by("-seq").first()
    assert last is not None
    url = reverse("insights:page", args=[bond.id])
    for who, mine, theirs in (
        (alice, last.trust_a, last.trust_b),
        (bob, last.trust_b, last.trust_a),
    ):
        html = client_for(who).get(url).content.decode()
        section = html[html.index('id="trust-heading"') : html.index('id="attunement-heading"')]
        cells = re.findall(r"<td>(\d+)</td>", section)
        assert f"{mine * 100:.0f}" in cells
        assert f"{theirs * 100:.0f}" not in cells


def test_the_page_draws_every_chart_with_a_table(bond: Bond, alice: Person, bob: Person):
    reveal_a_check_in(bond, alice, bob)
    html = client_for(alice).get(reverse("insights:page", args=[bond.id])).content.decode()
    for key in CHART_KEYS:
        assert f'aria-labelledby="{key}-title {key}-desc"' in html, key
    assert html.count("<table>") == 6
    assert "<script" not in html.split("</head>", 1)[1]
    assert " style=" not in html
    assert "<style" not in html


def test_svg_is_rebuilt_from_a_whitelist():
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10pt" height="10pt" viewBox="0 0 10 10">'
        "<style>*{fill:red}</style><script>alert(1)</script>"
        '<a href="https://example.org"><path d="M0 0"/></a>'
        '<path id="p" d="M 0 0 L 1 1" style="fill: #fff; stroke: url(#clip)" onclick="x()"/>'
        '<use xlink:href="https://example.org/x.svg#a"/><use xlink:href="#p"/>'
        "<text style=\"font: 400 10px 'DejaVu Sans'; text-anchor: middle\">5 &lt; 6</text>"
        "</svg>"
    )
    svg = accessible_svg(raw, key="k", title="T <b>", desc="D")
    assert "<script" not in svg
    assert "<style" not in svg
    assert "onclick" not in svg
    assert "example.org" not in svg
    assert 'fill="#fff"' in svg
    assert 'stroke="url(#k-clip)"' in svg
    assert 'id="k-p"' in svg
    assert 'href="#k-p"' in svg
    assert 'font-size="10px"' in svg
    assert 'text-anchor="middle"' in svg
    assert "5 &lt; 6" in svg
    assert "T &lt;b&gt;" in svg
    assert 'role="img"' in svg
    assert 'aria-labelledby="k-title k-desc"' in svg


def test_an_empty_history_shows_words_instead_of_charts():
    chart = charts.line_chart(
        key="x",
        title="X",
        desc="d",
        series=[("X", charts.TERRACOTTA, [])],
        ylabel="",
        ylim=(0, 1),
        empty="Nothing yet.",
    )
    assert chart.svg == ""
    assert chart.empty == "Nothing yet."


# ---------------------------------------------------------------------------------------
# The authorization table of the new pages


@pytest.fixture
def world(bond: Bond, alice: Person, bob: Person) -> dict[str, object]:
    """Alice has checked in and written a perspective, both sealed from Bob."""
    checkin_services.checkin_submit(
        bond=bond,
        person=alice,
        feeling="calm",
        intensity=2,
        guess_feeling="tired",
        guess_intensity=2,
        note=CANARY,
        at=T0,
    )
    topic = difference_services.difference_raise(bond=bond, person=alice, topic="Money talk", at=T0)
    difference_services.perspective_write(
        bond=bond, difference_id=topic.id, person=alice, body=CANARY, at=T0
    )
    return {"bond": bond, "topic": topic}


def urls(world: dict[str, object]) -> dict[str, str]:
    bond, topic = world["bond"], world["topic"]
    return {
        "checkins": reverse("checkins:page", args=[bond.id]),  # type: ignore[attr-defined]
        "differences": reverse("differences:list", args=[bond.id]),  # type: ignore[attr-defined]
        "difference": reverse("differences:detail", args=[bond.id, topic.id]),  # type: ignore[attr-defined]
        "insights": reverse("insights:page", args=[bond.id]),  # type: ignore[attr-defined]
    }


PAGES = ("checkins", "differences", "difference", "insights")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 404), ("anonymous", 302)]
)
@pytest.mark.parametrize("state", ["sealed", "revealed"])
def test_who_may_open_each_page(
    world: dict[str, object],
    page: str,
    who: str,
    status: int,
    state: str,
    request: pytest.FixtureRequest,
):
    if state == "revealed":
        reveal(world)
    viewer = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(viewer).get(urls(world)[page])
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("account_login"))
    html = response.content.decode()
    # The partner reads the sealed words only once both have written; others never.
    assert (CANARY in html) == (
        page in ("checkins", "difference")
        and (who == "alice" or (who, state) == ("bob", "revealed"))
    )


def reveal(world: dict[str, object]) -> None:
    bond, topic = world["bond"], world["topic"]
    bob = bond.person_b  # type: ignore[attr-defined]
    checkin_services.checkin_submit(
        bond=bond,  # type: ignore[arg-type]
        person=bob,
        feeling="tired",
        intensity=1,
        guess_feeling="calm",
        guess_intensity=2,
        at=T0 + timedelta(hours=1),
    )
    difference_services.perspective_write(
        bond=bond,  # type: ignore[arg-type]
        difference_id=topic.id,  # type: ignore[attr-defined]
        person=bob,
        body="Mine",
        at=T0 + timedelta(hours=1),
    )


@pytest.mark.parametrize("page", ["checkins", "difference"])
def test_sealed_words_reach_only_their_author_until_both_wrote(
    world: dict[str, object], page: str, alice: Person, bob: Person
):
    url = urls(world)[page]
    assert CANARY in client_for(alice).get(url).content.decode()
    assert CANARY not in client_for(bob).get(url).content.decode()

    bond, topic = world["bond"], world["topic"]
    checkin_services.checkin_submit(
        bond=bond,
        person=bob,
        feeling="tired",
        intensity=1,
        guess_feeling="calm",  # type: ignore[arg-type]
        guess_intensity=2,
        at=T0 + timedelta(hours=1),
    )
    difference_services.perspective_write(
        bond=bond,  # type: ignore[arg-type]
        difference_id=topic.id,  # type: ignore[attr-defined]
        person=bob,
        body="Mine",
        at=T0 + timedelta(hours=1),
    )
    assert CANARY in client_for(bob).get(url).content.decode()


@pytest.mark.parametrize(
    ("page", "step", "data"),
    [
        (
            "checkins",
            None,
            {"feeling": "calm", "intensity": "2", "guess_feeling": "calm", "guess_intensity": "2"},
        ),
        ("differences", None, {"topic": "Sneaky"}),
        ("difference", "perspective", {"body": "Sneaky"}),
        ("difference", "revisit", {}),
    ],
)
@pytest.mark.parametrize(("who", "status"), [("charlie", 404), ("anonymous", 302)])
def test_strangers_change_nothing(
    world: dict[str, object],
    page: str,
    step: str | None,
    data: dict[str, str],
    who: str,
    status: int,
    request: pytest.FixtureRequest,
):

    before = (CheckIn.objects.count(), Difference.objects.count(), Perspective.objects.count())
    viewer = None if who == "anonymous" else request.getfixturevalue(who)
    url = urls(world)[page]
    if step:
        bond, topic = world["bond"], world["topic"]
        url = reverse("differences:step", args=[bond.id, topic.id, step])  # type: ignore[attr-defined]
    response = client_for(viewer).post(url, data)
    assert response.status_code == status
    after = (CheckIn.objects.count(), Difference.objects.count(), Perspective.objects.count())
    assert after == before


def test_the_page_costs_the_same_queries_for_a_longer_history(
    bond: Bond, alice: Person, bob: Person
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def history(days: int, start: datetime) -> None:
        for day in range(days):
            at = start + timedelta(days=day)
            rate(bond, "a", 6, at)
            rate(bond, "b", 6, at)
            checkin_services.checkin_submit(
                bond=bond,
                person=alice,
                feeling="calm",
                intensity=2,
                guess_feeling="calm",
                guess_intensity=2,
                at=at,
            )
            checkin_services.checkin_submit(
                bond=bond,
                person=bob,
                feeling="calm",
                intensity=2,
                guess_feeling="calm",
                guess_intensity=2,
                at=at,
            )

    client = client_for(alice)
    url = reverse("insights:page", args=[bond.id])
    history(2, T0)
    client.get(url)  # warm up the session and caches
    with CaptureQueriesContext(connection) as short:
        assert client.get(url).status_code == 200
    history(12, T0 + timedelta(days=2))
    with CaptureQueriesContext(connection) as long:
        assert client.get(url).status_code == 200
    assert len(long.captured_queries) == len(short.captured_queries)


def test_a_bad_check_in_form_answers_422_with_the_reason(world: dict[str, object], alice: Person):

    url = urls(world)["checkins"]
    response = client_for(alice).post(url, {"feeling": "ecstatic", "guess_feeling": "calm"})
    assert response.status_code == 422
    assert "Choose how you feel from the list of feelings." in response.content.decode()
    assert CheckIn.objects.get().feeling == "calm"


def test_a_step_out_of_turn_answers_409_with_the_reason(world: dict[str, object], alice: Person):
    bond, topic = world["bond"], world["topic"]
    url = reverse("differences:step", args=[bond.id, topic.id, "outcome"])  # type: ignore[attr-defined]
    response = client_for(alice).post(url, {"outcome": "agreed"})
    assert response.status_code == 409
    assert "An outcome can be recorded once you have both" in response.content.decode()
    topic.refresh_from_db()  # type: ignore[attr-defined]
    assert topic.outcome == "open"  # type: ignore[attr-defined]


def test_an_unknown_step_is_not_found(world: dict[str, object], alice: Person):
    bond, topic = world["bond"], world["topic"]
    url = reverse("differences:step", args=[bond.id, topic.id, "delete"])  # type: ignore[attr-defined]
    assert client_for(alice).post(url).status_code == 404


def test_due_topics_appear_on_the_bond_home_page(bond: Bond, alice: Person, bob: Person):
    from django.utils import timezone

    now = timezone.now()
    demo_differences.demo_seed(bond=bond, now=now)
    html = client_for(bob).get(f"/bonds/{bond.id}/").content.decode()
    assert "Time to come back to" in html
    assert demo_differences.DEMO_TOPIC.split(":")[0] in html


def test_the_home_page_says_when_the_partner_has_checked_in(bond: Bond, alice: Person, bob: Person):
    checkin_services.checkin_submit(
        bond=bond,
        person=bob,
        feeling="calm",
        intensity=2,
        guess_feeling="calm",
        guess_intensity=2,
        note=CANARY,
        at=T0,
    )
    for_alice = client_for(alice).get(f"/bonds/{bond.id}/").content.decode()
    assert "Bob has checked in" in for_alice
    assert CANARY not in for_alice
    assert "has checked in" not in client_for(bob).get(f"/bonds/{bond.id}/").content.decode()


def test_no_check_in_note_for_someone_in_safety_mode(bond: Bond, alice: Person, bob: Person):
    from django.db import transaction

    checkin_services.checkin_submit(
        bond=bond,
        person=bob,
        feeling="calm",
        intensity=2,
        guess_feeling="calm",
        guess_intensity=2,
        at=T0,
    )
    with transaction.atomic():
        locked = ledger.lock(bond)
        ledger.record(locked, [engine.WeaponizationReported(at=T0, reporter="a")])
    html = client_for(alice).get(f"/bonds/{bond.id}/").content.decode()
    assert "Bob has checked in" not in html


def test_talking_a_due_topic_through_again_opens_round_two(bond: Bond, alice: Person):
    from django.utils import timezone

    topic = demo_differences.demo_seed(bond=bond, now=timezone.now())
    url = reverse("differences:step", args=[bond.id, topic.id, "revisit"])
    response = client_for(alice).post(url)
    assert response.status_code == 302
    html = client_for(alice).get(response["Location"]).content.decode()
    assert "A new round is open." in html
    assert "Round 1," in html
    assert "How do you see it?" in html
    assert (
        "Time to come back to" not in client_for(alice).get(f"/bonds/{bond.id}/").content.decode()
    )


@pytest.mark.parametrize("page", ["checkins", "differences", "insights"])
def test_a_bond_still_waiting_for_its_second_person_shows_calm_empty_pages(
    charlie: Person, page: str
):
    waiting = services.bond_create(creator=charlie, kind="friends", at=T0)
    names = {"checkins": "checkins:page", "differences": "differences:list"}
    url = reverse(names.get(page, "insights:page"), args=[waiting.id])
    response = client_for(charlie).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" class="panel' not in html
    assert "None" not in html


def test_a_revealed_check_in_is_pictured_on_the_circle_in_words_too(
    bond: Bond, alice: Person, bob: Person
):
    for who, feeling, guess in ((alice, "calm", "tired"), (bob, "tired", "happy")):
        checkin_services.checkin_submit(
            bond=bond,
            person=who,
            feeling=feeling,
            intensity=2,
            guess_feeling=guess,
            guess_intensity=2,
            at=timezone_now(),
        )
    url = reverse("checkins:page", args=[bond.id]) + "?done=sealed"
    html = client_for(alice).get(url).content.decode()
    assert 'class="feelings"' in html
    assert "You felt quite calm; Bob felt quite tired." in html
    # The confirmation of a sealed check-in no longer holds once the round opened.
    assert "It stays sealed" not in html


def timezone_now() -> datetime:
    from django.utils import timezone

    return timezone.now()


# ---------------------------------------------------------------------------------------
# Any name renders


#: Names a person may give themselves, each of which once broke or could break a chart:
#: matplotlib reads ``$…$`` as mathematics, hides legend labels that start with ``_``.
HOSTILE_NAMES = [
    "Dave $\\frac{x}$",
    "$x^2$ and $y_1$",
    "$",
    "a $ b $ c $",
    "\\frac{a}{b}",
    "_Dave",
    "Dave^2 50% _x_ %s %(name)s {0}",
    "Two\nlines",
    "W" * 60,
    "דוד العربية",
    "Dave 😀🔥",
    '<script>alert(1)</script> & "quotes"',
    "bell\x07 and \x1b escape",
    "\\$\\mathrm{x}",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_f9_any_name_renders_the_insights_page_for_both_partners(
    bond: Bond, alice: Person, bob: Person, name: str
) -> None:
    reveal_a_check_in(bond, alice, bob)
    Person.objects.filter(pk__in=[alice.pk, bob.pk]).update(display_name=name)
    url = reverse("insights:page", args=[bond.id])
    for who in (alice, bob):
        response = client_for(who).get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        for key in CHART_KEYS:
            assert f'aria-labelledby="{key}-title {key}-desc"' in html, (key, name)
        attunement = html[html.index('id="attunement-heading"') : html.index('id="onion-heading"')]
        # Both lines are named in the legend, whatever the name.
        assert attunement.count("guesses of") >= 4, name


THREE_DAYS = [T0.date() + timedelta(days=i) for i in range(3)]


@settings_h(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=60))
def test_f9_a_chart_draws_any_text_as_it_is(name: str) -> None:
    chart = charts.line_chart(
        key="names",
        title=f"Title {name}",
        desc=f"Desc {name}",
        series=[
            (f"Yours of {name}", charts.TERRACOTTA, [(day, 1.0) for day in THREE_DAYS]),
            (f"{name}'s of you", charts.SAGE, [(day, 2.0) for day in THREE_DAYS]),
        ],
        ylabel="",
        ylim=(0, 3),
        empty="",
    )
    assert chart.svg.count("<text") >= 2


def test_with_a_day_of_history_a_line_waits_and_keeps_its_numbers():
    day = date(2026, 3, 2)
    chart = charts.line_chart(
        key="x",
        title="X",
        desc="d",
        series=[("X", charts.TERRACOTTA, [(day, 5.0), (day + timedelta(days=1), 10.0)])],
        ylabel="",
        ylim=(0, 100),
        empty="Nothing yet.",
        waiting="A line appears after a few more days.",
    )
    assert chart.svg == ""
    assert chart.waiting == "A line appears after a few more days."
    assert chart.rows == [("2 Mar 2026", "5"), ("3 Mar 2026", "10")]


def test_dates_on_a_chart_read_as_the_pages_write_them():
    start = date(2026, 11, 20)
    chart = charts.line_chart(
        key="x",
        title="X",
        desc="d",
        series=[("X", charts.TERRACOTTA, [(start + timedelta(days=i), i) for i in range(14)])],
        ylabel="",
        ylim=(0, 100),
        empty="Nothing yet.",
    )
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", chart.svg)
    dates = [t for t in labels if re.search(r"[A-Z][a-z]{2}", t)]
    assert dates, labels
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", t.strip()) for t in dates), dates


def test_dates_on_a_chart_follow_the_readers_language():
    start = date(2026, 11, 20)

    def axis_dates() -> list[str]:
        chart = charts.line_chart(
            key="x",
            title="X",
            desc="d",
            series=[("X", charts.TERRACOTTA, [(start + timedelta(days=i), i) for i in range(14)])],
            ylabel="",
            ylim=(0, 100),
            empty="Nothing yet.",
        )
        labels = re.findall(r"<text[^>]*>([^<]+)</text>", chart.svg)
        return [t.strip() for t in labels if re.search(r"\d{1,2} \w{3}", t)]

    english = axis_dates()
    with translation.override("de"):
        german = axis_dates()
    assert any("Nov" in t for t in english), english
    assert any("Dez" in t for t in german), german
    assert not any("Dec" in t for t in german), german
