"""When each side of a bond was first honored at each depth and theme, stored: the
onion on the home page and in the API's bond read aggregated every honored rating of the
bond for it on every read (linear in the length of history). The ledger now keeps one row
per (bond, side, depth, theme) as ratings are recorded; this migration fills the table
from the ratings already given, with the same rule the read used: a rating honors when
its three scores sum to at least the engine's honored mark, and the row's moment is the
earliest such rating. Each row goes with the revealer's account, as their ratings do."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Min

from mutual import engine


def _honored_total() -> int:
    return next(
        total
        for total in range(3, 22)
        if engine.classify((total / 3 - 1) / 6, engine.DEFAULT_PARAMS) == "honored"
    )


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Rating = apps.get_model("bonds", "Rating")
    FirstHonored = apps.get_model("bonds", "FirstHonored")
    rows = (
        Rating.objects.annotate(total=F("understood") + F("validated") + F("cared"))
        .filter(total__gte=_honored_total())
        .values(
            "revelation__exchange__bond",
            "revelation__side",
            "revelation__exchange__prompt__depth",
            "revelation__exchange__prompt__theme",
            "revelation__author",
        )
        .annotate(first=Min("created_at"))
        .order_by()
    )
    earliest: dict[tuple[object, str, int, str], tuple[object, object]] = {}
    for row in rows.iterator():
        key = (
            row["revelation__exchange__bond"],
            row["revelation__side"],
            row["revelation__exchange__prompt__depth"],
            row["revelation__exchange__prompt__theme"],
        )
        if key not in earliest or row["first"] < earliest[key][0]:
            earliest[key] = (row["first"], row["revelation__author"])
    FirstHonored.objects.bulk_create(
        [
            FirstHonored(
                bond_id=bond, side=side, depth=depth, theme=theme, revealer_id=author, at=at
            )
            for (bond, side, depth, theme), (at, author) in earliest.items()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0010_response_is_reply"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FirstHonored",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("side", models.CharField(choices=[("a", "a"), ("b", "b")], max_length=1)),
                (
                    "depth",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (0, "Surface"),
                            (1, "Personal"),
                            (2, "Meaningful"),
                            (3, "Tender"),
                            (4, "Core"),
                        ]
                    ),
                ),
                (
                    "theme",
                    models.CharField(
                        choices=[
                            ("dreams", "Dreams"),
                            ("hurts", "Hurts"),
                            ("fears", "Fears"),
                            ("joys", "Joys"),
                            ("memories", "Memories"),
                            ("values", "Values"),
                            ("needs", "Needs"),
                            ("desire", "Desire"),
                        ],
                        max_length=12,
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "bond",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="bonds.bond",
                    ),
                ),
                (
                    "revealer",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("bond", "side", "depth", "theme"), name="first_honored_once"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
