from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0004_bond_version"),
    ]

    operations = [
        migrations.RemoveField(model_name="bond", name="version"),
        migrations.AddField(
            model_name="bond",
            name="version_a",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="bond",
            name="version_b",
            field=models.PositiveBigIntegerField(default=0),
        ),
    ]
