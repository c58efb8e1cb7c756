"""Passages cut by the preview rule: `in_full` tells the whole story's passages from the cut ones.

SQLite rebuilds a table to change its constraints, which drops the triggers that keep the FTS5
index in step (0002): they are made again and the index rebuilt from the table.
"""

from importlib import import_module

from django.db import migrations, models

fulltext = import_module("gaceta.answers.migrations.0002_fulltext")
TRIGGERS = [statement for statement in fulltext.SQLITE if statement.startswith("CREATE TRIGGER")]


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("answers_passage_ai", "answers_passage_ad", "answers_passage_au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in TRIGGERS:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO answers_passage_fts(answers_passage_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0002_fulltext"),
        ("articles", "0003_preview_rule"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="passage", name="unique_passage_position"),
        migrations.AddField(model_name="passage", name="in_full", field=models.BooleanField(default=True)),
        migrations.AddConstraint(
            model_name="passage",
            constraint=models.UniqueConstraint(
                fields=("article", "position", "in_full"), name="unique_passage_position"
            ),
        ),
        migrations.RunPython(restore_triggers, migrations.RunPython.noop),
    ]
