"""Questions written in a bond get a sealed column; the plain one may be empty."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0005_version_per_side"),
    ]

    operations = [
        migrations.AddField(
            model_name="prompt",
            name="text_enc",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="prompt",
            name="text",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
