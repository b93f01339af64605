"""The database itself refuses a question of a bond stored in plain text."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0007_seal_own_prompts"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="prompt",
            constraint=models.CheckConstraint(
                condition=models.Q(("bond__isnull", True), ("text", ""), _connector="OR"),
                name="own_prompt_never_plain",
            ),
        ),
    ]
