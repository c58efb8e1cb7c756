from django.utils.functional import SimpleLazyObject


def breaking_news(request):
    """`breaking`: the story the banner on every page links to, or None (see publishing.py)."""
    from .publishing import breaking_story

    return {"breaking": SimpleLazyObject(lambda: breaking_story() or False)}
