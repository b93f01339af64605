"""The language Mutual speaks: the person's choice, else the browser's, else English; and
dates and numbers follow it. Mutual itself speaks English only so far, so these tests
add French (whose words Django itself ships) to see each rule choose."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template import engines
from django.test import Client, override_settings
from django.utils import translation

from mutual.accounts.models import Person

SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"
CATALOGUE = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
FRENCH = [("en", "English"), ("fr", "Français")]


@pytest.fixture
def two_languages(settings: Any) -> None:
    settings.LANGUAGES = FRENCH


def lang_of(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', page)
    assert match
    return match.group(1)


@pytest.mark.django_db
def test_english_without_a_wish(client: Client) -> None:
    answer = client.get("/accounts/login/")
    assert lang_of(answer.content.decode()) == "en"
    assert answer["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.usefixtures("two_languages")
def test_the_browser_chooses_by_default(client: Client) -> None:
    answer = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert lang_of(answer.content.decode()) == "fr"
    assert answer["Content-Language"] == "fr"


@pytest.mark.django_db
@pytest.mark.usefixtures("two_languages")
def test_a_persons_choice_wins_over_the_browser(client: Client, alice: Person) -> None:
    client.force_login(alice)
    Person.objects.filter(pk=alice.pk).update(language="en")
    answer = client.get("/accounts/security/", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == 200
    assert lang_of(answer.content.decode()) == "en"
    Person.objects.filter(pk=alice.pk).update(language="fr")
    answer = client.get("/accounts/security/", HTTP_ACCEPT_LANGUAGE="en")
    assert lang_of(answer.content.decode()) == "fr"


@pytest.mark.django_db
@pytest.mark.usefixtures("two_languages")
def test_choosing_a_language_and_going_back_to_the_browsers(client: Client, alice: Person) -> None:
    client.force_login(alice)
    assert client.post("/accounts/language/", {"language": "fr"}).status_code == 302
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert client.post("/accounts/language/", {"language": ""}).status_code == 302
    alice.refresh_from_db()
    assert alice.language == ""


@pytest.mark.django_db
def test_a_language_mutual_does_not_speak_is_refused_and_changes_nothing(
    client: Client, alice: Person
) -> None:
    client.force_login(alice)
    answer = client.post("/accounts/language/", {"language": "xx"}, follow=True)
    assert "Choose one of the languages in the list." in answer.content.decode()
    alice.refresh_from_db()
    assert alice.language == ""


def test_dates_and_numbers_follow_the_language() -> None:
    template = engines["django"].from_string(
        '{% load l10n %}{{ when|date:"DATETIME_FORMAT" }} / {{ number|localize }}'
    )
    context = {"when": datetime(2026, 12, 3, 16, 5, tzinfo=UTC), "number": 1234.5}
    with translation.override("en"):
        assert template.render(context) == "3 December 2026, 16:05 / 1234.5"
    with translation.override("fr"):
        assert template.render(context) == "3 décembre 2026 16:05 / 1234,5"


@override_settings(TIME_ZONE="UTC")
def test_mutuals_own_date_filters_write_the_way_the_language_does() -> None:
    """``|day`` and ``|day_time`` take the active language's formats: Mutual's own for
    English, Django's for German (which Mutual has no module for)."""
    template = engines["django"].from_string("{{ when|day }} / {{ when|day_time }}")
    context = {"when": datetime(2026, 12, 3, 16, 5, tzinfo=UTC)}
    with translation.override("en"):
        assert template.render(context) == "3 December 2026 / 3 December 2026, 16:05"
    with translation.override("de"):
        assert template.render(context) == "3. Dezember 2026 / 3. Dezember 2026 16:05"


def test_a_number_in_a_refusal_is_grouped_the_way_the_language_does() -> None:
    from mutual.bonds.cleaning import clean_text
    from mutual.bonds.errors import Invalid

    for language, grouped in (("en", "20,000"), ("de", "20.000")):
        with translation.override(language), pytest.raises(Invalid) as refused:
            clean_text("x" * 20_001, what="Your answer", limit=20_000)
        assert refused.value.message == (
            f"Your answer is longer than {grouped} characters. Please shorten it."
        )


def test_the_committed_catalogue_is_complete(tmp_path: Path) -> None:
    """``makemessages`` over the package finds exactly the texts of the committed
    catalogue: none missing, none left over."""
    if shutil.which("xgettext") is None:
        pytest.fail("makemessages needs GNU gettext (apt-get install gettext)")
    copy = tmp_path / "mutual"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "locale"))
    (copy / "locale").mkdir()
    here = Path.cwd()
    try:
        os.chdir(copy)
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages", locale=["en"], no_obsolete=True, no_location=True,
                ignore_patterns=["static/*"], verbosity=0,
            )  # fmt: skip
    finally:
        os.chdir(here)
    fresh = (copy / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text()

    def msgids(po: str) -> set[str]:
        return set(re.findall(r'^msgid ((?:".*"\n)+)', po, re.MULTILINE))

    committed = msgids(CATALOGUE.read_text())
    missing = msgids(fresh) - committed
    assert not missing, (
        f"{len(missing)} texts are not in the catalogue: run `make messages` "
        f"(first: {sorted(missing)[:3]})"
    )
    stale = committed - msgids(fresh)
    assert not stale, (
        f"{len(stale)} texts in the catalogue are no longer in the code: run `make messages` "
        f"(first: {sorted(stale)[:3]})"
    )
    assert 'msgid "Privacy and safety"' in fresh
