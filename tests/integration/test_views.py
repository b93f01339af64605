"""The web pages of the core loop, walked with Django's test client."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from factories import PASSWORD, client_for
from mutual.accounts.models import Person
from mutual.bonds import selectors
from mutual.bonds.models import Bond, Exchange, Prompt, Rating, Revelation

pytestmark = pytest.mark.django_db


def invite_code(client: Client, bond: Bond) -> str:
    page = client.post(reverse("bonds:invite", args=[bond.pk])).content.decode()
    found = re.search(r"data-invite-code>([^<]+)<", page)
    assert found is not None
    return found.group(1)


def start_bond(alice: Person, bob: Person) -> tuple[Client, Client, Bond]:
    a, b = client_for(alice), client_for(bob)
    response = a.post(reverse("bonds:list"), {"kind": "partners", "name": alice.display_name})
    assert response.status_code == 302
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    joined = b.post(reverse("bonds:join"), {"code": code, "name": bob.display_name})
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
    a.post(reverse("bonds:list"), {"kind": "friends", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    response = a.post(reverse("bonds:join"), {"code": code, "name": "Alice"})
    assert response.status_code == 422
    assert "your own invite" in response.content.decode()


def test_bond_home_shows_depth_gate_and_own_trust(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    open_first(a, bond)
    html = a.get(reverse("bonds:bond", args=[bond.pk])).content.decode()
    assert "Surface" in html
    # Her own trust and the onion are one tap away, on the numbers page.
    numbers = a.get(reverse("bonds:numbers", args=[bond.pk])).content.decode()
    assert "How safe sharing with Bob feels" in numbers
    assert 'role="img"' in numbers
    # A new bond: Alice's own conditions are not in place yet, so she is told which, and
    # no "ready" is offered until they are.
    assert "One of your own answers at Surface depth that felt honored to you." in html
    assert "I am ready to go deeper" not in html


def test_ready_and_step_back_are_posts_that_return_to_the_bond(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    open_first(a, bond)
    response = a.post(reverse("bonds:ready", args=[bond.pk]), {"ready": "1"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][1] == 302
    assert "You can say you are ready once this is in place" in html
    assert "You have not said you are ready yet." in html
    stepped = a.post(reverse("bonds:step_back", args=[bond.pk]))
    assert stepped.status_code == 302
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
    prompt = Exchange.objects.get(bond=bond).prompt
    assert prompt.text == ""  # sealed with Alice's key
    text = selectors.prompt_text_for(prompt=prompt, bond=bond, viewer=alice)
    assert text == "What song carries you home?"


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


def test_an_older_invite_link_with_the_code_in_its_path_still_works(
    alice: Person, bob: Person
) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "friends", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    path = reverse("bonds:join_code", args=[code])
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={path}"
    page = client_for(bob).get(path).content.decode()
    found = re.search(r'name="code"[^>]*value="([^"]+)"', page)
    assert found is not None
    assert found.group(1) == code


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


# --- names --------------------------------------------------------------------------


def test_starting_a_bond_asks_for_the_name_the_other_will_see(bob: Person) -> None:
    charlie = Person.objects.create_user("charlie@example.org", PASSWORD)
    c = client_for(charlie)
    page = c.get(reverse("bonds:list")).content.decode()
    assert "Your name, as they will see it" in page
    response = c.post(reverse("bonds:list"), {"kind": "friends", "name": "  Charlie   B. "})
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert charlie.display_name == "Charlie B."
    bond = Bond.objects.get(person_a=charlie)
    code = invite_code(c, bond)
    client_for(bob).post(reverse("bonds:join"), {"code": code, "name": "Bob"})
    assert "You and Charlie B." in client_for(bob).get(bond_url(bond)).content.decode()
    assert "charlie@" not in client_for(bob).get(reverse("bonds:list")).content.decode()


def test_the_name_field_is_filled_with_the_name_already_chosen(alice: Person) -> None:
    page = client_for(alice).get(reverse("bonds:list")).content.decode()
    assert re.search(r'name="name"[^>]*value="Alice"', page)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Write the name the other person will see"),
        ("x" * 61, "longer than 60 characters"),
    ],
)
def test_a_blank_or_long_name_is_refused_and_no_bond_begins(
    alice: Person, name: str, message: str
) -> None:
    response = client_for(alice).post(reverse("bonds:list"), {"kind": "friends", "name": name})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Bond.objects.exists()
    alice.refresh_from_db()
    assert alice.display_name == "Alice"


def test_joining_asks_for_the_name_and_the_other_sees_it(alice: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "partners", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    newcomer = Person.objects.create_user("bob.smith@example.org", PASSWORD)
    b = client_for(newcomer)
    refused = b.post(reverse("bonds:join"), {"code": code, "name": ""})
    assert refused.status_code == 422
    assert "Write the name the other person will see" in refused.content.decode()
    bond.refresh_from_db()
    assert bond.status == Bond.Status.WAITING
    assert b.post(reverse("bonds:join"), {"code": code, "name": "Bobby"}).status_code == 302
    html = a.get(bond_url(bond)).content.decode()
    assert "You and Bobby" in html
    assert "bob.smith" not in html.lower()


def test_a_refused_invite_leaves_the_name_as_it_was(alice: Person, bob: Person) -> None:
    response = client_for(bob).post(reverse("bonds:join"), {"code": "no-such-code", "name": "B"})
    assert response.status_code == 422
    assert "not valid" in response.content.decode()
    bob.refresh_from_db()
    assert bob.display_name == "Bob"


# --- invites out of the address -----------------------------------------------------


def test_the_invite_link_carries_its_code_after_the_hash(alice: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "friends", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    page = a.post(reverse("bonds:invite", args=[bond.pk])).content.decode()
    link = re.search(r"data-invite-link>([^<]+)<", page)
    code = re.search(r"data-invite-code>([^<]+)<", page)
    assert link is not None
    assert code is not None
    assert link.group(1) == f"http://testserver/join/#{code.group(1)}"


def test_the_join_page_loads_its_own_script_and_no_inline_one(bob: Person) -> None:
    html = client_for(bob).get(reverse("bonds:join")).content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert any("mutual/join.js" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)
    assert "style=" not in html


def test_a_signed_out_visitor_keeps_the_invite_through_sign_up(alice: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "partners", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    visitor = Client()
    page = visitor.get(reverse("bonds:join"))
    assert page.status_code == 200
    assert "Create an account" in page.content.decode()
    sent = visitor.post(reverse("bonds:join"), {"code": code, "then": "sign-up"})
    assert sent.status_code == 302
    assert sent["Location"] == f"{reverse('account_signup')}?next=/join/"
    bob = Person.objects.create_user("bob@example.org", PASSWORD)
    visitor.force_login(bob)
    form = visitor.get(reverse("bonds:join")).content.decode()
    assert re.search(rf'name="code"[^>]*value="{re.escape(code)}"', form)
    assert visitor.post(reverse("bonds:join"), {"code": code, "name": "Bob"}).status_code == 302
    bond.refresh_from_db()
    assert bond.person_b == bob


def test_a_signed_out_visitor_who_has_an_account_goes_to_sign_in() -> None:
    sent = Client().post(reverse("bonds:join"), {"code": "some-code", "then": "sign-in"})
    assert sent["Location"] == f"{reverse('account_login')}?next=/join/"


def test_a_signed_out_visitor_without_a_code_is_asked_for_it() -> None:
    response = Client().post(reverse("bonds:join"), {"code": "", "then": "sign-up"})
    assert response.status_code == 422
    assert "Enter the invite code you were given." in response.content.decode()


# --- taking back a sealed answer ----------------------------------------------------


def test_a_sealed_answer_can_be_taken_back_from_the_exchange_page(
    alice: Person, bob: Person
) -> None:
    a, b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    a.post(url, {"body": "alice canary, sealed"})
    rev = Revelation.objects.get(exchange=exchange, side="a")
    page = a.get(url).content.decode()
    take_back = reverse("bonds:take_back", args=[rev.pk])
    assert f'action="{take_back}"' in page
    assert "Withdraw my answer" not in page
    assert b.post(take_back).status_code == 404
    assert a.get(take_back).status_code == 405
    response = a.post(take_back, follow=True)
    assert "taken back and deleted" in response.content.decode()
    assert not Revelation.objects.filter(exchange=exchange).exists()
    assert 'name="body"' in response.content.decode()
    # Bob answers: nothing opens, because Alice has no answer any more.
    b.post(url, {"body": "bob's answer"})
    exchange.refresh_from_db()
    assert exchange.revealed_at is None


def test_an_open_answer_offers_withdrawal_not_taking_back(alice: Person, bob: Person) -> None:
    a, b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    url = reverse("bonds:exchange", args=[exchange.pk])
    a.post(url, {"body": "one"})
    b.post(url, {"body": "two"})
    rev = Revelation.objects.get(exchange=exchange, side="a")
    page = a.get(url).content.decode()
    assert "Withdraw my answer" in page
    assert reverse("bonds:take_back", args=[rev.pk]) not in page
    response = a.post(reverse("bonds:take_back", args=[rev.pk]), follow=True)
    assert "can no longer be taken back" in response.content.decode()
    assert Revelation.objects.filter(pk=rev.pk).exists()


# --- the prompt picker --------------------------------------------------------------


def picked(html: str) -> list[str]:
    """Question texts outside any folded "show more"."""
    unfolded = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    return re.findall(r'class="prompt__text">([^<]+)<', unfolded)


def test_the_prompt_picker_shows_one_per_theme_and_folds_the_rest(
    alice: Person, bob: Person
) -> None:
    a, _b, bond = start_bond(alice, bob)
    html = a.get(reverse("bonds:prompts", args=[bond.pk])).content.decode()
    shown = picked(html)
    themes = ["dreams", "hurts", "fears", "joys", "memories", "values", "needs"]
    assert len(shown) == len(themes)
    dreams = Prompt.objects.filter(
        bond__isnull=True, depth=0, theme="dreams", audience="both", retired=False
    ).count()
    assert f"{dreams - 1} more about dreams" in html
    assert "desire" not in html.lower()


def test_the_theme_filter_shows_every_question_of_one_theme(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    html = a.get(reverse("bonds:prompts", args=[bond.pk]) + "?theme=fears").content.decode()
    fears = Prompt.objects.filter(bond__isnull=True, depth=0, theme="fears", audience="both")
    assert sorted(picked(html)) == sorted(p.text for p in fears)
    assert 'aria-current="page">Fears<' in html


def test_an_unknown_theme_shows_all_themes(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    html = a.get(reverse("bonds:prompts", args=[bond.pk]) + "?theme=<b>").content.decode()
    assert 'aria-current="page">All themes<' in html
    assert "<b>" not in html


def test_a_question_already_open_leads_to_its_exchange(alice: Person, bob: Person) -> None:
    a, _b, bond = start_bond(alice, bob)
    exchange = open_first(a, bond)
    html = a.get(
        reverse("bonds:prompts", args=[bond.pk]) + f"?theme={exchange.prompt.theme}"
    ).content.decode()
    assert reverse("bonds:exchange", args=[exchange.pk]) in html
    assert "Already open between you" in html


def bond_url(bond: Bond) -> str:
    return reverse("bonds:bond", args=[bond.pk])


def test_copy_buttons_stay_hidden_until_the_script_shows_them(alice: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "friends", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    page = a.post(reverse("bonds:invite", args=[bond.pk])).content.decode()
    buttons = re.findall(r"<button[^>]*data-copy=[^>]*>", page)
    assert len(buttons) == 2
    assert all(" hidden" in tag for tag in buttons)
    assert "mutual/invite.js" in page


def test_a_kept_invite_that_is_used_up_is_not_offered_again(alice: Person, bob: Person) -> None:
    a = client_for(alice)
    a.post(reverse("bonds:list"), {"kind": "partners", "name": "Alice"})
    bond = Bond.objects.get(person_a=alice)
    code = invite_code(a, bond)
    client_for(bob).post(reverse("bonds:join"), {"code": code, "name": "Bob"})
    visitor = Client()
    visitor.post(reverse("bonds:join"), {"code": code, "then": "sign-up"})
    visitor.force_login(Person.objects.create_user("charlie@example.org", PASSWORD))
    refused = visitor.post(reverse("bonds:join"), {"code": code, "name": "Charlie"})
    assert refused.status_code == 422
    assert "already been used" in refused.content.decode()
    again = visitor.get(reverse("bonds:join")).content.decode()
    assert code not in again


def test_bonds_in_use_come_before_those_still_waiting(alice: Person, bob: Person) -> None:
    a, _b, _bond = start_bond(alice, bob)
    a.post(reverse("bonds:list"), {"kind": "friends", "name": "Alice"})
    html = a.get(reverse("bonds:list")).content.decode()
    assert html.index("With Bob") < html.index("Waiting for someone to join")
