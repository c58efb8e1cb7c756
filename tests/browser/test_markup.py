"""Every main reader page, as served: axe-core finds no accessibility violation and the Nu HTML
checker (vnu) no error. Both come from npm (package.json); `.ci/run` installs them."""

import shutil
import subprocess
from pathlib import Path

import pytest

from gaceta.comments.models import Comment
from tests.browser.test_comments import signed_in_page
from tests.conftest import make_image, make_member, publish_article, unavailable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(condition: bool, message: str):
    if not condition:
        unavailable(message)


@pytest.fixture
def newsroom(sections, author):
    stories = [
        publish_article(sections["politics" if n % 2 else "business"], f"Story {n} about the harbour", tags=["Mexico"],
                        authors=[author], image=make_image(f"photo {n}", alt=f"Photo {n}"),
                        visibility={1: "paid", 2: "members"}.get(n, "public"),
                        paragraphs=["The harbour reopened.", "Ships came back.", "Cranes moved.", "Trade resumed."])
        for n in range(8)
    ]
    writer = make_member("writer@example.org", paid=True, first_name="Wanda")
    Comment.objects.create(article=stories[0], member=writer, body="A featured view.", status="published", is_featured=True)
    Comment.objects.create(article=stories[0], member=writer, body="Another view.", status="published")
    return stories


def reader_pages(stories) -> list[str]:
    return [
        "/", stories[0].url, stories[1].url, "/politics/", "/search/", "/search/?q=harbour", "/search/?q=zzzz",
        "/tags/mexico/", "/authors/ana-reportera/", "/subscribe/", "/accounts/login/", "/accounts/signup/",
        "/accounts/login/code/", "/ask/", "/no-such-page/",
    ]


def member_pages(stories) -> list[str]:
    return ["/account/", "/accounts/email/", "/subscribe/", stories[1].url, stories[0].url]  # the comments last


def check(page, base_url: str, paths: list[str], out: Path) -> dict:
    """axe-core's violations per path; the served HTML of each is written to `out` for vnu."""
    violations = {}
    for number, path in enumerate(paths):
        response = page.goto(base_url + path)
        (out / f"{number:02d}.html").write_text(response.text(), encoding="utf-8")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.html.slice(0, 100)).join(' | ')))"
        )
        if found:
            violations[path] = found
    return violations


@pytest.mark.parametrize("width", [390, 1280])
def test_reader_pages_have_no_axe_violations_and_no_html_errors(browser, live_server, newsroom, width, tmp_path):
    require(AXE.exists(), "axe-core is not installed (npm ci); .ci/run installs it.")
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    anonymous = context.new_page()
    member_context, member_page = signed_in_page(browser, live_server, make_member("paid@example.org", paid=True),
                                                 width=width, bypass_csp=True)
    try:
        (tmp_path / "anonymous").mkdir()
        (tmp_path / "member").mkdir()
        violations = check(anonymous, live_server.url, reader_pages(newsroom), tmp_path / "anonymous")
        violations |= {f"{path} (paid member)": found for path, found in
                       check(member_page, live_server.url, member_pages(newsroom), tmp_path / "member").items()}
        assert member_page.locator(".badge--featured").count() == 1  # the featured comment was checked too
    finally:
        context.close()
        member_context.close()
    assert violations == {}
    if width == 390:  # the same HTML at both widths: validate it once
        java = shutil.which("java")
        require(java is not None and VNU.exists(), "Java or vnu-jar is missing (apt-get install default-jre-headless; npm ci).")
        files = sorted(str(path) for path in tmp_path.glob("*/*.html"))
        result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
