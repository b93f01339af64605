"""What a careful first user meets, in Chromium: invite links whose code never reaches
the server, names chosen by the person, a sealed answer taken back unseen, and a question
picker that stays short on a phone and works from the keyboard. axe-core finds no
serious or critical problem on any page visited; pages are photographed at 390px and
1280px under ``var/screenshots/polish/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pages import confirm_by_mail, keep_recovery_key

from factories import PASSWORD, person
from mutual.accounts.models import Person
from mutual.bonds import services
from mutual.bonds.models import Bond, Exchange, Prompt, Revelation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SEALED = "Alice canary: a sealed answer she will take back"


def sign_in(page: Any, server: str, who: Person) -> None:
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=login]", who.email)
    page.fill("input[name=password]", PASSWORD)
    # The page asks for the salt before it sends the form (docs/e2e.md).
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def waiting_bond(alice: Person) -> tuple[Bond, str]:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=datetime.now(UTC))
    return bond, code


def active_bond(alice: Person, bob: Person) -> Bond:
    _bond, code = waiting_bond(alice)
    return services.invite_accept(code=code, person=bob, at=datetime.now(UTC))


def check(page: Any, axe_check: Callable[[Any], None], shoot: Callable, name: str) -> None:
    page.wait_for_load_state()
    assert page.title() == "Mutual"
    axe_check(page)
    shoot(page, f"polish/{name}")


def test_an_invite_link_brings_a_newcomer_through_sign_up_into_the_bond(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice = person("Alice")
    bond, code = waiting_bond(alice)
    context = new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()

    page.goto(f"{server}/join/#{code}")
    check(page, axe_check, screenshot, "join-signed-out")
    assert page.get_by_label("Invite code").input_value() == code
    assert "#" not in page.url  # the code left the address bar and this history entry
    page.get_by_role("button", name="Create an account").click()
    page.wait_for_load_state()
    assert "/accounts/signup/" in page.url
    page.fill("input[name=email]", "bob@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    keep_recovery_key(page)
    assert "/accounts/confirm-email/" in page.url
    confirm_by_mail(page, server, "bob@example.org")

    page.wait_for_url(f"{server}/join/")
    check(page, axe_check, screenshot, "join-after-sign-up")
    assert page.get_by_label("Invite code").input_value() == code
    name = page.get_by_label("Your name, as they will see it")
    assert name.input_value() == ""
    page.get_by_role("button", name="Join").click()
    page.wait_for_load_state()
    assert "Write the name the other person will see" in page.content()
    bond.refresh_from_db()
    assert bond.status == Bond.Status.WAITING
    page.get_by_label("Your name, as they will see it").fill("  Bobby  ")
    page.get_by_role("button", name="Join").click()
    page.wait_for_url(f"{server}/bonds/{bond.pk}/")
    check(page, axe_check, screenshot, "bond-joined")
    assert "You and Alice" in page.content()

    bond.refresh_from_db()
    assert bond.status == Bond.Status.ACTIVE
    assert bond.person_b is not None
    assert bond.person_b.display_name == "Bobby"
    assert asked
    assert [url for url in asked if code in url] == []


def test_without_javascript_the_code_is_typed_into_the_same_form(
    server: str, browser: Any, axe_check: Callable, screenshot: Callable
) -> None:
    alice, bob = person("Alice"), person("Bob", display_name="")
    bond, code = waiting_bond(alice)
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, server, bob)
        page.goto(f"{server}/join/#{code}")
        assert page.get_by_label("Invite code").input_value() == ""
        assert page.get_by_label("Your name, as they will see it").input_value() == ""
        page.get_by_label("Invite code").fill(code)
        page.get_by_label("Your name, as they will see it").fill("Bob")
        page.get_by_role("button", name="Join").click()
        page.wait_for_url(f"{server}/bonds/{bond.pk}/")
        assert "You and Alice" in page.content()
    finally:
        context.close()
    bob.refresh_from_db()
    assert bob.display_name == "Bob"


def test_a_sealed_answer_is_taken_back_and_the_question_waits_again(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice, bob = person("Alice"), person("Bob")
    bond = active_bond(alice, bob)
    prompt = Prompt.objects.filter(bond__isnull=True, depth=0, audience="both").first()
    assert prompt is not None
    exchange = services.exchange_open(bond=bond, by=alice, prompt=prompt, at=datetime.now(UTC))
    services.revelation_write(
        exchange=exchange, author=alice, body=SEALED, emotional=False, at=datetime.now(UTC)
    )
    page = new_context().new_page()
    sign_in(page, server, alice)
    page.goto(f"{server}/exchanges/{exchange.pk}/")
    check(page, axe_check, screenshot, "exchange-sealed-take-back")
    assert page.get_by_role("link", name="Withdraw my answer").count() == 0
    delete = page.get_by_role("button", name="Delete my answer")
    assert not delete.is_visible()
    page.get_by_text("Take back my answer").click()
    assert "Bob has not read it" in page.locator(".take-back").inner_text()
    delete.click()
    page.wait_for_load_state()
    check(page, axe_check, screenshot, "exchange-taken-back")
    assert "taken back and deleted" in page.content()
    assert page.get_by_label("Your answer").input_value() == ""
    assert not Revelation.objects.filter(exchange=exchange).exists()
    assert Exchange.objects.get(pk=exchange.pk).revealed_at is None


def test_the_question_picker_on_a_phone_is_short_and_works_from_the_keyboard(
    server: str, new_context: Callable[[], Any], axe_check: Callable, screenshot: Callable
) -> None:
    alice, bob = person("Alice"), person("Bob")
    bond = active_bond(alice, bob)
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, server, alice)
    page.goto(f"{server}/bonds/{bond.pk}/prompts/")
    check(page, axe_check, screenshot, "prompts")
    page.set_viewport_size({"width": 390, "height": 900})
    visible = page.locator(".prompt__pick:visible")
    assert visible.count() == 7  # one for each theme open to partners who have not opted in
    deep = Prompt.objects.filter(bond__isnull=True, depth=3).first()
    assert deep is not None
    assert deep.text not in page.content()

    # "N more about dreams" opens from the keyboard, and its questions can be reached.
    more = (
        Prompt.objects.filter(
            bond__isnull=True, depth=0, theme="dreams", audience="both", retired=False
        ).count()
        - 1
    )
    summary = page.get_by_text(f"{more} more about dreams")
    summary.focus()
    page.keyboard.press("Enter")
    assert visible.count() == 7 + more
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return {cls: el.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }"
    )
    assert focused["cls"] == "prompt__pick"
    assert focused["outline"] != "none"
    assert focused["width"] >= 2

    # The theme filter is a plain link: the page for one theme lists every question of it.
    page.get_by_role("link", name="Fears", exact=True).click()
    page.wait_for_load_state()
    check(page, axe_check, screenshot, "prompts-fears")
    fears = Prompt.objects.filter(bond__isnull=True, depth=0, theme="fears", audience="both")
    assert page.locator(".prompt__pick:visible").count() == fears.count()

    # Asking by pressing Enter on a question opens its exchange.
    page.locator(".prompt__pick").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/exchanges/**")
    check(page, axe_check, screenshot, "exchange-asked-from-keyboard")
    assert Exchange.objects.filter(bond=bond).count() == 1


def test_the_invite_link_is_copied_with_one_press(
    server: str, browser: Any, axe_check: Callable, screenshot: Callable
) -> None:
    alice = person("Alice")
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    context = browser.new_context(
        viewport={"width": 390, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    try:
        page = context.new_page()
        sign_in(page, server, alice)
        page.goto(f"{server}/bonds/{bond.pk}/invite/")
        page.get_by_role("button", name="Make an invite").click()
        page.wait_for_load_state()
        check(page, axe_check, screenshot, "invite-created")
        link = page.locator("[data-invite-link]").inner_text().strip()
        page.get_by_role("button", name="Copy the link").click()
        page.get_by_text("The link is copied.").wait_for()
        assert page.evaluate("() => navigator.clipboard.readText()") == link
    finally:
        context.close()
