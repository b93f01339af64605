"""Coaching on the reply and question forms: "why it makes sense" is optional for light
questions and asked for deeper ones; the responder's note of effort reaches the engine and
no one else; the forms say what validating is and how to ask well."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from factories import T0, World, client_for, world
from mutual.bonds import selectors, services
from mutual.bonds.errors import Invalid
from mutual.bonds.forms import PromptForm, ReplyForm, suggested_depth
from mutual.bonds.models import Event, Exchange, Prompt, Reply

pytestmark = pytest.mark.django_db

AT = T0 + timedelta(hours=2)


@pytest.fixture
def w() -> World:
    return world()


def _at_depth(w: World, depth: int) -> None:
    deep = Prompt.objects.filter(bond__isnull=True, depth=depth, audience="both").first()
    assert deep is not None
    Exchange.objects.filter(pk=w.exchange.pk).update(prompt=deep)


def _reply(w: World, makes_sense: str, *, costly: bool = False) -> Reply:
    return services.reply_write(
        revelation=w.alice_rev,
        author=w.bob,
        heard="You miss the sea.",
        makes_sense=makes_sense,
        care="I am here.",
        costly=costly,
        at=AT,
    )


@pytest.mark.parametrize("depth", [0, 1])
def test_why_it_makes_sense_may_stay_empty_for_a_light_question(w: World, depth: int) -> None:
    _at_depth(w, depth)
    _reply(w, "   ")
    view = selectors.reply_for(revelation=w.alice_rev, viewer=w.alice)
    assert view is not None
    assert view.makes_sense == ""


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_why_it_makes_sense_is_asked_for_from_meaningful_on(w: World, depth: int) -> None:
    _at_depth(w, depth)
    with pytest.raises(Invalid, match="Why it makes sense is empty"):
        _reply(w, "")
    assert not Reply.objects.filter(revelation=w.alice_rev).exists()


def test_the_form_follows_the_depth() -> None:
    data = {"heard": "h", "makes_sense": "", "care": "c"}
    assert ReplyForm(data, depth=0).is_valid()
    assert ReplyForm(data, depth=1).is_valid()
    deep = ReplyForm(data, depth=2)
    assert not deep.is_valid()
    assert "makes_sense" in deep.errors
    assert "optional" in str(ReplyForm(depth=0)["makes_sense"].label)


def test_the_note_of_effort_reaches_the_engine_and_no_one_else(w: World) -> None:
    _reply(w, "It makes sense.", costly=True)
    services.rating_give(
        revelation=w.alice_rev, rater=w.alice, understood=7, validated=7, cared=7,
        thanked=False, at=AT,
    )  # fmt: skip
    rated = [e.payload for e in Event.objects.filter(bond=w.bond, kind="Rated")]
    assert [p["costly"] for p in rated] == [True]
    for_alice = selectors.reply_for(revelation=w.alice_rev, viewer=w.alice)
    for_bob = selectors.reply_for(revelation=w.alice_rev, viewer=w.bob)
    assert for_alice is not None
    assert for_bob is not None
    assert (for_alice.costly, for_bob.costly) == (False, True)
    page = client_for(w.alice).get(reverse("bonds:exchange", args=[w.exchange.pk]))
    assert b"effort" not in page.content
    assert b"cost" not in page.content
    own = client_for(w.bob).get(reverse("bonds:exchange", args=[w.exchange.pk]))
    assert "only you see this" in own.content.decode()


def test_the_reply_form_says_what_validating_is_and_what_to_leave_out(w: World) -> None:
    page = client_for(w.bob).get(reverse("bonds:reply", args=[w.alice_rev.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "is not agreeing with it" in text
    for avoid in ("fixing it", "comparing it", "judging", "at least"):
        assert avoid in text
    assert "given who they are" not in text


def test_writing_a_question_suggests_a_depth_and_how_to_ask(w: World) -> None:
    assert [suggested_depth(d) for d in range(5)] == [0, 0, 1, 2, 3]
    form = PromptForm(open_depth=3, themes=["joys"])
    assert form.fields["depth"].initial == 2
    assert "Meaningful" in str(form.fields["depth"].help_text)
    page = client_for(w.alice).get(reverse("bonds:prompt_new", args=[w.bond.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "not for a verdict or a confession" in text
    assert "We suggest Surface" in text
