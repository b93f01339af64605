"""Check-ins, differences and reports move to their own apps (``checkins``,
``differences``, ``safety``). Nothing in the database changes: the tables keep their
names, and this migration only removes the models from ``bonds``' state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0008_own_prompt_never_plain"),
    ]

    operations = [
        # The tables stay as they are: only Django's idea of which app owns them moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="checkin",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="checkin",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="checkinround",
                    name="bond",
                ),
                migrations.RemoveField(
                    model_name="difference",
                    name="bond",
                ),
                migrations.RemoveField(
                    model_name="difference",
                    name="topic_author",
                ),
                migrations.RemoveField(
                    model_name="differenceround",
                    name="difference",
                ),
                migrations.RemoveField(
                    model_name="perspective",
                    name="round",
                ),
                migrations.RemoveField(
                    model_name="perspective",
                    name="author",
                ),
                migrations.DeleteModel(
                    name="BreachReport",
                ),
                migrations.DeleteModel(
                    name="CheckIn",
                ),
                migrations.DeleteModel(
                    name="CheckInRound",
                ),
                migrations.DeleteModel(
                    name="Difference",
                ),
                migrations.DeleteModel(
                    name="DifferenceRound",
                ),
                migrations.DeleteModel(
                    name="Perspective",
                ),
            ],
            database_operations=[],
        ),
    ]
