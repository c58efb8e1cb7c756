"""How long an article with 500 comments takes to render for a paid member.

    .venv/bin/python benchmarks/comments.py [--comments 500] [--runs 60]

Builds a small newsroom in its own SQLite file (benchmarks/out/comments.sqlite3): one article with
the comments (a third of them replies, some deeper, with likes) and one without, then requests
each page in-process through Django's full stack as a signed-in paid member and reports p50 and p95.
The comment-free article, measured in the same run, is the bound to compare with. The table is
appended to benchmarks/RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def setup_django():
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "comments.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="gaceta.settings.dev", DJANGO_DEBUG="0", GACETA_SQLITE_PATH=str(database),
        GACETA_MEDIA_ROOT=str(OUT / "media"), GACETA_LOG_LEVEL="WARNING", DJANGO_ALLOWED_HOSTS="testserver",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(count: int):
    from allauth.account.models import EmailAddress
    from wagtail.models import Page, Site

    from gaceta.articles.models import ArticlePage, SectionPage
    from gaceta.comments.models import Comment, CommentLike, CommentSettings
    from gaceta.comments.rendering import text_to_html
    from gaceta.frontpage.models import FrontPage
    from gaceta.members.models import Member
    from gaceta.members.services import grant_complimentary_access

    root = Page.get_first_root_node()
    front = root.add_child(instance=FrontPage(title="Bench", slug="bench"))
    Site.objects.update(root_page=front, hostname="testserver", port=80)
    Page.objects.filter(depth=2).exclude(pk=front.pk).delete()
    section = front.add_child(instance=SectionPage(title="News", slug="news"))
    pages = []
    for title in ("Quiet story", "Busy story"):
        page = ArticlePage(title=title, dek="A story.", body=[("paragraph", "<p>Text.</p>")] * 8, live=False)
        section.add_child(instance=page)
        page.save_revision().publish()
        pages.append(page)
    members = []
    for n in range(40):
        member = Member.objects.create_user(username=f"m{n}", email=f"m{n}@example.org", first_name=f"Reader{n}")
        EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
        grant_complimentary_access(member=member, granted_by=None)
        members.append(member)
    CommentSettings.objects.update_or_create(pk=CommentSettings.load().pk, defaults={"close_after_days": 0})
    busy = pages[1]
    tops = Comment.objects.bulk_create(
        Comment(article=busy, member=members[n % 40], body=f"Comment {n}: " + "words " * 40,
                body_html=text_to_html(f"Comment {n}: " + "words " * 40), status="published")
        for n in range(count * 2 // 3)
    )
    replies = Comment.objects.bulk_create(
        Comment(article=busy, member=members[(n + 7) % 40], parent=tops[n % len(tops)], body=f"Reply {n}", body_html=f"<p>Reply {n}</p>", status="published")
        for n in range(count - len(tops))
    )
    Comment.objects.bulk_create(Comment(article=busy, member=members[n % 40], parent=replies[n], body="Deeper", body_html="<p>Deeper</p>", status="published")
                                for n in range(0, len(replies), 10))
    CommentLike.objects.bulk_create(CommentLike(comment=tops[n], member=members[0]) for n in range(0, len(tops), 3))
    return pages, members[0]


def measure(client, url: str, runs: int) -> list[float]:
    client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    setup_django()
    from django.test import Client

    from gaceta.comments.models import Comment

    (quiet, busy), reader = build(args.comments)
    client = Client()
    client.force_login(reader)
    rows = []
    for page in (quiet, busy):
        times = sorted(measure(client, page.url, args.runs))
        count = Comment.objects.filter(article=page).count()
        rows.append((page.title, count, statistics.median(times), times[int(len(times) * 0.95) - 1]))
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Article with comments, paid member, SQLite — {stamp}",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}. In-process requests through "
        f"Django's full stack (middleware, routing, templates), {args.runs} runs each after one warm-up; the "
        "comment-free article is the bound from the same run. Aim: p50 under 50 ms with 500 comments.",
        "",
        "| article | comments | p50 ms | p95 ms |",
        "|---|---|---|---|",
    ] + [f"| {title} | {count} | {p50:.1f} | {p95:.1f} |" for title, count, p50, p95 in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    with (ROOT / "benchmarks" / "RESULTS.md").open("a") as handle:
        handle.write(table + "\n")


if __name__ == "__main__":
    main()
