"""Sentence vectors, one row per passage (answers/vectors.py).

The database deletes a passage's row with the passage (ON DELETE CASCADE), so Django's own
cascade stays out of it: Django would read every passage before deleting it, where re-indexing
deletes an article's passages with one statement, and it would miss passages written while it
deletes (Wagtail unpublishes a page it deletes, which re-indexes it on the spot). The table is
made here by hand for that clause; Django's state has the same columns, without the constraint.
"""

from django.db import migrations, models


def create_table(apps, schema_editor):
    types = schema_editor.connection.data_types
    schema_editor.execute(
        'CREATE TABLE "answers_sentencevectors" ('
        f'"passage_id" {types["BigIntegerField"]} NOT NULL PRIMARY KEY '
        'REFERENCES "answers_passage" ("id") ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, '
        f'"vectors" {types["BinaryField"]} NOT NULL)'
    )


def drop_table(apps, schema_editor):
    schema_editor.execute('DROP TABLE "answers_sentencevectors"')


class Migration(migrations.Migration):
    dependencies = [
        ("answers", "0004_passage_moved_to_search"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(create_table, drop_table)],
            state_operations=[
                migrations.CreateModel(
                    name="SentenceVectors",
                    fields=[
                        ("passage", models.OneToOneField(
                            db_constraint=False, on_delete=models.DO_NOTHING, primary_key=True,
                            related_name="sentence_vectors", serialize=False, to="search.passage",
                        )),
                        ("vectors", models.BinaryField()),
                    ],
                    options={"verbose_name": "sentence vectors", "verbose_name_plural": "sentence vectors"},
                ),
            ],
        ),
    ]
