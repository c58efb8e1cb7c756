"""Passages now belong to the `search` app (its migration 0001); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0003_preview_rule"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Passage")],
            database_operations=[],
        ),
    ]
