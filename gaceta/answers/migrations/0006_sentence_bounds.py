"""The sentences' bounds beside their vectors (answers/vectors.py). A nullable column without a
default is one ALTER TABLE ADD COLUMN on SQLite too, so the table keeps the cascade 0005 made by
hand; rows stored before it are null until the hourly backfill adds their bounds
(`vectors.add_missing_bounds`), which finds them by a partial index that is empty once it has run."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('answers', '0005_sentence_vectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='sentencevectors',
            name='bounds',
            field=models.BinaryField(null=True),
        ),
        migrations.AddIndex(
            model_name='sentencevectors',
            index=models.Index(condition=models.Q(('bounds__isnull', True)), fields=['passage'],
                               name='answers_vectors_without_bounds'),
        ),
    ]
