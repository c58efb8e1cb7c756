"""Passages move from `answers` to `search`: the table, its full-text index and its rows stay as
they are (`db_table`); only Django's record of which app owns the model changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("answers", "0003_preview_rule"),
        ("articles", "0003_preview_rule"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Passage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("position", models.PositiveIntegerField()),
                        ("title", models.CharField(max_length=255)),
                        ("text", models.TextField()),
                        ("section", models.CharField(blank=True, max_length=255)),
                        ("published_at", models.DateTimeField()),
                        ("visibility", models.CharField(max_length=10)),
                        ("is_preview", models.BooleanField(default=False)),
                        ("in_full", models.BooleanField(default=True)),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="passages",
                                to="articles.articlepage",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "answers_passage",
                        "indexes": [models.Index(fields=["published_at"], name="answers_pas_publish_2e75ea_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("article", "position", "in_full"), name="unique_passage_position")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
