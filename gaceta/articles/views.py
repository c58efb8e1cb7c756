"""Archives that are not pages in the tree: tags, authors and search."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from gaceta.answers.retrieval import search_articles
from gaceta.core.text import reader_text

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
    query = reader_text(request.GET.get("q", "")).strip()[:SEARCH_QUERY_MAX]
    stories = None
    if query:
        ids = search_articles(query, reader=request.user)
        stories = paginate(ids, request.GET.get("page"))
        cards = {article.pk: article for article in ArticlePage.objects.for_cards().filter(pk__in=stories.object_list)}
        stories.object_list = attach_card_details(cards[pk] for pk in stories.object_list if pk in cards)
    return render(request, "articles/search.html", {"query": query, "stories": stories})
