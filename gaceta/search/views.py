"""The archive's search page."""

from datetime import timedelta

from django.shortcuts import render

from gaceta.articles.models import ArticlePage, paginate
from gaceta.core.text import reader_text

from .archive import search_archive
from .forms import SearchForm


def search(request):
    """Template `search/results.html`; context: `form`, `query`, `stories` (None without a
    query), `all_words`, `capped`. Filters: section (slug), published_from/published_to (dates,
    both included), order ("relevance" or "newest")."""
    params = request.GET.copy()
    params["q"] = reader_text(params.get("q", ""))
    form = SearchForm(params)
    context = {"form": form, "query": "", "stories": None}
    if not form.is_valid():
        return render(request, "search/results.html", context, status=400)
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
    return render(request, "search/results.html", context)
