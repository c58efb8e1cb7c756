"""Archives that are not pages in the tree: tags, authors and search."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .models import ArticlePage, Author, archive_page, attach_card_details, paginate

SEARCH_QUERY_MAX = 200


def tag_archive(request, slug):
    """Template `articles/tag_archive.html`; context: `tag`, `stories` (an ArchivePage)."""
    tag = get_object_or_404(Tag, slug=slug)
    stories = archive_page(ArticlePage.objects.for_cards().with_tag(slug), request.GET.get("before"))
    attach_card_details(stories)
    return render(request, "articles/tag_archive.html", {"tag": tag, "stories": stories})


def author_archive(request, slug):
    """Template `articles/author_archive.html`; context: `author`, `stories`."""
    author = get_object_or_404(Author, slug=slug)
    stories = archive_page(ArticlePage.objects.for_cards().by_author(author), request.GET.get("before"))
    attach_card_details(stories)
    return render(request, "articles/author_archive.html", {"author": author, "stories": stories})


def search(request):
    """Template `articles/search.html`; context: `query`, `stories` (None without a query)."""
    query = request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX]
    stories = None
    if query:
        results = ArticlePage.objects.live().defer_streamfields().select_related("lead_image")
        stories = paginate(results.search(query), request.GET.get("page"))
        attach_card_details(stories.object_list)
    return render(request, "articles/search.html", {"query": query, "stories": stories})
