"""Choosing the "More stories" cards under an article."""

from django.db.models import Count

from .models import ArticlePage


def more_stories(article: ArticlePage, count: int) -> list[ArticlePage]:
    """Stories sharing the most tags with `article`, then its section's latest, then the latest."""
    candidates = ArticlePage.objects.for_cards().exclude(pk=article.pk)
    chosen: list[ArticlePage] = []

    def add(queryset):
        missing = count - len(chosen)
        if missing > 0:
            chosen.extend(queryset.exclude(pk__in=[story.pk for story in chosen])[:missing])

    tag_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    if tag_ids:
        add(
            candidates.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-first_published_at", "-pk")
        )
    parent_path = article.path[: -article.steplen]
    add(candidates.filter(path__startswith=parent_path, depth=article.depth))
    add(candidates)
    return chosen
