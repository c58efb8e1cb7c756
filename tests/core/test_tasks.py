"""Background work on the database queue: publishing never waits for the worker."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gaceta.search.models import Passage
from gaceta.search.retrieval import search_passages
from gaceta.articles.models import ArticlePage
from gaceta.comments import services
from tests.conftest import make_member, publish_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue, as in production, until a worker runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def search(words):
    return list(ArticlePage.objects.live().search(words))


def passages(words):
    return [passage.article_id for passage in search_passages(words, reader=AnonymousUser())]


def test_publishing_works_while_the_worker_is_down_and_the_queue_runs_later(sections, queue):
    article = publish_article(sections["politics"], "Zapotec election results")
    assert article.live and DBTaskResult.objects.filter(status="READY").exists()
    assert search("Zapotec") == [] and passages("Zapotec") == []  # indexing waits for the worker
    run_worker()
    assert [page.pk for page in search("Zapotec")] == [article.pk]
    assert set(passages("Zapotec")) == {article.pk}  # site search and Ask see it too
    article.unpublish()
    assert passages("Zapotec") == []  # search follows the article at once, before the worker
    assert Passage.objects.filter(article_id=article.pk).exists()
    run_worker()
    assert not Passage.objects.filter(article_id=article.pk).exists()
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_mail_server_that_does_not_answer_is_tried_again_later(sections, queue, settings):
    from gaceta.comments.models import CommentSettings

    rules = CommentSettings.load()
    rules.premoderate_first = 0
    rules.save()
    article = publish_article(sections["politics"], "Talked about")
    ana, ben = (make_member(f"{name}@example.org", paid=True, display_name=name.title()) for name in ("ana", "ben"))
    top = services.post_comment(member=ana, article=article, body="Question")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    services.post_comment(member=ben, article=article, body="Answer", parent=top)
    run_worker()
    retry = DBTaskResult.objects.get(status="READY", task_path__endswith="send_reply_notification")
    assert retry.args_kwargs["kwargs"] == {"attempt": 1}
    assert timezone.now() + timedelta(seconds=30) < retry.run_after < timezone.now() + timedelta(minutes=2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
