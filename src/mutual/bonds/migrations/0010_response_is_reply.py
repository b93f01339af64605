"""The model of a reply is called ``Reply``, as people call it (it was ``Response``); its
reverse names become ``revelation.reply`` and ``person.replies``.

The table keeps its name, ``bonds_response``: nothing in the database changes, so the
migration is instant on any size of table, takes no lock, and an app process still
running the code from before it (during a deploy) reads and writes the same table. The
check-ins, differences and reports that moved to apps of their own kept their ``bonds_*``
tables the same way (0009). Renaming the table would buy only a tidier name in ``psql``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bonds", "0009_features_move_to_their_apps"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # First pin the table's name, so that the rename below finds it unchanged and
        # leaves the database as it is.
        migrations.AlterModelTable(name="response", table="bonds_response"),
        migrations.RenameModel(old_name="Response", new_name="Reply"),
        migrations.AlterField(
            model_name="reply",
            name="revelation",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reply",
                to="bonds.revelation",
            ),
        ),
        migrations.AlterField(
            model_name="reply",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="replies",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
