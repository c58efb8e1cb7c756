"""The database's own full-text engine over passages: FTS5 on SQLite, tsvector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    # External content: the FTS table stores only its index and reads text from answers_passage.
    """CREATE VIRTUAL TABLE answers_passage_fts USING fts5(
        title, text, content='answers_passage', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    # Per-term document counts, read by Ask to weigh rare words above common ones.
    "CREATE VIRTUAL TABLE answers_passage_vocab USING fts5vocab(answers_passage_fts, row)",
    """CREATE TRIGGER answers_passage_ai AFTER INSERT ON answers_passage BEGIN
        INSERT INTO answers_passage_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER answers_passage_ad AFTER DELETE ON answers_passage BEGIN
        INSERT INTO answers_passage_fts(answers_passage_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER answers_passage_au AFTER UPDATE ON answers_passage BEGIN
        INSERT INTO answers_passage_fts(answers_passage_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO answers_passage_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER answers_passage_au",
    "DROP TRIGGER answers_passage_ad",
    "DROP TRIGGER answers_passage_ai",
    "DROP TABLE answers_passage_vocab",
    "DROP TABLE answers_passage_fts",
]
POSTGRESQL = [
    # Headline words weigh most (A), then the paragraph (D).
    """ALTER TABLE answers_passage ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', text), 'D')
    ) STORED""",
    "CREATE INDEX answers_passage_search ON answers_passage USING gin (search)",
]
POSTGRESQL_REVERSE = ["DROP INDEX answers_passage_search", "ALTER TABLE answers_passage DROP COLUMN search"]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("answers", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
