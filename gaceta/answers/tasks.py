from django_tasks import task

from .vectors import embed_passages


@task()
def embed_article_passages(article_ids: list[int]) -> int:
    """Store the sentence vectors of these articles' passages that have none. Safe to run twice."""
    return embed_passages(article_ids)
