"""The models of ``checkins``, moved here from ``bonds`` without touching the data: the
tables keep their ``bonds_`` names (``db_table``), so this migration changes only the
state, and content types follow the models."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import mutual.bonds.models


def _content_types_follow(apps, schema_editor):
    """Content types recorded for these models under ``bonds`` now name this app (one
    already made for this app wins, and the stale one goes)."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    for model in ["checkinround", "checkin"]:
        stale = content_types.filter(app_label="bonds", model=model).first()
        if stale is None:
            continue
        if content_types.filter(app_label="checkins", model=model).exists():
            stale.delete()
        else:
            stale.app_label = "checkins"
            stale.save(update_fields=["app_label"])


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("bonds", "0009_features_move_to_their_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CheckInRound",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=mutual.bonds.models.new_id,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("opened_at", models.DateTimeField()),
                        ("revealed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "bond",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="checkin_rounds",
                                to="bonds.bond",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_checkinround",
                        "ordering": ["-opened_at"],
                    },
                ),
                migrations.CreateModel(
                    name="CheckIn",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=mutual.bonds.models.new_id,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("side", models.CharField(choices=[("a", "a"), ("b", "b")], max_length=1)),
                        ("feeling", models.CharField(max_length=20)),
                        ("intensity", models.PositiveSmallIntegerField()),
                        ("guess_feeling", models.CharField(max_length=20)),
                        ("guess_intensity", models.PositiveSmallIntegerField()),
                        ("note_enc", models.BinaryField(blank=True, null=True)),
                        ("accuracy", models.FloatField(blank=True, null=True)),
                        ("created_at", models.DateTimeField()),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "round",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="checkins",
                                to="checkins.checkinround",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_checkin",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("round", "side"), name="one_checkin_per_side"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_types_follow, migrations.RunPython.noop),
    ]
