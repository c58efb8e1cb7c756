"""Ask in a real browser: from the box at the foot of a page to a streamed, cited answer."""

import pytest

from gaceta.answers.models import AskedQuestion
from tests.conftest import local, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(sections):
    return publish_article(
        sections["politics"], "Cindy Sheehan urges Canada to welcome deserters",
        paragraphs=["Cindy Sheehan, the anti-war activist, held a news conference in Ottawa on Thursday.",
                    "She urged Canada to give refuge to United States military deserters."],
        published_at=local(2006, 5, 5),
    )


@pytest.mark.parametrize("javascript", [True, False])
def test_ask_from_any_page_and_get_a_cited_answer(browser, live_server, story, javascript, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(live_server.url + story.url)
        page.fill("#ask-box-q", "Where did Cindy Sheehan hold a news conference?")
        page.press("#ask-box-q", "Enter")
        page.wait_for_url("**/ask/?q=*")
        if javascript:  # the page streams the answer in; without JavaScript the server renders it
            page.fill("#ask-page-q", "Where was the news conference Cindy Sheehan held?")
            page.click(".ask-form button")
        page.locator(".ask-vote").wait_for()
        answer = page.locator(".ask-answer")
        assert "Ottawa" in answer.inner_text()
        assert page.locator(".ask-sources li").first.inner_text().startswith(story.title)
        page.locator(".ask-cite").first.click()
        assert page.url.endswith("#source-1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / f"ask-{javascript}.png"), full_page=True)
        page.click(".ask-vote button >> text=Yes")
        page.get_by_text("Thank you").first.wait_for()
        assert AskedQuestion.objects.filter(helpful_votes=1).count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_story_for_subscribers_is_marked_alike_with_or_without_javascript(browser, live_server, story, javascript):
    publish_article(story.get_parent().specific, "Cindy Sheehan returns to Ottawa", visibility="paid",
                    paragraphs=["Cindy Sheehan came back to Ottawa for a second news conference.", "Deserters joined her."],
                    published_at=local(2006, 6, 5))
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ask/?q=Where+did+Cindy+Sheehan+hold+a+news+conference%3F")
        if javascript:  # the streamed answer lists the related stories itself
            page.fill("#ask-page-q", "Where was the news conference Cindy Sheehan held?")
            page.click(".ask-form button")
            page.locator(".ask-vote").wait_for()
        locked = page.locator(".ask-meta .ask-locked")
        assert locked.count() == 1 and locked.inner_text() == "for subscribers"
        assert locked.evaluate("el => getComputedStyle(el).fontWeight") == "600"
    finally:
        context.close()


def test_a_vote_that_is_not_counted_says_so(browser, live_server, story):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ask/")
        page.fill("#ask-page-q", "Where did Cindy Sheehan hold a news conference?")
        page.click(".ask-form button")
        page.locator(".ask-vote button").first.wait_for()
        AskedQuestion.objects.update(unhelpful_votes=1)  # voted already (in another tab)
        page.click(".ask-vote button >> text=Yes")
        page.get_by_text("That vote was not counted").wait_for()
        assert "Thank you" not in page.locator(".ask-vote").inner_text()
        assert AskedQuestion.objects.get().helpful_votes == 0
    finally:
        context.close()


# Where a marker's box stands against the last line of the text before it, at each width.
MARKERS_OFF_THEIR_LINE = """() => {
  const paragraph = document.querySelector(".ask-answer");
  const off = [];
  for (let width = 120; width <= 390; width += 2) {
    paragraph.style.width = width + "px";
    for (const marker of paragraph.querySelectorAll(".ask-cite")) {
      const before = document.createRange();
      before.setStart(paragraph, 0);
      before.setEndBefore(marker);
      const lines = [...before.getClientRects()].filter((rect) => rect.width > 0.5);
      const last = lines[lines.length - 1];
      const box = marker.getBoundingClientRect();
      if (box.top > last.bottom - 2) off.push(width);
    }
  }
  return off;
}"""


@pytest.mark.parametrize("javascript", [True, False])
def test_a_citation_marker_never_starts_a_line(browser, live_server, story, javascript):
    context = browser.new_context(viewport={"width": 390, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/ask/?q=Where+did+Cindy+Sheehan+hold+a+news+conference%3F")
        if javascript:  # the streamed answer builds its own paragraph
            page.fill("#ask-page-q", "Where was the news conference Cindy Sheehan held?")
            page.click(".ask-form button")
        page.locator(".ask-vote").wait_for()
        assert page.locator(".ask-cite").count() >= 1
        assert page.evaluate(MARKERS_OFF_THEIR_LINE) == []
    finally:
        context.close()
