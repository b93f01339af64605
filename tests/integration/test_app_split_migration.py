"""Check-ins, differences and reports moved from ``bonds`` to apps of their own without
touching the data. Run on a database with data in it, as the old schema stored it
(SQLite, and PostgreSQL with ``MUTUAL_TEST_DB=postgres``): after the move every row
reads through the new models with the same values, the tables keep their names, content
types follow the models, and the move runs backwards as well."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mutual.accounts import crypto
from mutual.checkins.models import CheckIn, CheckInRound
from mutual.differences.models import Difference, DifferenceRound, Perspective
from mutual.safety.models import BreachReport
from schema_steps import latest, migrate, schema_at

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("bonds", "0008_own_prompt_never_plain"),
    ("checkins", None),
    ("differences", None),
    ("safety", None),
]
#: The state the old world is written in (the migration nodes, not the targets).
OLD_STATE = [
    ("bonds", "0008_own_prompt_never_plain"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
TABLES = {
    "bonds_checkinround",
    "bonds_checkin",
    "bonds_difference",
    "bonds_differenceround",
    "bonds_perspective",
    "bonds_breachreport",
}


@pytest.fixture
def old_schema() -> Iterator[MigrationExecutor]:
    with schema_at(BEFORE) as executor:
        yield executor


def _old_world(executor: MigrationExecutor) -> dict[str, object]:
    """Alice and Bob with a revealed check-in round, a difference in its second step and
    a private report, written through the models as they were inside ``bonds``."""
    apps = executor.loader.project_state(OLD_STATE).apps
    OldPerson = apps.get_model("accounts", "Person")
    OldBond = apps.get_model("bonds", "Bond")
    OldPrompt = apps.get_model("bonds", "Prompt")
    OldExchange = apps.get_model("bonds", "Exchange")
    OldRevelation = apps.get_model("bonds", "Revelation")
    OldRound = apps.get_model("bonds", "CheckInRound")
    OldCheckIn = apps.get_model("bonds", "CheckIn")
    OldDifference = apps.get_model("bonds", "Difference")
    OldDifferenceRound = apps.get_model("bonds", "DifferenceRound")
    OldPerspective = apps.get_model("bonds", "Perspective")
    OldReport = apps.get_model("bonds", "BreachReport")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("checkin", "breachreport"):
        ContentType.objects.get_or_create(app_label="bonds", model=model)
    alice, bob = (
        OldPerson.objects.create(
            email=f"{name}@example.org",
            display_name=name.capitalize(),
            password="!",
            wrapped_key=crypto.new_wrapped_data_key(),
        )
        for name in ("alice", "bob")
    )
    bond = OldBond.objects.create(
        kind="partners", status="active", person_a=alice, person_b=bob, created_at=AT
    )
    round_ = OldRound.objects.create(bond=bond, opened_at=AT, revealed_at=AT)
    checkin = OldCheckIn.objects.create(
        round=round_, author=alice, side="a", feeling="calm", intensity=2,
        guess_feeling="tired", guess_intensity=3, note_enc=b"sealed-note",
        accuracy=0.75, created_at=AT,
    )  # fmt: skip
    difference = OldDifference.objects.create(
        bond=bond, raised_by="b", topic_enc=b"sealed-topic", topic_author=bob,
        outcome="revisit", revisit_on=date(2026, 3, 9), created_at=AT,
    )  # fmt: skip
    difference_round = OldDifferenceRound.objects.create(
        difference=difference, number=1, opened_at=AT
    )
    perspective = OldPerspective.objects.create(
        round=difference_round, author=bob, side="b", body_enc=b"sealed-view",
        restatement_enc=b"sealed-restatement", restatement_costly=True,
        felt_understood=6, created_at=AT,
    )  # fmt: skip
    prompt = OldPrompt.objects.filter(bond__isnull=True).first()
    exchange = OldExchange.objects.create(bond=bond, prompt=prompt, opened_by="a", opened_at=AT)
    revelation = OldRevelation.objects.create(
        exchange=exchange, author=alice, side="a", body_enc=b"sealed-answer", created_at=AT
    )
    report = OldReport.objects.create(
        bond=bond, reporter=alice, side="a", revelation=revelation, kind="confidence",
        note_enc=b"sealed-report", created_at=AT,
    )  # fmt: skip
    return {
        "checkin": checkin.pk,
        "difference": difference.pk,
        "perspective": perspective.pk,
        "report": report.pk,
        "revelation": revelation.pk,
        "bond": bond.pk,
    }


def _tables() -> set[str]:
    return set(connection.introspection.table_names()) & TABLES


def test_moving_the_models_keeps_every_row_and_every_table(
    old_schema: MigrationExecutor,
) -> None:
    ids = _old_world(old_schema)
    assert _tables() == TABLES

    migrate(latest())

    assert _tables() == TABLES
    checkin = CheckIn.objects.select_related("round").get(pk=ids["checkin"])
    assert (checkin.feeling, checkin.intensity, checkin.guess_feeling) == ("calm", 2, "tired")
    assert bytes(checkin.note_enc) == b"sealed-note"
    assert checkin.accuracy == 0.75
    assert checkin.round.bond_id == ids["bond"]
    assert CheckInRound.objects.filter(bond_id=ids["bond"]).count() == 1
    difference = Difference.objects.get(pk=ids["difference"])
    assert (difference.outcome, difference.revisit_on) == ("revisit", date(2026, 3, 9))
    assert bytes(difference.topic_enc) == b"sealed-topic"
    assert DifferenceRound.objects.get(difference=difference).number == 1
    perspective = Perspective.objects.get(pk=ids["perspective"])
    assert bytes(perspective.restatement_enc) == b"sealed-restatement"
    assert (perspective.restatement_costly, perspective.felt_understood) == (True, 6)
    report = BreachReport.objects.get(pk=ids["report"])
    assert (report.kind, report.revelation_id) == ("confidence", ids["revelation"])
    assert bytes(report.note_enc) == b"sealed-report"


def test_content_types_follow_the_models(old_schema: MigrationExecutor) -> None:
    _old_world(old_schema)

    migrate(latest())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app_label, model FROM django_content_type"
            " WHERE model IN ('checkin', 'breachreport') ORDER BY model"
        )
        assert cursor.fetchall() == [("safety", "breachreport"), ("checkins", "checkin")]


def test_the_move_runs_backwards_with_the_data_in_place(old_schema: MigrationExecutor) -> None:
    ids = _old_world(old_schema)
    migrate(latest())

    back = migrate(BEFORE)

    apps = back.loader.project_state(OLD_STATE).apps
    assert apps.get_model("bonds", "CheckIn").objects.get(pk=ids["checkin"]).feeling == "calm"
    assert apps.get_model("bonds", "BreachReport").objects.get(pk=ids["report"]).kind == (
        "confidence"
    )
    assert _tables() == TABLES
