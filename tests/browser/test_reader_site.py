"""The reader site in a real browser, at a phone's width and a laptop's."""

import pytest

from tests.conftest import make_image, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.fixture
def newsroom(sections):
    stories = [
        publish_article(
            sections["politics"], f"Story number {n} with a headline long enough to wrap on a phone",
            dek="A one-line summary of what happened.", image=make_image(f"photo {n}", alt=f"Photo {n}"),
            tags=["Mexico"],
        )
        for n in range(6)
    ]
    return stories


@pytest.mark.parametrize("width", WIDTHS)
def test_front_page_and_article_fit_the_screen(browser, live_server, newsroom, width, tmp_path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path in ("/", newsroom[0].url):
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
            assert page.locator(".masthead__date").is_visible()
            assert page.locator("h1").count() == 1
            page.screenshot(path=str(tmp_path / f"{width}{path.replace('/', '_')}.png"), full_page=True)
        assert page.locator(".more-stories .card").count() >= 3
        assert page.locator(".more-stories .card img").first.get_attribute("alt") is not None
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_headline_without_spaces_wraps_instead_of_widening_the_page(browser, live_server, sections, newsroom, width):
    """An imported headline can be one long word (a WordPress test post's, a URL)."""
    long = publish_article(sections["politics"], "Title" + "Shouldnotoverflowthecontentarea" * 3,
                           dek="Short.", image=make_image("long", alt="Long"))
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        for path in ("/", long.url, newsroom[1].url):  # its own page, and its card under another story
            page.goto(live_server.url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        page.close()


def test_keyboard_users_can_skip_to_the_story_and_see_focus(browser, live_server, newsroom):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(live_server.url + newsroom[0].url)
        page.keyboard.press("Tab")
        skip = page.locator(".skip-link")
        assert skip.evaluate("el => el === document.activeElement")
        assert skip.is_visible()
        outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline != "none"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_account_checkboxes_stand_beside_their_labels(browser, live_server, front_page, width):
    from tests.browser.test_comments import signed_in_page
    from tests.conftest import make_member

    from gaceta.newsletters.models import Newsletter

    Newsletter.objects.create(name="The Daily", slug="daily", description="The day's stories, every morning.")
    context, page = signed_in_page(browser, live_server, make_member("boxes@example.org"), width=width)
    try:
        page.goto(live_server.url + "/account/")
        boxes = page.locator("main input[type=checkbox]")
        assert boxes.count() >= 2  # replies to comments, and the newsletter
        for index in range(boxes.count()):
            checkbox = boxes.nth(index)
            box = checkbox.bounding_box()
            label = page.locator(f"label[for={checkbox.get_attribute('id')}]")
            lines = label.evaluate("label => { const range = document.createRange(); range.selectNodeContents(label);"
                                   " return [...range.getClientRects()].map((rect) => [rect.top, rect.bottom]); }")
            assert box["width"] < 40, box  # a box, not a text field's width
            # On a line of its label's text (before it, inside the label, or after it), not a line of its own.
            middle = box["y"] + box["height"] / 2
            assert any(top <= middle <= bottom for top, bottom in lines), (box, lines)
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_search_filters_stand_in_even_rows(browser, live_server, newsroom, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(live_server.url + "/search/?q=story")
        fields = page.locator(".search-form__field")
        assert fields.count() == 4  # section, from, to, order
        boxes = [fields.nth(index).bounding_box() for index in range(fields.count())]
        controls = page.locator(".search-form__field :is(input, select)")
        control_boxes = [controls.nth(index).bounding_box() for index in range(controls.count())]
        # Every filter as wide as the others, its control filling it, and a row as full as the first.
        assert max(box["width"] for box in boxes) - min(box["width"] for box in boxes) < 1, boxes
        assert all(abs(control["width"] - box["width"]) < 1 for control, box in zip(control_boxes, boxes)), control_boxes
        tops = sorted({round(box["y"]) for box in boxes})
        per_row = sum(round(box["y"]) == tops[0] for box in boxes)
        assert len(tops) == -(-len(boxes) // per_row), boxes
        assert all(box["x"] + box["width"] <= width for box in boxes)
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_lead_story_without_a_photo_leaves_no_empty_block(browser, live_server, sections, newsroom, width):
    """Beside the column of other top stories, a lead of a few lines had left some 700 px blank."""
    publish_article(sections["politics"], "Congress passes the budget", dek="A one-line summary.")
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(live_server.url + "/")
        lead = page.locator(".front-top__lead").bounding_box()
        more = page.locator(".front-top__more").bounding_box()
        assert page.locator(".front-top__lead img").count() == 0
        assert more["y"] >= lead["y"] + lead["height"] - 1  # under the lead, never beside it
        assert more["height"] < 600
    finally:
        page.close()
