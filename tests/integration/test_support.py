"""Support that fits the country: the operator's file, checked strictly; the country a
person chooses, and only among those listed; the support pages showing that country's
services, or the neutral words and never a number; the guidance for receiving a
disclosure; and the word, before pausing, that the partner will see it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.urls import reverse

from factories import bond_of, client_for
from mutual.accounts.models import Person
from mutual.safety.apps import support_file_check
from mutual.web import support

pytestmark = pytest.mark.django_db

#: Made-up services for the tests: no real number appears in Mutual's code or tests.
DIRECTORY: dict[str, Any] = {
    "countries": [
        {
            "code": "ZZ",
            "name": "Testland",
            "resources": [
                {
                    "name": "Testland Listening Line",
                    "for": "thoughts of suicide",
                    "phone": "+99 123 4567",
                    "hours": "every day, day and night",
                },
                {"name": "Testland Safe Homes", "web": "https://safe.example.org/"},
            ],
        },
        {
            "code": "QQ",
            "name": "Otherland",
            "resources": [{"name": "Otherland Text Line", "text": "55055"}],
        },
    ]
}


@pytest.fixture
def support_file(tmp_path: Path, settings: Any) -> Path:
    path = tmp_path / "support.json"
    path.write_text(json.dumps(DIRECTORY), encoding="utf-8")
    settings.SUPPORT_FILE = str(path)
    return path


def test_without_a_file_there_is_no_country_and_no_number(settings: Any) -> None:
    settings.SUPPORT_FILE = ""
    assert support.directory() == support.EMPTY
    assert support.for_country("ZZ") is None
    page = client_for(None).get(reverse("safety:support"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "local emergency number" in text
    assert "tel:" not in text
    assert "Mutual is not a crisis service" in text


def test_the_file_is_read_into_countries_and_services(support_file: Path) -> None:
    directory = support.directory()
    assert directory.choices() == [("QQ", "Otherland"), ("ZZ", "Testland")]
    testland = directory.get("ZZ")
    assert testland is not None
    line = testland.resources[0]
    assert (line.name, line.serves, line.phone_link) == (
        "Testland Listening Line",
        "thoughts of suicide",
        "tel:+991234567",
    )


def _with(**resource: str) -> dict[str, Any]:
    """A file of one country, Testland, with one service of ``resource``."""
    return {"countries": [{"code": "ZZ", "name": "Testland", "resources": [resource]}]}


GOOD = {"name": "A line", "web": "https://a.example.org"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], 'one key, "countries"'),
        ({"countries": [{**_with(**GOOD)["countries"][0], "code": "zz"}]}, "two capital letters"),
        ({"countries": [{**_with(**GOOD)["countries"][0], "resources": []}]}, "one service"),
        (_with(name="A line"), "needs a phone"),
        (_with(name="A line", phone="call us"), "only digits"),
        (_with(name="A line", web="http://a.example.org"), "https://"),
        (_with(**GOOD, phnoe="1"), "does not know: phnoe"),
        ({"countries": _with(**GOOD)["countries"] * 2}, "listed twice"),
    ],
)
def test_a_malformed_file_is_refused_with_what_is_wrong(data: Any, message: str) -> None:
    with pytest.raises(support.SupportFileError, match=message):
        support.parse(data)


def test_the_system_check_reports_a_broken_file(tmp_path: Path, settings: Any) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{ not json", encoding="utf-8")
    settings.SUPPORT_FILE = str(path)
    [error] = support_file_check()
    assert error.level == checks.ERROR
    assert error.id == "safety.E001"
    assert "not valid JSON" in error.msg
    # The pages still answer, with the neutral words.
    assert support.for_country("ZZ") is None
    assert client_for(None).get(reverse("safety:support")).status_code == 200


def test_the_system_check_passes_a_good_file(support_file: Path) -> None:
    assert support_file_check() == []


def test_a_person_chooses_their_country_and_sees_its_services(
    support_file: Path, alice: Person
) -> None:
    browser = client_for(alice)
    response = browser.post(reverse("mutual_country"), {"country": "ZZ", "back": "support"})
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:support")
    alice.refresh_from_db()
    assert alice.country == "ZZ"
    text = browser.get(reverse("safety:support")).content.decode()
    assert "Testland Listening Line" in text
    assert 'href="tel:+991234567"' in text
    assert "Otherland Text Line" not in text


def test_a_country_not_listed_is_refused_and_nothing_changes(
    support_file: Path, alice: Person
) -> None:
    Person.objects.filter(pk=alice.pk).update(country="ZZ")
    response = client_for(alice).post(reverse("mutual_country"), {"country": "FR"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.country == "ZZ"


def test_another_country_shows_the_neutral_words(support_file: Path, alice: Person) -> None:
    client_for(alice).post(reverse("mutual_country"), {"country": ""})
    alice.refresh_from_db()
    assert alice.country == ""
    text = client_for(alice).get(reverse("safety:support")).content.decode()
    assert "tel:" not in text
    assert "Search for a crisis line" in text


def test_the_settings_page_offers_the_listed_countries(support_file: Path, alice: Person) -> None:
    text = client_for(alice).get(reverse("mutual_security")).content.decode()
    assert '<option value="ZZ">Testland</option>' in text
    assert "Support near you" in text


def test_signed_out_one_may_look_at_a_country_without_saving_anything(
    support_file: Path,
) -> None:
    text = client_for(None).get(reverse("safety:support"), {"country": "qq"}).content.decode()
    assert "Otherland Text Line" in text
    text = client_for(None).get(reverse("safety:support"), {"country": "<b>"}).content.decode()
    assert "Otherland Text Line" not in text
    assert "<b>" not in text


def test_the_support_page_guides_the_one_who_receives_a_disclosure() -> None:
    text = client_for(None).get(reverse("safety:support")).content.decode()
    assert 'id="receiving"' in text
    for words in (
        "thinking about ending your life",
        "Ask plainly whether they are safe right now",
        "Promising to keep it secret",
        "Confronting the person who hurts them",
    ):
        assert words in text


def test_the_bond_safety_page_shows_the_country_and_says_the_pause_is_seen(
    support_file: Path, alice: Person, bob: Person
) -> None:
    Person.objects.filter(pk=alice.pk).update(country="ZZ")
    bond = bond_of(alice, bob)
    text = client_for(alice).get(reverse("safety:home", args=[bond.pk])).content.decode()
    assert "Testland Listening Line" in text
    assert "Bob will see that the bond is paused, though not why." in text
    assert 'aria-describedby="pause-seen"' in text


def test_the_reply_form_points_to_what_helps(alice: Person, bob: Person) -> None:
    from factories import T0, answered_pair
    from mutual.bonds.models import Revelation

    bond = bond_of(alice, bob)
    _ex, a, _b = answered_pair(bond, alice, bob, alice_text="a", bob_text="b", at=T0)
    assert isinstance(a, Revelation)
    text = client_for(bob).get(reverse("bonds:reply", args=[a.pk])).content.decode()
    assert 'href="/support/#receiving"' in text
