import os
import shutil

import pytest

from tests.conftest import unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("GACETA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        unavailable("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it.")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.gacetaCspViolation({directive: event.violatedDirective, blocked: event.blockedURI,
                             source: event.sourceFile, line: event.lineNumber, page: location.href});
});
"""


@pytest.fixture(autouse=True)
def csp_violations(request, monkeypatch):
    """Every browser test runs under the site's Content-Security-Policy and fails on any violation
    (a `securitypolicyviolation` event or chromium's console error), whichever page it opened.

    A test that provokes one on purpose reads this list and empties it."""
    violations: list = []
    if "browser" not in request.fixturenames:
        yield violations
        return
    browser = request.getfixturevalue("browser")

    def watch(context):
        context.expose_binding("gacetaCspViolation", lambda source, detail: violations.append(detail))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
        return context

    real_new_context = browser.new_context

    def new_context(*args, **kwargs):
        return watch(real_new_context(*args, **kwargs))

    def new_page(*args, **kwargs):
        context = new_context(*args, **kwargs)
        page = context.new_page()
        page.on("close", lambda _: context.close())
        return page

    monkeypatch.setattr(browser, "new_context", new_context)
    monkeypatch.setattr(browser, "new_page", new_page)
    yield violations
    assert violations == [], f"Content-Security-Policy violations: {violations}"
