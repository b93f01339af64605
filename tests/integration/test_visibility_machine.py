"""A Hypothesis state machine over what two people and a stranger can see (DESIGN §3,
SECURITY.md 1, 4 and 18).

Alice and Bob share a bond; Charlie is a stranger. Steps: open an exchange, answer,
reply, rate, withdraw, report (any kind), pause, resume, leave and delete an account,
each through the real services with the time passed in. After every step, what each
person sees through the selectors must equal a small model of the rules:

* an answer's text: its author while not withdrawn; the partner only once both answered,
  while not withdrawn and while neither has left; never anyone else;
* a reply: its writer and the one it answers, while that answer is not withdrawn and
  (for the one it answers) while neither has left; never anyone else;
* a rating and a report: the one who gave it, never the partner;
* anything a viewer may not see does not exist for them (``NotFound``).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mutual.accounts.models import Person
from mutual.bonds import selectors, services, waiting
from mutual.bonds.errors import NotFound
from mutual.bonds.models import Bond, Exchange, Revelation
from mutual.safety import selectors as safety_selectors
from mutual.safety import services as safety_services
from mutual.yourdata import services as account_services

SIDES = ("a", "b")
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass
class ModelAnswer:
    id: uuid.UUID
    side: str
    text: str
    exchange: int
    withdrawn: bool = False
    reply: str | None = None
    reply_id: uuid.UUID | None = None
    rated: bool = False


@dataclass
class Model:
    status: str = "active"
    paused_by: str = ""
    left_by: str = ""
    deleted: set[str] = field(default_factory=set)
    answers: dict[tuple[int, str], ModelAnswer] = field(default_factory=dict)
    exchanges: int = 0
    reports: dict[str, int] = field(default_factory=lambda: {"a": 0, "b": 0})

    def revealed(self, exchange: int) -> bool:
        return (exchange, "a") in self.answers and (exchange, "b") in self.answers

    def may_read(self, answer: ModelAnswer, viewer: str) -> bool:
        if viewer not in SIDES or viewer in self.deleted or answer.withdrawn:
            return False
        if viewer == answer.side:
            return True
        return self.revealed(answer.exchange) and not self.left_by

    def may_see_row(self, answer: ModelAnswer, viewer: str) -> bool:
        if viewer not in SIDES or viewer in self.deleted:
            return False
        if viewer == answer.side:
            return True
        return self.revealed(answer.exchange) and not answer.withdrawn and not self.left_by

    def reply_for(self, answer: ModelAnswer, viewer: str) -> str | None:
        if answer.reply is None or answer.withdrawn or viewer not in SIDES:
            return None
        if viewer in self.deleted:
            return None
        responder = "b" if answer.side == "a" else "a"
        if viewer == responder:
            return answer.reply
        if viewer == answer.side and not self.left_by:
            return answer.reply
        return None


class Visibility(RuleBasedStateMachine):
    exchanges = Bundle("exchanges")

    def __init__(self) -> None:
        super().__init__()
        tag = uuid.uuid4().hex[:10]
        self.people = {
            name: Person.objects.create_user(f"{name}-{tag}@example.org", None)
            for name in ("a", "b", "charlie")
        }
        self.clock = itertools.count(1)
        self.bond = services.bond_create(creator=self.people["a"], kind="friends", at=self.now())
        _invite, code = services.invite_create(bond=self.bond, by=self.people["a"], at=self.now())
        services.invite_accept(code=code, person=self.people["b"], at=self.now())
        self.bond.refresh_from_db()
        self.model = Model()
        self.exchange_rows: dict[int, Exchange] = {}

    def now(self) -> datetime:
        return T0 + timedelta(minutes=next(self.clock))

    def active(self) -> bool:
        return self.model.status == "active"

    def alive(self, side: str) -> bool:
        return side not in self.model.deleted

    def fresh_bond(self) -> Bond:
        return Bond.objects.get(pk=self.bond.pk)

    # -- steps ---------------------------------------------------------------------------

    @precondition(lambda self: self.active())
    @rule(target=exchanges, by=st.sampled_from(SIDES))
    def open_exchange(self, by: str) -> int:
        number = self.model.exchanges
        prompt = services.prompt_write(
            bond=self.fresh_bond(),
            by=self.people[by],
            text=f"Question {number}",
            depth=0,
            theme="joys",
            emotional=False,
            at=self.now(),
        )
        self.exchange_rows[number] = services.exchange_open(
            bond=self.fresh_bond(), by=self.people[by], prompt=prompt, at=self.now()
        )
        self.model.exchanges += 1
        return number

    @precondition(lambda self: self.active())
    @rule(exchange=exchanges, side=st.sampled_from(SIDES))
    def answer(self, exchange: int, side: str) -> None:
        if (exchange, side) in self.model.answers:
            return
        text = f"answer-{side}-{exchange}-{uuid.uuid4().hex[:6]}"
        row = services.revelation_write(
            exchange=self.exchange_rows[exchange],
            author=self.people[side],
            body=text,
            emotional=False,
            at=self.now(),
        )
        self.model.answers[(exchange, side)] = ModelAnswer(row.id, side, text, exchange)

    @precondition(lambda self: self.active())
    @rule(exchange=exchanges, first=st.sampled_from(SIDES))
    def answer_both(self, exchange: int, first: str) -> None:
        self.answer(exchange, first)
        self.answer(exchange, "b" if first == "a" else "a")

    @precondition(lambda self: self.active())
    @rule(exchange=exchanges, first=st.sampled_from(SIDES), score=st.integers(1, 7))
    def share_fully(self, exchange: int, first: str, score: int) -> None:
        """Both answer, both reply, both rate: the whole loop on one exchange."""
        self.answer_both(exchange, first)
        for side in (first, "b" if first == "a" else "a"):
            answer = self.model.answers.get((exchange, side))
            if answer is None or answer.withdrawn:
                continue
            if answer.reply is None:
                self._reply_to(answer)
            if not answer.rated:
                self._rate(answer, score)

    def _answer(self, data: st.DataObject) -> ModelAnswer | None:
        if not self.model.answers:
            return None
        key = data.draw(st.sampled_from(sorted(self.model.answers)))
        return self.model.answers[key]

    @precondition(lambda self: self.active())
    @rule(data=st.data())
    def reply(self, data: st.DataObject) -> None:
        answer = self._answer(data)
        if answer is None or answer.reply is not None or answer.withdrawn:
            return
        if not self.model.revealed(answer.exchange):
            return
        self._reply_to(answer)

    def _reply_to(self, answer: ModelAnswer) -> None:
        responder = "b" if answer.side == "a" else "a"
        text = f"reply-{uuid.uuid4().hex[:6]}"
        row = services.reply_write(
            revelation=Revelation.objects.get(pk=answer.id),
            author=self.people[responder],
            heard=text,
            makes_sense="It makes sense.",
            care="I care.",
            costly=False,
            at=self.now(),
        )
        answer.reply, answer.reply_id = text, row.id

    @precondition(lambda self: self.active())
    @rule(data=st.data(), score=st.integers(1, 7))
    def rate(self, data: st.DataObject, score: int) -> None:
        answer = self._answer(data)
        if answer is None or answer.reply is None or answer.rated or answer.withdrawn:
            return
        self._rate(answer, score)

    def _rate(self, answer: ModelAnswer, score: int) -> None:
        services.rating_give(
            revelation=Revelation.objects.get(pk=answer.id),
            rater=self.people[answer.side],
            understood=score,
            validated=score,
            cared=score,
            thanked=False,
            at=self.now(),
        )
        answer.rated = True

    @rule(data=st.data())
    def withdraw(self, data: st.DataObject) -> None:
        answer = self._answer(data)
        if answer is None or answer.withdrawn or not self.alive(answer.side):
            return
        safety_services.revelation_withdraw(
            revelation=Revelation.objects.get(pk=answer.id),
            person=self.people[answer.side],
            at=self.now(),
        )
        if self.model.revealed(answer.exchange):
            answer.withdrawn = True
        else:
            # Still sealed: taken back outright; the question waits for an answer again.
            del self.model.answers[(answer.exchange, answer.side)]

    @precondition(lambda self: self.model.status != "waiting")
    @rule(side=st.sampled_from(SIDES), kind=st.sampled_from(["weaponization", "deception"]))
    def report_about_the_bond(self, side: str, kind: str) -> None:
        if not self.alive(side):
            return
        safety_services.breach_report(
            person=self.people[side], bond=self.fresh_bond(), kind=kind, at=self.now()
        )
        self.model.reports[side] += 1

    @rule(data=st.data())
    def report_confidence_breach(self, data: st.DataObject) -> None:
        answer = self._answer(data)
        if answer is None or answer.withdrawn or not self.alive(answer.side):
            return
        if not self.model.revealed(answer.exchange):
            return
        safety_services.breach_report(
            person=self.people[answer.side],
            revelation=Revelation.objects.get(pk=answer.id),
            kind="confidence",
            at=self.now(),
        )
        self.model.reports[answer.side] += 1

    @precondition(lambda self: self.active())
    @rule(side=st.sampled_from(SIDES))
    def pause(self, side: str) -> None:
        safety_services.bond_pause(bond=self.fresh_bond(), person=self.people[side], at=self.now())
        self.model.status, self.model.paused_by = "paused", side

    @precondition(lambda self: self.model.status == "paused")
    @rule()
    def resume(self) -> None:
        side = self.model.paused_by
        safety_services.bond_resume(bond=self.fresh_bond(), person=self.people[side], at=self.now())
        self.model.status, self.model.paused_by = "active", ""

    @precondition(lambda self: self.model.status in ("active", "paused"))
    @rule(side=st.sampled_from(SIDES))
    def leave(self, side: str) -> None:
        safety_services.bond_leave(bond=self.fresh_bond(), person=self.people[side], at=self.now())
        self.model.status, self.model.left_by, self.model.paused_by = "ended", side, ""

    @rule(side=st.sampled_from(SIDES))
    def delete_account(self, side: str) -> None:
        if not self.alive(side):
            return
        account_services.account_delete(person=self.people[side], at=self.now())
        if self.model.status != "ended":
            self.model.status, self.model.left_by, self.model.paused_by = "ended", side, ""
        self.model.deleted.add(side)
        for key in [k for k in self.model.answers if k[1] == side]:
            del self.model.answers[key]
        for answer in self.model.answers.values():  # their replies go with them
            answer.reply = answer.reply_id = None

    # -- the invariant ---------------------------------------------------------------------

    @invariant()
    def everyone_sees_exactly_what_the_model_allows(self) -> None:
        viewers = {"a": self.people["a"], "b": self.people["b"], "charlie": self.people["charlie"]}
        for answer in self.model.answers.values():
            row = Revelation.objects.select_related("exchange__bond", "author").get(pk=answer.id)
            for name, viewer in viewers.items():
                if name in self.model.deleted:
                    continue
                expected = answer.text if self.model.may_read(answer, name) else None
                assert selectors.revelation_text_for(revelation=row, viewer=viewer) == expected
                if self.model.may_see_row(answer, name):
                    selectors.revelation_get(id=answer.id, viewer=viewer)
                else:
                    with pytest.raises(NotFound):
                        selectors.revelation_get(id=answer.id, viewer=viewer)
                reply = selectors.reply_for(revelation=row, viewer=viewer)
                assert (reply.heard if reply else None) == self.model.reply_for(answer, name)
                rating = selectors.rating_for(revelation=row, viewer=viewer)
                if name != answer.side:
                    assert rating is None
                else:
                    assert (rating is not None) == answer.rated
        bond = self.fresh_bond()
        for name in ("a", "b"):
            if name in self.model.deleted:
                continue
            other = "b" if name == "a" else "a"
            mine = safety_selectors.reports_for(bond=bond, viewer=viewer_of(self, name))
            assert len(mine) == self.model.reports[name]
            assert all(r.reporter_id == self.people[name].pk for r in mine)
            assert other not in {r.side for r in mine}
        with pytest.raises(NotFound):
            selectors.bond_get(id=bond.pk, viewer=self.people["charlie"])
        assert bond.status == self.model.status

    @invariant()
    def what_waits_for_each_matches_the_model(self) -> None:
        """The home page's waiting list, read from the bits kept on each exchange, equals
        what the model says waits, newest exchange first; the bits equal a fresh derivation
        from the rows."""
        # (A deleted account takes its rows with it and ends the bond: nothing waits there.)
        for number, row in self.exchange_rows.items() if not self.model.deleted else ():
            stored = Exchange.objects.filter(pk=row.pk).values("waits_a", "waits_b").first()
            if stored is None:
                continue
            revelations = Revelation.objects.filter(exchange_id=row.pk).select_related(
                "reply", "rating"
            )
            revealed = Exchange.objects.get(pk=row.pk).revealed_at is not None
            fresh = waiting.flags(revealed=revealed, revelations=revelations)
            assert (stored["waits_a"], stored["waits_b"]) == (fresh["a"], fresh["b"]), number
        bond = self.fresh_bond()
        numbers = {row.pk: n for n, row in self.exchange_rows.items()}
        for side in SIDES:
            if side in self.model.deleted:
                continue
            home = selectors.bond_home(bond=bond, viewer=self.people[side], at=self.now())
            seen = [(numbers[item.exchange.pk], item.kind) for item in home.waiting]
            assert seen == self.expected_waiting(side, nudges=home.nudges), side

    def expected_waiting(self, side: str, *, nudges: bool) -> list[tuple[int, str]]:
        if not self.active():
            return []
        other = "b" if side == "a" else "a"
        expected: list[tuple[int, str]] = []
        for number in reversed(range(self.model.exchanges)):
            mine = self.model.answers.get((number, side))
            theirs = self.model.answers.get((number, other))
            if not self.model.revealed(number):
                if mine is None and nudges:
                    expected.append((number, "answer"))
                continue
            if theirs is not None and not theirs.withdrawn and theirs.reply is None:
                expected.append((number, "reply"))
            if mine is not None and not mine.withdrawn and mine.reply and not mine.rated:
                expected.append((number, "rate"))
        return expected


def viewer_of(machine: Visibility, name: str) -> Person:
    return machine.people[name]


@pytest.mark.django_db
def test_what_each_person_sees_matches_the_model_of_design_section_3() -> None:
    run_state_machine_as_test(
        Visibility,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
