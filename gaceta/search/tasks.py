from django_tasks import task

from .index import reindex_articles


@task()
def reindex_article(article_id: int) -> int:
    """Bring one article's passages in line with what is published now. Safe to run twice."""
    return reindex_articles([article_id])
