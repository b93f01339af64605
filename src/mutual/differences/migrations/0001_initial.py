"""The models of ``differences``, moved here from ``bonds`` without touching the data: the
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
    for model in ["difference", "differenceround", "perspective"]:
        stale = content_types.filter(app_label="bonds", model=model).first()
        if stale is None:
            continue
        if content_types.filter(app_label="differences", model=model).exists():
            stale.delete()
        else:
            stale.app_label = "differences"
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
                    name="Difference",
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
                        (
                            "raised_by",
                            models.CharField(choices=[("a", "a"), ("b", "b")], max_length=1),
                        ),
                        ("topic_enc", models.BinaryField()),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("open", "Still talking"),
                                    ("understood", "We understand each other"),
                                    ("agreed", "We agreed"),
                                    ("differ", "We agree to differ"),
                                    ("revisit", "We will revisit it"),
                                ],
                                default="open",
                                max_length=12,
                            ),
                        ),
                        ("revisit_on", models.DateField(blank=True, null=True)),
                        ("created_at", models.DateTimeField()),
                        (
                            "bond",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="differences",
                                to="bonds.bond",
                            ),
                        ),
                        (
                            "topic_author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_difference",
                        "ordering": ["-created_at"],
                    },
                ),
                migrations.CreateModel(
                    name="DifferenceRound",
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
                        ("number", models.PositiveSmallIntegerField()),
                        ("opened_at", models.DateTimeField()),
                        ("closed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "difference",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rounds",
                                to="differences.difference",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_differenceround",
                        "ordering": ["number"],
                    },
                ),
                migrations.CreateModel(
                    name="Perspective",
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
                        ("body_enc", models.BinaryField()),
                        ("restatement_enc", models.BinaryField(blank=True, null=True)),
                        ("restatement_costly", models.BooleanField(default=False)),
                        (
                            "felt_understood",
                            models.PositiveSmallIntegerField(blank=True, null=True),
                        ),
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
                                related_name="views",
                                to="differences.differenceround",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_perspective",
                    },
                ),
                migrations.AddConstraint(
                    model_name="differenceround",
                    constraint=models.UniqueConstraint(
                        fields=("difference", "number"), name="one_round_number"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="perspective",
                    constraint=models.UniqueConstraint(
                        fields=("round", "side"), name="one_view_per_side"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_types_follow, migrations.RunPython.noop),
    ]
