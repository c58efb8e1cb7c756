"""Archives that are not pages in the tree: tags, authors and search."""

from datetime import timedelta

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from taggit.models import Tag

from gaceta.answers.search import search_archive
from gaceta.core.text import reader_text

from .forms import SearchForm
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


def search(request):
    """Template `articles/search.html`; context: `form`, `query`, `stories` (None without a
    query), `all_words`, `capped`. Filters: section (slug), published_from/published_to (dates,
    both included), order ("relevance" or "newest")."""
    params = request.GET.copy()
    params["q"] = reader_text(params.get("q", ""))
    form = SearchForm(params)
    context = {"form": form, "query": "", "stories": None}
    if not form.is_valid():
        return render(request, "articles/search.html", context, status=400)
    data = form.cleaned_data
    query = context["query"] = data["q"].strip()
    if query:
        section_path, section = form.sections.get(data["section"], (None, None))
        context["section_title"] = section.title if section else ""
        end = data["published_to"] + timedelta(days=1) if data["published_to"] else None
        result = search_archive(
            query, reader=request.user, section_path=section_path,
            published_from=form.day_start(data["published_from"]), published_before=form.day_start(end),
            newest_first=data["order"] == "newest",
        )
        stories = paginate(result.article_ids, request.GET.get("page"))
        cards = {article.pk: article for article in ArticlePage.objects.for_cards().filter(pk__in=stories.object_list)}
        stories.object_list = [cards[pk] for pk in stories.object_list if pk in cards]
        params = request.GET.copy()
        params.pop("page", None)
        context.update(stories=stories, all_words=result.all_words, capped=result.capped, page_query=params.urlencode())
    return render(request, "articles/search.html", context)


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
