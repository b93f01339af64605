"""The check-in page asks in two steps: one's own feeling, then the guess of the
partner's. The first step stores nothing; each error sits beside its question, in the
step it belongs to, with what was chosen kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from factories import bond_of, client_for
from mutual.accounts.models import Person
from mutual.bonds.models import Bond
from mutual.checkins.models import CheckIn

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def bond(alice: Person, bob: Person) -> Bond:
    return bond_of(alice, bob, at=T0)


def url(bond: Bond) -> str:
    return reverse("checkins:page", args=[bond.id])


def test_the_first_step_asks_only_for_ones_own_feeling(bond, alice) -> None:
    html = client_for(alice).get(url(bond)).content.decode()
    assert "Step 1 of 2: how you feel" in html
    assert 'name="feeling"' in html
    assert 'name="guess_feeling"' not in html
    assert html.count('<details class="feeling-family') == 8
    assert '<details class="feeling-family feeling-group--glad" open' not in html


def test_next_keeps_the_feeling_and_asks_the_guess_saving_nothing(bond, alice) -> None:
    answer = client_for(alice).post(
        url(bond), {"step": "next", "feeling": "Calm", "intensity": "3"}
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Step 2 of 2: how Bob feels" in html
    assert "You feel very calm." in html
    assert '<input type="hidden" name="feeling" value="calm">' in html
    assert '<input type="hidden" name="intensity" value="3">' in html
    assert 'name="guess_feeling"' in html
    assert not CheckIn.objects.exists()


def test_back_opens_the_chosen_family_with_the_guess_kept(bond, alice) -> None:
    form = {"step": "back", "feeling": "calm", "intensity": "1", "guess_feeling": "tired",
            "guess_intensity": "2", "note": "A slow day"}  # fmt: skip
    html = client_for(alice).post(url(bond), form).content.decode()
    assert "Step 1 of 2" in html
    assert '<details class="feeling-family feeling-group--peaceful" open>' in html
    assert '<span class="family-chosen"> · Calm</span>' in html
    assert 'value="calm" checked' in html
    assert '<input type="hidden" name="guess_feeling" value="tired">' in html
    assert '<input type="hidden" name="note" value="A slow day">' in html
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"feeling": "", "intensity": "2"}, "feeling", "Choose how you feel from the list"),
        ({"feeling": "giddy", "intensity": "2"}, "feeling", "Choose how you feel from the list"),
        ({"feeling": "calm", "intensity": "9"}, "intensity", "Choose how strong your feeling"),
    ],
)
def test_a_bad_first_step_is_said_beside_its_question(bond, alice, form, field, message) -> None:
    answer = client_for(alice).post(url(bond), {"step": "next", **form})
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Step 1 of 2" in html
    assert f'<p class="error" id="{field}-error" role="alert">{message}' in html
    assert 'class="form-error"' not in html
    assert not CheckIn.objects.exists()


def test_a_bad_guess_is_said_in_the_second_step(bond, alice) -> None:
    form = {"feeling": "calm", "intensity": "2", "guess_feeling": "", "guess_intensity": "2"}
    answer = client_for(alice).post(url(bond), form)
    assert answer.status_code == 422
    html = answer.content.decode()
    assert "Step 2 of 2" in html
    assert '<p class="error" id="guess_feeling-error" role="alert">Choose your guess' in html
    assert '<input type="hidden" name="feeling" value="calm">' in html
    assert not CheckIn.objects.exists()


def test_the_second_step_checks_in(bond, alice) -> None:
    form = {"feeling": "calm", "intensity": "2", "guess_feeling": "tired", "guess_intensity": "1"}
    answer = client_for(alice).post(url(bond), form)
    assert answer.status_code == 302
    [mine] = CheckIn.objects.all()
    assert (mine.feeling, mine.guess_feeling, mine.guess_intensity) == ("calm", "tired", 1)
