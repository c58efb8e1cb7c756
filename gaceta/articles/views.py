"""Archives that are not pages in the tree: tags, authors and corrections."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from taggit.models import Tag

from .models import ArticleCorrection, ArticlePage, Author, archive_page, lazy_archive, paginate, tag_tag


def tag_archive(request, slug):
    """Template `articles/tag_archive.html`; context: `tag`, `stories` (an ArchivePage)."""
    tag = get_object_or_404(Tag, slug=slug)
    context = lazy_archive(request, ArticlePage.objects.for_cards().with_tag(slug), tag_tag(slug))
    return render(request, "articles/tag_archive.html", {"tag": tag, **context})


def author_archive(request, slug):
    """Template `articles/author_archive.html`; context: `author`, `stories`."""
    author = get_object_or_404(Author, slug=slug)
    stories = archive_page(ArticlePage.objects.for_cards().by_author(author), request.GET.get("before"))
    return render(request, "articles/author_archive.html", {"author": author, "stories": stories})


def corrections(request):
    """Template `articles/corrections.html`; context: `notes`, a page of notes, newest first.

    Only notes on live stories; the headline, not the story's text, is shown, so members-only
    and paid stories are listed too.
    """
    notes = (
        ArticleCorrection.objects.filter(page__live=True, noted_at__lte=timezone.now())
        .select_related("page")
        .defer("page__body")
        .order_by("-noted_at", "-pk")
    )
    return render(request, "articles/corrections.html", {"notes": paginate(notes, request.GET.get("page"))})
