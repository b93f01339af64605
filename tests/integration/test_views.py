"""The web pages of the core loop, walked with Django's test client."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from mutual.accounts.models import Person
from mutual.bonds.models import Bond, Exchange, Prompt, Rating, Revelation

pytestmark = pytest.mark.django_db

PASSWORD = "a long and quiet evening"


def person(name: str) -> Person:
    return Person.objects.create_user(f"{name.lower()}@example.org", PASSWORD, display_name=name)


def client_for(who: Person) -> Client:
    client = Client()
    client.force_login(who)
    return client


@pytest.fixture
def alice() -> Person:
    return person("Alice")


@pytest.fixture
def bob() -> Person:
    return person("Bob")


def start_bond(alice: Person, bob: Person) -> tuple[Client, Client, Bond]:
    a, b = client_for(alice), client_for(bob)
    response = a.post(reverse("bonds:list"), {"kind": "partners"})
    assert response.status_code == 302
    bond = Bond.objects.get(person_a=alice)
    page = a.post(reverse("bonds:invite", args=[bond.pk]))
    code = re.search(r"data-invite-code>([^<]+)<", page.content.decode()).group(1)
    joined = b.post(reverse("bonds:join"), {"code": code})
    assert joined.status_code == 302
    bond.refresh_from_db()
    return a, b, bond


def open_first(a: Client, bond: Bond) -> Exchange:
    prompt = Prompt.objects.filter(bond__isnull=True, depth=0, audience="both").first()
    assert prompt is not None
    response = a.post(reverse("bonds:exchange_open", args=[bond.pk]), {"prompt": str(prompt.pk)})
    assert response.status_code == 302
    return Exchange.objects.get(bond=bond)


def test_every_page_carries_the_neutral_title(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    for url in (reverse("bonds:list"), reverse("bonds:bond", args=[bond.pk])):
        html = a.get(url).content.decode()
        assert "<title>Mutual</title>" in html


def test_landing_page_invites_to_sign_up() -> None:
    html = Client().get("/").content.decode()
    assert "Create an account" in html


def test_pages_need_a_signed_in_person(alice: Person, bob: Person) -> None:
    _a, _b, bond = start_bond(alice, bob)
    response = Client().get(reverse("bonds:bond", args=[bond.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_whole_loop_through_the_pages(alice: Person, bob: Person) -> None:
    a, b, bond = start_bond(alice, bob)
    assert bond.status == Bond.Status.ACTIVE
    exchange = open_first(a, bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    assert a.post(url, {"body": "alice canary answer"}).status_code == 302
    sealed = b.get(url).content.decode()
    assert "alice canary answer" not in sealed
    assert "Sealed until you both answer" in sealed
    assert (
        "alice canary answer" not in b.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    )
    assert b.post(url, {"body": "bob canary answer", "emotional": "on"}).status_code == 302
    revealed = b.get(url).content.decode()
    assert "alice canary answer" in revealed
    alice_rev = Revelation.objects.get(exchange=exchange, side="a")
    reply_url = reverse("bonds:reply", args=[alice_rev.pk])
    response = b.post(
        reply_url,
        {"heard": "You miss the sea.", "makes_sense": "You grew up there.", "care": "I am here."},
    )
    assert response.status_code == 302
    assert "You miss the sea." in a.get(url).content.decode()
    rate_url = reverse("bonds:rate", args=[alice_rev.pk])
    assert b.get(rate_url).status_code == 404
    response = a.post(
        rate_url, {"understood": "7", "validated": "6", "cared": "7", "thanked": "on"}
    )
    assert response.status_code == 302
    assert Rating.objects.get(revelation=alice_rev).understood == 7
    bob_view = b.get(url).content.decode()
    assert "thank you for hearing me" in bob_view
    assert "rated this reply" not in bob_view


def test_empty_answer_shows_a_clear_message_and_saves_nothing(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    response = a.post(reverse("bonds:exchange", args=[exchange.pk]), {"body": "   "})
    assert response.status_code == 422
    assert "Write a few words first." in response.content.decode()
    assert not Revelation.objects.exists()


def test_rating_out_of_range_is_refused(alice: Person, bob: Person) -> None:
    a, b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    a.post(url, {"body": "one"})
    b.post(url, {"body": "two"})
    alice_rev = Revelation.objects.get(exchange=exchange, side="a")
    b.post(
        reverse("bonds:reply", args=[alice_rev.pk]), {"heard": "h", "makes_sense": "m", "care": "c"}
    )
    response = a.post(
        reverse("bonds:rate", args=[alice_rev.pk]),
        {"understood": "9", "validated": "6", "cared": "7"},
    )
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_the_creator_cannot_join_with_their_own_code(alice: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "friends"})
    bond = Bond.objects.get(person_a=alice)
    page = a.post(reverse("bonds:invite", args=[bond.pk])).content.decode()
    code = re.search(r"data-invite-code>([^<]+)<", page).group(1)
    response = a.post(reverse("bonds:join"), {"code": code})
    assert response.status_code == 422
    assert "your own invite" in response.content.decode()


def test_bond_home_shows_depth_gate_and_own_trust(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    html = a.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    assert "Surface" in html
    assert "How safe sharing with Bob feels" in html
    assert 'role="img"' in html
    assert "I am ready to go deeper" in html


def test_ready_and_step_back_are_posts_that_return_to_the_bond(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    response = a.post(reverse("bonds:ready", args=[bond.pk]), {"ready": "1"})
    assert response.status_code == 302
    html = a.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    assert "You: ready to go deeper" in html
    assert a.get(reverse("bonds:ready", args=[bond.pk])).status_code == 405


def test_prompt_picker_shows_deeper_depths_as_not_open_yet(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    html = a.get(reverse("bonds:prompts", args=[bond.pk])).content.decode()
    assert "not open yet" in html
    deep = Prompt.objects.filter(bond__isnull=True, depth=3).first()
    assert deep is not None
    assert deep.text not in html


def test_own_question_opens_an_exchange(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    response = a.post(
        reverse("bonds:prompt_new", args=[bond.pk]),
        {"text": "What song carries you home?", "depth": "0", "theme": "memories"},
    )
    assert response.status_code == 302
    assert Exchange.objects.get(bond=bond).prompt.text == "What song carries you home?"


def test_an_edit_after_the_reveal_is_shown_as_edited_with_its_date(
    alice: Person, bob: Person
) -> None:
    a, b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    a.post(url, {"body": "first words"})
    b.post(url, {"body": "bob's words"})
    assert "edited" not in b.get(url).content.decode()
    assert a.post(url, {"body": "second words"}).status_code == 302
    html = b.get(url).content.decode()
    assert "second words" in html
    assert "first words" not in html
    assert re.search(r"edited \d{1,2} \w+ \d{4}", html)


def test_an_invite_link_sends_a_signed_out_visitor_to_sign_in_and_back(
    alice: Person, bob: Person
) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "friends"})
    bond = Bond.objects.get(person_a=alice)
    page = a.post(reverse("bonds:invite", args=[bond.pk])).content.decode()
    link = re.search(r"data-invite-link>([^<]+)<", page).group(1)
    path = link.split("testserver", 1)[1]
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={path}"
    page = client_for(bob).get(path).content.decode()
    code = re.search(r'name="code"[^>]*value="([^"]+)"', page)
    assert code is not None
    assert code.group(1) in path


def test_a_paused_bond_refuses_new_answers_with_a_kind_message(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    Bond.objects.filter(pk=bond.pk).update(status=Bond.Status.PAUSED, paused_by="b")
    html = a.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    assert "This bond is resting" in html
    response = a.post(reverse("bonds:ready", args=[bond.pk]), {"ready": "1"}, follow=True)
    assert "paused" in response.content.decode()
    page = a.get(reverse("bonds:exchange", args=[exchange.pk])).content.decode()
    assert 'name="body"' not in page
