"""The models of ``safety``, moved here from ``bonds`` without touching the data: the
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
    for model in ["breachreport"]:
        stale = content_types.filter(app_label="bonds", model=model).first()
        if stale is None:
            continue
        if content_types.filter(app_label="safety", model=model).exists():
            stale.delete()
        else:
            stale.app_label = "safety"
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
                    name="BreachReport",
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
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("confidence", "What I shared was used against me"),
                                    ("deception", "I was deceived about it"),
                                    ("weaponization", "I am being threatened, shamed or coerced"),
                                ],
                                max_length=15,
                            ),
                        ),
                        ("note_enc", models.BinaryField(blank=True, null=True)),
                        ("created_at", models.DateTimeField()),
                        ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "bond",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="bonds.bond",
                            ),
                        ),
                        (
                            "reporter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "revelation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="bonds.revelation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "bonds_breachreport",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_content_types_follow, migrations.RunPython.noop),
    ]
