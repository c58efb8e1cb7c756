import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaceta.articles.related import more_stories
from gaceta.comments.models import Comment
from tests.conftest import local, make_image, publish_article

pytestmark = pytest.mark.django_db


def test_more_stories_prefers_shared_tags_then_section_then_recency(sections):
    article = publish_article(sections["politics"], "Main", tags=["Mexico", "Army"], published_at=local(2025, 1, 1))
    both_tags = publish_article(sections["business"], "Shares both tags", tags=["Mexico", "Army"], published_at=local(2020, 1, 1))
    one_tag = publish_article(sections["business"], "Shares one tag", tags=["Mexico"], published_at=local(2024, 1, 1))
    same_section = publish_article(sections["politics"], "Same section", published_at=local(2019, 1, 1))
    publish_article(sections["business"], "Unrelated but newest", published_at=local(2025, 6, 1))
    chosen = more_stories(article, 3)
    assert [story.title for story in chosen] == [both_tags.title, one_tag.title, same_section.title]


def test_more_stories_fills_with_latest_and_never_repeats_or_includes_itself(sections):
    article = publish_article(sections["politics"], "Lonely", tags=["Nothing else"])
    others = [publish_article(sections["business"], f"Other {n}", published_at=local(2025, 1, n + 1)) for n in range(4)]
    chosen = more_stories(article, 3)
    assert [story.title for story in chosen] == ["Other 3", "Other 2", "Other 1"]
    assert article.pk not in [story.pk for story in chosen]
    assert len({story.pk for story in chosen}) == 3
    assert {story.pk for story in chosen} <= {other.pk for other in others}


def test_article_page_shows_three_story_cards_with_image_alt_count_and_summary(client, sections):
    article = publish_article(sections["politics"], "Main story")
    for n in range(3):
        related = publish_article(
            sections["politics"], f"Card story {n}", dek=f"One-line summary {n}.",
            image=make_image(f"photo {n}", alt=f"Alt text {n}"),
        )
        for _ in range(n):
            Comment.objects.create(article=related, body="hi", status=Comment.Status.PUBLISHED)
    html = client.get(article.url).text
    aside = html[html.index('class="more-stories"') :]
    for n in range(3):
        assert f"Card story {n}" in aside
        assert f'alt="Alt text {n}"' in aside
        assert f"One-line summary {n}." in aside
    assert '</svg>2<span class="visually-hidden"> comments</span>' in aside
    assert '</svg>0<span class="visually-hidden"> comments</span>' in aside


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/", "/politics/", "/tags/news/"])
def test_listing_queries_do_not_grow_with_the_number_of_cards(client, sections, path):
    def cold_queries():
        client.get(path)  # makes any missing renditions
        cache.clear()  # then count the work of a page built from nothing cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), response.text.count('class="card__title"')

    # Enough for every part of the front page (lead, top, latest, the section block) to have cards.
    for n in range(13):
        publish_article(sections["politics"], f"Few {n}", tags=["News"], image=make_image(f"few {n}"))
    few_queries, few_cards = cold_queries()
    for n in range(12):
        publish_article(sections["politics"], f"Many {n}", tags=["News"], image=make_image(f"many {n}"))
    many_queries, many_cards = cold_queries()
    # Equal counts prove nothing unless the second page really shows more cards.
    assert many_cards > few_cards > 0
    assert many_queries == few_queries
