"""Services: the writes of the core loop, named after the rules they keep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from factories import T0, bond_of
from mutual import engine
from mutual.accounts.models import Person
from mutual.bonds import ledger, selectors, services
from mutual.bonds.errors import Conflict, Invalid, NotFound
from mutual.bonds.models import Bond, Event, Invite, Prompt, Revelation
from mutual.demo import seed as demo
from mutual.safety import services as safety_services

pytestmark = pytest.mark.django_db


def deck_prompt(depth: int = 0, theme: str = "dreams") -> Prompt:
    prompt = Prompt.objects.filter(bond__isnull=True, depth=depth, theme=theme).first()
    if prompt is None:
        prompt = Prompt.objects.create(
            key=f"test-{theme}-{depth}", text=f"A {theme} question", depth=depth, theme=theme
        )
    return prompt


def both_answer(bond: Bond, a: Person, b: Person, at: datetime = T0, depth: int = 0):
    exchange = services.exchange_open(bond=bond, by=a, prompt=deck_prompt(depth), at=at)
    ra = services.revelation_write(
        exchange=exchange, author=a, body="alice canary", emotional=False, at=at
    )
    rb = services.revelation_write(
        exchange=exchange, author=b, body="bob canary", emotional=True, at=at
    )
    exchange.refresh_from_db()
    return exchange, ra, rb


# --- bonds and invites ------------------------------------------------------------


def test_bond_is_created_waiting_with_its_creator_on_side_a(alice: Person) -> None:
    bond = services.bond_create(creator=alice, kind="friends", at=T0)
    assert bond.status == Bond.Status.WAITING
    assert selectors.side_of(bond=bond, person=alice) == "a"


def test_bond_kind_must_be_partners_or_friends(alice: Person) -> None:
    with pytest.raises(Invalid):
        services.bond_create(creator=alice, kind="rivals", at=T0)
    assert Bond.objects.count() == 0


def test_invite_code_is_stored_only_as_its_hash(alice: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    assert len(code) >= 20
    assert code not in invite.code_hash
    assert invite.code_hash == services.hash_code(code)
    assert invite.expires_at == T0 + timedelta(days=7)


def test_accepting_an_invite_makes_the_bond_active(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob)
    assert bond.status == Bond.Status.ACTIVE
    assert selectors.side_of(bond=bond, person=bob) == "b"


def test_invite_is_single_use(alice: Person, bob: Person, charlie: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=code, person=bob, at=T0)
    with pytest.raises(Conflict):
        services.invite_accept(code=code, person=charlie, at=T0)
    bond.refresh_from_db()
    assert bond.person_b == bob


def test_invite_expires_after_seven_days(alice: Person, bob: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    with pytest.raises(Conflict, match="expired"):
        services.invite_accept(code=code, person=bob, at=T0 + timedelta(days=7))
    bond.refresh_from_db()
    assert bond.status == Bond.Status.WAITING


def test_creator_cannot_accept_their_own_invite(alice: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    with pytest.raises(Conflict):
        services.invite_accept(code=code, person=alice, at=T0)


def test_a_full_bond_accepts_no_second_invite(alice: Person, bob: Person, charlie: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _i1, first = services.invite_create(bond=bond, by=alice, at=T0)
    _i2, second = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=first, person=bob, at=T0)
    with pytest.raises(Conflict):
        services.invite_accept(code=second, person=charlie, at=T0)
    with pytest.raises(Conflict):
        services.invite_create(bond=bond, by=alice, at=T0)


def test_unknown_invite_code_is_refused(bob: Person) -> None:
    with pytest.raises(NotFound):
        services.invite_accept(code="not-a-code", person=bob, at=T0)


def test_stranger_cannot_invite_to_a_bond(alice: Person, charlie: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    with pytest.raises(NotFound):
        services.invite_create(bond=bond, by=charlie, at=T0)
    assert Invite.objects.count() == 0


def test_a_person_may_hold_several_separate_bonds(
    alice: Person, bob: Person, charlie: Person
) -> None:
    partners = bond_of(alice, bob, "partners")
    friends = bond_of(charlie, alice, "friends")
    assert {b.pk for b in selectors.bonds_for(viewer=alice)} == {partners.pk, friends.pk}
    assert [b.pk for b in selectors.bonds_for(viewer=bob)] == [partners.pk]
    with pytest.raises(NotFound):
        selectors.bond_get(id=friends.pk, viewer=bob)


# --- exchanges ---------------------------------------------------------------------


def test_answers_are_sealed_until_both_answered(bond: Bond, alice: Person, bob: Person) -> None:
    exchange = services.exchange_open(bond=bond, by=bob, prompt=deck_prompt(), at=T0)
    ra = services.revelation_write(
        exchange=exchange, author=alice, body="alice canary", emotional=False, at=T0
    )
    exchange.refresh_from_db()
    assert exchange.revealed_at is None
    assert selectors.revelation_text_for(revelation=ra, viewer=alice) == "alice canary"
    assert selectors.revelation_text_for(revelation=ra, viewer=bob) is None
    with pytest.raises(NotFound):
        selectors.revelation_get(id=ra.pk, viewer=bob)
    assert Event.objects.filter(bond=bond).count() == 0


def test_second_answer_reveals_both_and_records_two_revealed_events(
    bond: Bond, alice: Person, bob: Person
) -> None:
    later = T0 + timedelta(hours=3)
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    ra = services.revelation_write(
        exchange=exchange, author=alice, body="alice canary", emotional=False, at=T0
    )
    services.revelation_write(exchange=exchange, author=bob, body="bob", emotional=True, at=later)
    exchange.refresh_from_db()
    assert exchange.revealed_at == later
    ra = Revelation.objects.get(pk=ra.pk)
    assert selectors.revelation_text_for(revelation=ra, viewer=bob) == "alice canary"
    kinds = list(Event.objects.filter(bond=bond).values_list("kind", "payload__author"))
    assert kinds == [("Revealed", "a"), ("Revealed", "b")]
    bond.refresh_from_db()
    state = ledger.state_of(bond)
    assert state.a.revelations == 1
    assert state.b.revelations == 1
    assert state.b.exposure == pytest.approx(engine.stake(0, True))


def test_revelation_text_is_encrypted_at_rest(bond: Bond, alice: Person, bob: Person) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    raw = bytes(Revelation.objects.get(pk=ra.pk).body_enc)
    assert b"alice canary" not in raw


def test_edit_before_reveal_is_free(bond: Bond, alice: Person) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    services.revelation_write(exchange=exchange, author=alice, body="first", emotional=False, at=T0)
    rev = services.revelation_write(
        exchange=exchange, author=alice, body="second", emotional=False, at=T0
    )
    assert rev.edited_at is None
    assert selectors.revelation_text_for(revelation=rev, viewer=alice) == "second"


def test_edit_after_reveal_is_marked_with_its_date(bond: Bond, alice: Person, bob: Person) -> None:
    exchange, _ra, _rb = both_answer(bond, alice, bob)
    later = T0 + timedelta(days=1)
    rev = services.revelation_write(
        exchange=exchange, author=alice, body="changed", emotional=False, at=later
    )
    assert rev.edited_at == later
    rev = Revelation.objects.select_related("exchange__bond", "author").get(pk=rev.pk)
    assert selectors.revelation_text_for(revelation=rev, viewer=bob) == "changed"
    assert Event.objects.filter(bond=bond).count() == 2


def test_empty_answer_is_refused_and_changes_nothing(bond: Bond, alice: Person) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    with pytest.raises(Invalid):
        services.revelation_write(
            exchange=exchange, author=alice, body="   ", emotional=False, at=T0
        )
    assert Revelation.objects.count() == 0


def test_no_exchange_deeper_than_the_open_depth(bond: Bond, alice: Person) -> None:
    with pytest.raises(Conflict, match="not open"):
        services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(depth=1), at=T0)


def test_stranger_cannot_answer(bond: Bond, alice: Person, charlie: Person) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    with pytest.raises(NotFound):
        services.revelation_write(
            exchange=exchange, author=charlie, body="hi", emotional=False, at=T0
        )


def test_desire_prompts_need_partners_who_both_opted_in(
    bond: Bond, alice: Person, bob: Person
) -> None:
    desire = Prompt.objects.create(
        key="test-desire", text="?", depth=0, theme="desire", audience="partners"
    )
    with pytest.raises(NotFound):
        services.exchange_open(bond=bond, by=alice, prompt=desire, at=T0)
    services.desire_opt_in(bond=bond, person=alice, opt_in=True, at=T0)
    assert desire not in selectors.prompts_available(bond=bond, viewer=alice)
    services.desire_opt_in(bond=bond, person=bob, opt_in=True, at=T0)
    bond.refresh_from_db()
    assert desire in selectors.prompts_available(bond=bond, viewer=alice)
    assert services.exchange_open(bond=bond, by=alice, prompt=desire, at=T0)


def test_friends_cannot_opt_in_to_desire(alice: Person, bob: Person) -> None:
    bond = bond_of(alice, bob, "friends")
    with pytest.raises(Conflict):
        services.desire_opt_in(bond=bond, person=alice, opt_in=True, at=T0)


def test_own_prompt_is_seen_only_inside_its_bond(
    alice: Person, bob: Person, charlie: Person
) -> None:
    ours = bond_of(alice, bob)
    other = bond_of(alice, charlie, "friends")
    own = services.prompt_write(
        bond=ours,
        by=bob,
        text="What made you laugh today?",
        depth=0,
        theme="joys",
        emotional=False,
        at=T0,
    )
    assert own in selectors.prompts_available(bond=ours, viewer=alice)
    assert own not in selectors.prompts_available(bond=other, viewer=alice)
    with pytest.raises(NotFound):
        services.exchange_open(bond=other, by=alice, prompt=own, at=T0)


def test_own_prompt_only_at_an_open_depth(bond: Bond, alice: Person) -> None:
    with pytest.raises(Conflict):
        services.prompt_write(
            bond=bond, by=alice, text="Deep?", depth=2, theme="fears", emotional=True, at=T0
        )
    assert not Prompt.objects.filter(bond=bond).exists()


# --- responses and ratings ---------------------------------------------------------


def test_only_the_partner_replies_and_only_after_the_reveal(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    ra = services.revelation_write(
        exchange=exchange, author=alice, body="a", emotional=False, at=T0
    )
    with pytest.raises(NotFound):
        services.reply_write(
            revelation=ra, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=T0
        )
    services.revelation_write(exchange=exchange, author=bob, body="b", emotional=False, at=T0)
    with pytest.raises(Conflict):
        services.reply_write(
            revelation=ra, author=alice, heard="h", makes_sense="m", care="c", costly=False, at=T0
        )
    response = services.reply_write(
        revelation=ra,
        author=bob,
        heard="heard",
        makes_sense="sense",
        care="care",
        costly=True,
        at=T0,
    )
    assert b"heard" not in bytes(response.heard_enc)
    ra = Revelation.objects.get(pk=ra.pk)
    view = selectors.reply_for(revelation=ra, viewer=alice)
    assert view is not None
    # The effort Bob noted is his alone: Alice, replied to, is never shown it.
    assert (view.heard, view.makes_sense, view.care, view.costly) == (
        "heard",
        "sense",
        "care",
        False,
    )
    own = selectors.reply_for(revelation=ra, viewer=bob)
    assert own is not None
    assert own.costly is True
    with pytest.raises(Conflict):
        services.reply_write(
            revelation=ra, author=bob, heard="h", makes_sense="m", care="c", costly=False, at=T0
        )


def test_reply_needs_what_was_heard_and_a_word_of_care(
    bond: Bond, alice: Person, bob: Person
) -> None:
    """Why it makes sense is asked for from Meaningful on (tests/integration/test_coaching.py)."""
    _ex, ra, _rb = both_answer(bond, alice, bob)
    with pytest.raises(Invalid, match="What you heard"):
        services.reply_write(
            revelation=ra, author=bob, heard=" ", makes_sense="m", care="c", costly=False, at=T0
        )
    with pytest.raises(Invalid, match="Your care"):
        services.reply_write(
            revelation=ra, author=bob, heard="h", makes_sense="m", care=" ", costly=False, at=T0
        )


def reply(rev: Revelation, by: Person, costly: bool = False) -> None:
    services.reply_write(
        revelation=rev, author=by, heard="h", makes_sense="m", care="c", costly=costly, at=T0
    )


def test_rating_needs_a_reply_first(bond: Bond, alice: Person, bob: Person) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    with pytest.raises(Conflict):
        services.rating_give(
            revelation=ra, rater=alice, understood=7, validated=7, cared=7, thanked=False, at=T0
        )


def test_only_the_revealer_rates(bond: Bond, alice: Person, bob: Person) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    reply(ra, bob)
    with pytest.raises(NotFound):
        services.rating_give(
            revelation=ra, rater=bob, understood=7, validated=7, cared=7, thanked=False, at=T0
        )


def test_rating_is_recorded_by_the_engine_and_final(bond: Bond, alice: Person, bob: Person) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    reply(ra, bob, costly=True)
    services.rating_give(
        revelation=ra, rater=alice, understood=7, validated=6, cared=7, thanked=True, at=T0
    )
    bond.refresh_from_db()
    last = Event.objects.filter(bond=bond).order_by("-seq").first()
    assert last is not None
    assert last.kind == "Rated"
    assert last.payload["author"] == "a"
    assert last.payload["costly"] is True
    assert ledger.replay(bond).matches
    assert ledger.state_of(bond).a.cells == frozenset({(0, "dreams")})
    with pytest.raises(Conflict, match="final"):
        services.rating_give(
            revelation=ra, rater=alice, understood=1, validated=1, cared=1, thanked=False, at=T0
        )


@pytest.mark.parametrize("bad", [0, 8, "seven", None, 3.5])
def test_ratings_lie_between_one_and_seven(
    bond: Bond, alice: Person, bob: Person, bad: object
) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    reply(ra, bob)
    with pytest.raises(Invalid):
        services.rating_give(
            revelation=ra,
            rater=alice,
            understood=bad,
            validated=5,
            cared=5,
            thanked=False,
            at=T0,  # type: ignore[arg-type]
        )
    assert Event.objects.filter(bond=bond, kind="Rated").count() == 0


def test_partner_sees_only_the_thanks_never_the_numbers(
    bond: Bond, alice: Person, bob: Person
) -> None:
    _ex, ra, _rb = both_answer(bond, alice, bob)
    reply(ra, bob)
    services.rating_give(
        revelation=ra, rater=alice, understood=7, validated=7, cared=7, thanked=True, at=T0
    )
    ra = Revelation.objects.get(pk=ra.pk)
    assert selectors.rating_for(revelation=ra, viewer=bob) is None
    assert selectors.rating_for(revelation=ra, viewer=alice) is not None
    view = selectors.reply_for(revelation=ra, viewer=bob)
    assert view is not None
    assert view.thanked


# --- the gate ----------------------------------------------------------------------


def honored_round(bond: Bond, a: Person, b: Person, at: datetime, depth: int) -> None:
    exchange = services.exchange_open(bond=bond, by=a, prompt=deck_prompt(depth, "hurts"), at=at)
    ra = services.revelation_write(exchange=exchange, author=a, body="x", emotional=True, at=at)
    rb = services.revelation_write(exchange=exchange, author=b, body="y", emotional=True, at=at)
    reply(ra, b)
    reply(rb, a)
    for rev, who in ((ra, a), (rb, b)):
        services.rating_give(
            revelation=rev, rater=who, understood=7, validated=7, cared=7, thanked=False, at=at
        )


def test_readiness_of_both_and_honored_exchanges_open_the_next_depth(
    bond: Bond, alice: Person, bob: Person
) -> None:
    for day in range(3):
        honored_round(bond, alice, bob, T0 + timedelta(days=day), 0)
    bond.refresh_from_db()
    assert ledger.state_of(bond).open_depth == 0
    services.readiness_set(bond=bond, person=alice, ready=True, at=T0 + timedelta(days=3))
    bond.refresh_from_db()
    assert ledger.state_of(bond).open_depth == 0
    services.readiness_set(bond=bond, person=bob, ready=True, at=T0 + timedelta(days=3))
    bond.refresh_from_db()
    assert ledger.state_of(bond).open_depth == 1
    assert ledger.replay(bond).matches


def test_either_person_steps_back_alone(bond: Bond, alice: Person, bob: Person) -> None:
    for day in range(3):
        honored_round(bond, alice, bob, T0 + timedelta(days=day), 0)
    at = T0 + timedelta(days=3)
    services.readiness_set(bond=bond, person=alice, ready=True, at=at)
    services.readiness_set(bond=bond, person=bob, ready=True, at=at)
    services.bond_step_back(bond=bond, person=bob, at=at)
    bond.refresh_from_db()
    assert ledger.state_of(bond).open_depth == 0


def test_paused_bond_refuses_new_writes_kindly(bond: Bond, alice: Person) -> None:
    Bond.objects.filter(pk=bond.pk).update(status=Bond.Status.PAUSED, paused_by="b")
    bond.refresh_from_db()
    with pytest.raises(Conflict, match="paused"):
        services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    with pytest.raises(Conflict, match="paused"):
        services.readiness_set(bond=bond, person=alice, ready=True, at=T0)


# --- the demo ----------------------------------------------------------------------


def test_demo_builds_a_living_bond_once_through_the_services() -> None:

    now = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    bond, created = demo.build(now=now)
    assert created
    again, created_again = demo.build(now=now + timedelta(days=1))
    assert again.pk == bond.pk
    assert not created_again
    bond.refresh_from_db()
    assert ledger.replay(bond).matches
    assert ledger.state_of(bond).open_depth == 2
    alice = Person.objects.get(email=demo.PEOPLE[0][1])
    waiting = {w.kind for w in selectors.bond_home(bond=bond, viewer=alice, at=now).waiting}
    assert waiting == {"answer", "reply", "rate"}
    first = Event.objects.filter(bond=bond).order_by("seq").first()
    assert first is not None
    assert first.at >= now - timedelta(days=demo.DAYS)


# --- names ---------------------------------------------------------------------------


def test_the_name_given_when_starting_a_bond_is_trimmed_and_kept(charlie: Person) -> None:
    services.bond_create(creator=charlie, kind="friends", name="  Charlie \n Brown ", at=T0)
    charlie.refresh_from_db()
    assert charlie.display_name == "Charlie Brown"


@pytest.mark.parametrize("name", ["", "   ", "x" * 61, 42])
def test_a_name_that_is_empty_long_or_not_text_is_refused_and_no_bond_begins(
    charlie: Person, name: object
) -> None:
    with pytest.raises(Invalid):
        services.bond_create(creator=charlie, kind="friends", name=name, at=T0)  # type: ignore[arg-type]
    assert not Bond.objects.filter(person_a=charlie).exists()
    charlie.refresh_from_db()
    assert charlie.display_name == "Charlie"


def test_sixty_characters_is_a_name(charlie: Person) -> None:
    services.bond_create(creator=charlie, kind="friends", name="c" * 60, at=T0)
    charlie.refresh_from_db()
    assert charlie.display_name == "c" * 60


def test_the_name_given_when_joining_is_what_the_other_sees(alice: Person, bob: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    services.invite_accept(code=code, person=bob, name="Robert", at=T0)
    bond.refresh_from_db()
    assert selectors.bond_home(bond=bond, viewer=alice, at=T0).partner_name == "Robert"


def test_a_refused_invite_keeps_the_old_name(alice: Person, bob: Person) -> None:
    bond = services.bond_create(creator=alice, kind="partners", at=T0)
    _invite, code = services.invite_create(bond=bond, by=alice, at=T0)
    with pytest.raises(Conflict):
        services.invite_accept(code=code, person=bob, name="Robert", at=T0 + timedelta(days=8))
    bob.refresh_from_db()
    assert bob.display_name == "Bob"


# --- taking back a sealed answer -----------------------------------------------------


def test_a_sealed_answer_taken_back_is_deleted_and_leaves_no_event(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    rev = services.revelation_write(
        exchange=exchange, author=alice, body="alice canary", emotional=False, at=T0
    )
    events = Event.objects.filter(bond=bond).count()
    services.revelation_take_back(revelation=rev, person=alice, at=T0 + timedelta(minutes=5))
    assert not Revelation.objects.filter(pk=rev.pk).exists()
    assert Event.objects.filter(bond=bond).count() == events
    # Bob's answer opens nothing; Alice may answer again, and then both open.
    services.revelation_write(exchange=exchange, author=bob, body="bob", emotional=False, at=T0)
    exchange.refresh_from_db()
    assert exchange.revealed_at is None
    services.revelation_write(
        exchange=exchange, author=alice, body="a second try", emotional=False, at=T0
    )
    exchange.refresh_from_db()
    assert exchange.revealed_at is not None
    view = selectors.exchange_view(exchange=exchange, viewer=bob)
    assert view.theirs.text == "a second try"


def test_an_open_answer_cannot_be_taken_back_only_withdrawn(
    bond: Bond, alice: Person, bob: Person
) -> None:
    _exchange, ra, _rb = both_answer(bond, alice, bob)
    with pytest.raises(Conflict):
        services.revelation_take_back(revelation=ra, person=alice, at=T0)
    assert Revelation.objects.filter(pk=ra.pk).exists()


def test_only_the_author_takes_an_answer_back(
    bond: Bond, alice: Person, bob: Person, charlie: Person
) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    rev = services.revelation_write(
        exchange=exchange, author=alice, body="alice canary", emotional=False, at=T0
    )
    for other in (bob, charlie):
        with pytest.raises(NotFound):
            services.revelation_take_back(revelation=rev, person=other, at=T0)
    assert Revelation.objects.filter(pk=rev.pk).exists()


def test_a_sealed_answer_can_be_taken_back_in_a_paused_bond(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    rev = services.revelation_write(
        exchange=exchange, author=alice, body="alice canary", emotional=False, at=T0
    )
    safety_services.bond_pause(bond=bond, person=bob, at=T0)
    services.revelation_take_back(revelation=rev, person=alice, at=T0)
    assert not Revelation.objects.filter(pk=rev.pk).exists()


def test_withdrawing_a_sealed_answer_takes_it_back_outright(
    bond: Bond, alice: Person, bob: Person
) -> None:
    exchange = services.exchange_open(bond=bond, by=alice, prompt=deck_prompt(), at=T0)
    sealed = services.revelation_write(
        exchange=exchange, author=alice, body="first thoughts", emotional=False, at=T0
    )
    safety_services.revelation_withdraw(
        revelation=sealed, person=alice, at=T0 + timedelta(minutes=1)
    )
    assert not Revelation.objects.filter(pk=sealed.pk).exists()
    services.revelation_write(
        exchange=exchange, author=bob, body="Bob's answer", emotional=False, at=T0
    )
    exchange.refresh_from_db()
    assert exchange.revealed_at is None
    assert not Event.objects.filter(bond=bond, kind="Revealed").exists()
    services.revelation_write(
        exchange=exchange, author=alice, body="second thoughts", emotional=False, at=T0
    )
    exchange.refresh_from_db()
    assert exchange.revealed_at is not None
