"""Sentence vectors: computed in the background when passages are written, read back for the reader."""

from types import SimpleNamespace

import numpy as np
import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from gaceta.answers import nlp, vectors
from gaceta.answers.models import SentenceVectors
from gaceta.answers.learned import sentences_of
from gaceta.answers.vectors import embed_passages, stored_vectors
from gaceta.articles.bulk import ArticleSpec, add_articles
from gaceta.search.index import passages_indexed
from gaceta.search.models import Passage
from tests.conftest import local, publish_article

pytestmark = pytest.mark.django_db

BODY = (
    "The council met on Monday. It voted to close the bridge for repairs.",
    "Engineers found cracks in two of its piers last spring.",
)


def stored_rows(article) -> dict[int, bytes]:
    return dict(SentenceVectors.objects.filter(passage__article=article).values_list("passage_id", "vectors"))


def assert_every_passage_has_its_vectors(article):
    passages = list(Passage.objects.filter(article=article, in_full=True))
    assert passages and stored_rows(article).keys() == {passage.pk for passage in passages}
    for passage, found in stored_vectors(passages).items():
        assert found.shape == (len(sentences_of(Passage.objects.get(pk=passage))), vectors.DIMENSION)
    assert len(stored_vectors(passages)) == len(passages)


@pytest.fixture
def article(sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)


def test_publishing_an_article_stores_the_vectors_of_its_passages_once_committed(
        sections, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    assert queued and stored_rows(article) == {}  # nothing before the commit
    for callback in queued:
        callback()
    assert_every_passage_has_its_vectors(article)


@pytest.mark.django_db(transaction=True)
def test_on_the_database_queue_the_worker_computes_them_after_indexing(sections, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert_every_passage_has_its_vectors(article)
    assert DBTaskResult.objects.filter(task_path="gaceta.answers.tasks.embed_article_passages",
                                       status="SUCCESSFUL").count() == 1


def test_re_indexing_a_changed_body_replaces_the_vectors(article, django_capture_on_commit_callbacks):
    old = stored_rows(article)
    article.body = [("paragraph", "<p>The bridge reopened. Traffic returned. Tolls rose by a dollar.</p>")]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    new = stored_rows(article)
    assert not SentenceVectors.objects.filter(passage_id__in=old).exists()  # gone with the old passages
    assert_every_passage_has_its_vectors(article)
    [paragraph] = Passage.objects.filter(article=article, position=1, in_full=True)
    assert len(new[paragraph.pk]) == 3 * vectors.ROW_BYTES


def test_unpublishing_leaves_no_vectors(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert not SentenceVectors.objects.exists()


def test_deleting_an_article_deletes_its_passages_vectors(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()  # Wagtail unpublishes it first, which re-indexes it there and then
    assert not Passage.objects.exists() and not SentenceVectors.objects.exists()


def test_articles_added_in_bulk_get_their_vectors_after_the_import_commits(
        sections, django_capture_on_commit_callbacks):
    specs = [
        ArticleSpec(title=f"Imported {number}", dek="From the archive.", paragraphs=list(BODY),
                    published_at=local(2006, 5, number), import_ref=f"bulk-{number}")
        for number in (1, 2)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        articles = add_articles(sections["politics"], specs)
    for article in articles:
        assert_every_passage_has_its_vectors(article)


def test_many_articles_are_queued_as_several_tasks(db, django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    task = SimpleNamespace(enqueue=queued.append)
    monkeypatch.setattr("gaceta.answers.signals.embed_article_passages", task)
    with django_capture_on_commit_callbacks(execute=True):
        passages_indexed.send(sender=Passage, article_ids=range(1, 1201))
    assert queued == [list(range(1, 501)), list(range(501, 1001)), list(range(1001, 1201))]


def test_stored_vectors_are_the_embedder_s_sentence_by_sentence(article):
    [paragraph] = Passage.objects.filter(article=article, position=1, in_full=True)
    found = stored_vectors([paragraph])[paragraph.pk]
    expected = nlp.embed(list(sentences_of(paragraph)))
    assert found.dtype == np.float32 and found.shape == expected.shape == (2, 256)
    assert len(stored_rows(article)[paragraph.pk]) == 2 * 256 * 2  # stored as float16
    assert np.abs(found - expected).max() < 2e-3  # float16
    assert np.allclose(np.sum(found * expected, axis=1), 1.0, atol=1e-3)  # each row its own sentence


def test_stored_vectors_leave_out_stale_and_missing_passages_in_one_query(article, django_assert_num_queries):
    lead, _, paragraph, other = Passage.objects.filter(article=article).order_by("position", "in_full")
    other.text = "A sentence. Another one. And a third that was not embedded."  # stale: 3 sentences, 1 row
    SentenceVectors.objects.filter(passage=lead).delete()
    with django_assert_num_queries(1):
        found = stored_vectors([lead, paragraph, other])
    assert found.keys() == {paragraph.pk}
    assert stored_vectors([]) == {}


def test_a_passage_re_indexed_while_its_vectors_are_computed_gets_none(sections, monkeypatch):
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    gone = Passage.objects.filter(article=article, position=2).get()
    embed = nlp.embed

    def embed_while_re_indexing(texts):
        Passage.objects.filter(pk=gone.pk).delete()
        return embed(texts)

    monkeypatch.setattr(nlp, "embed", embed_while_re_indexing)
    assert embed_passages([article.pk]) == Passage.objects.filter(article=article, in_full=True).count() == 2
    left = Passage.objects.filter(article=article, in_full=True).values_list("pk", flat=True)
    assert stored_rows(article).keys() == set(left)


def test_the_command_fills_in_what_is_missing_and_is_idempotent(sections, capsys):
    articles = [publish_article(sections["politics"], title, paragraphs=BODY) for title in ("One", "Two")]
    assert not SentenceVectors.objects.exists()  # the commit never came: nothing was computed
    call_command("embed_passages", "--quiet")
    assert f"of {Passage.objects.filter(in_full=True).count()} passages" in capsys.readouterr().out
    for article in articles:
        assert_every_passage_has_its_vectors(article)
    before = dict(SentenceVectors.objects.values_list("passage_id", "vectors"))
    call_command("embed_passages", "--quiet")
    assert "of 0 passages" in capsys.readouterr().out
    assert dict(SentenceVectors.objects.values_list("passage_id", "vectors")) == before


def test_a_passage_without_sentences_is_stored_empty_and_not_computed_again(sections):
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    Passage.objects.filter(article=article, position=2).update(text=" ")
    assert embed_passages([article.pk]) == Passage.objects.filter(article=article, in_full=True).count()
    assert embed_passages([article.pk]) == 0
    blank = Passage.objects.get(article=article, position=2)
    assert stored_vectors([blank])[blank.pk].shape == (0, vectors.DIMENSION)


def test_the_format_refuses_vectors_of_another_size():
    with pytest.raises(ValueError):
        vectors.to_bytes(np.zeros((2, 300), np.float32))


def test_a_preview_s_cut_copy_is_not_embedded_the_reader_never_reads_it(sections):
    long = "The council met on Monday. " * 40
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=[long, "It voted."],
                              visibility="paid")
    cut = Passage.objects.filter(article=article, in_full=False)
    assert cut.exists()  # the preview cut this paragraph
    embed_passages([article.pk])
    assert not SentenceVectors.objects.filter(passage__in=cut).exists()
    assert_every_passage_has_its_vectors(article)


def test_rebuild_computes_every_passage_s_vectors_again(sections, capsys):
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    embed_passages()
    SentenceVectors.objects.update(vectors=b"")  # as an older splitter or embedder left them
    call_command("embed_passages", "--quiet")
    assert "of 0 passages" in capsys.readouterr().out  # the backfill sees nothing missing
    call_command("embed_passages", "--quiet", "--rebuild")
    assert f"of {Passage.objects.filter(in_full=True).count()} passages" in capsys.readouterr().out
    assert_every_passage_has_its_vectors(article)


def test_the_hourly_backfill_stores_what_a_lost_task_left_out(sections, caplog):
    from gaceta.core import periodic

    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    job = next(job for job in periodic.registered() if job.name == "embed-missing-passages")
    assert job.func() == Passage.objects.filter(article=article, in_full=True).count()
    assert "had none" in caplog.text
    assert_every_passage_has_its_vectors(article)
    assert job.func() == 0


def test_a_question_reads_the_sentences_from_their_stored_bounds_without_splitting_again(article, monkeypatch):
    passages = list(Passage.objects.filter(article=article, in_full=True))
    split = {passage.pk: sentences_of(passage) for passage in passages}

    def splitter_not_called(text):
        raise AssertionError("split again")

    monkeypatch.setattr(vectors, "sentence_bounds", splitter_not_called)
    monkeypatch.setattr(nlp, "sentence_bounds", splitter_not_called)
    fresh = list(Passage.objects.filter(article=article, in_full=True))
    found = stored_vectors(fresh)
    assert found.keys() == split.keys()
    for passage in fresh:
        assert sentences_of(passage) == split[passage.pk] and len(found[passage.pk]) == len(split[passage.pk])


def test_rows_stored_before_the_bounds_are_still_read_by_splitting_the_text(article):
    SentenceVectors.objects.filter(passage__article=article).update(bounds=None)
    passages = list(Passage.objects.filter(article=article, in_full=True))
    found = stored_vectors(passages)
    assert found.keys() == {passage.pk for passage in passages}
    assert all(len(found[passage.pk]) == len(sentences_of(passage)) for passage in passages)


def test_the_backfill_gives_older_rows_their_bounds_and_drops_stale_ones(sections):
    article = publish_article(sections["politics"], "Bridge to close", paragraphs=BODY)
    embed_passages()
    lead, *others = Passage.objects.filter(article=article, in_full=True).order_by("position")
    SentenceVectors.objects.update(bounds=None)
    SentenceVectors.objects.filter(passage=lead).update(vectors=b"")  # stale: no row for its sentence
    assert vectors.add_missing_bounds() == len(others)
    assert not SentenceVectors.objects.filter(bounds__isnull=True).exists()
    assert not SentenceVectors.objects.filter(passage=lead).exists()
    assert vectors.backfill() == 1  # the stale passage embedded again, with its bounds
    assert_every_passage_has_its_vectors(article)
    assert not SentenceVectors.objects.filter(bounds__isnull=True).exists()


def test_the_backfill_finds_rows_without_bounds_by_its_partial_index(article):
    from django.db import connection

    sql, params = vectors.rows_without_bounds().query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        else:  # the planner prefers a scan of a small table; the index must still serve the query
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "answers_vectors_without_bounds" in plan
