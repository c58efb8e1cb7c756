"""The Content-Security-Policy in chromium: injected inline script does not run on reader pages,
and Wagtail's admin still works."""

import pytest

from tests.browser.test_comments import signed_in_page
from tests.conftest import make_member, publish_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECT = "const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s)"


def test_inline_script_injected_into_a_reader_page_is_blocked_and_reported(browser, live_server, sections, csp_violations):
    article = publish_article(sections["politics"], "A story", paragraphs=["Body."])
    page = browser.new_page()
    try:
        page.goto(live_server.url + article.url)
        page.evaluate(INJECT)
        page.wait_for_timeout(200)
        assert page.evaluate("window.injected") is None
        assert any(isinstance(v, dict) and v["directive"].startswith("script-src") for v in csp_violations)
    finally:
        page.close()
    csp_violations.clear()  # provoked on purpose


def test_wagtail_admin_keeps_working(browser, live_server, sections):
    article = publish_article(sections["politics"], "An edited story", paragraphs=["Body."])
    editor = make_member("editor@example.org", is_staff=True, is_superuser=True)
    context, page = signed_in_page(browser, live_server, editor)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.url + "/admin/")
        page.wait_for_selector("#wagtail-sidebar nav, [data-wagtail-sidebar] nav, .sidebar")
        page.goto(live_server.url + f"/admin/pages/{article.pk}/edit/")
        title = page.locator("#id_title")
        title.wait_for()
        assert title.input_value() == "An edited story"
        page.click("[role=tab]:has-text('Promote')")  # the tabs are Stimulus controllers: script runs
        page.wait_for_selector("#id_slug", state="visible")
        assert errors == []
    finally:
        context.close()
