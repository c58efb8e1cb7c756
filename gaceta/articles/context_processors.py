from django.utils.functional import SimpleLazyObject


def breaking_news(request):
    """`breaking`: the story the banner on every page links to, or None (see publishing.py)."""
    from .publishing import breaking_story

    return {"breaking": SimpleLazyObject(lambda: breaking_story() or False)}


def navigation(request):
    """`navigation`: the sections, by title, for the masthead's menu."""
    from .models import sections_by_path

    return {"navigation": SimpleLazyObject(
        lambda: sorted(sections_by_path().values(), key=lambda section: section.title)
    )}
