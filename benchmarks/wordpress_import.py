"""How long a newsroom's move from WordPress takes: a generated export of 10,000 posts.

    .venv/bin/python benchmarks/wordpress_import.py [--posts 10000] [--comments 5]

Writes a WXR file into a temporary folder (classic and Gutenberg posts, captions, galleries,
categories, tags, threaded comments, a few spam), then runs `manage.py import_wordpress` on a fresh
SQLite database in that folder, in a child process so that its peak memory is its own. Meanwhile
a small write every quarter second, as a reader's request makes one (an image rendition, Ask's
log, a session), measures how long the import's transactions make it wait: past the database's
busy timeout (5 s) it would fail with "database is locked". Prints a table and appends it to
benchmarks/RESULTS.md. Aim: under 5 minutes.
"""

import argparse
import datetime
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("city council budget water drought farmers road school hospital election mayor river price market "
         "workers strike festival museum court judge police report minister governor rain harvest").split()
CATEGORIES = ["Politics", "Business", "Culture", "Sports"]


def sentence(rng: random.Random, words: int = 14) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def post_content(rng: random.Random, number: int) -> str:
    paragraphs = [" ".join(sentence(rng) for _ in range(3)) for _ in range(6)]
    if number % 2:
        body = "\n\n".join(paragraphs)
        return body + f'\n\n[caption id="attachment_{number}" width="600"]<img src="https://news.example.org/wp-content/uploads/2020/01/photo-{number}.jpg" class="wp-image-{number}" /> A caption.[/caption]'
    blocks = [f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" for text in paragraphs]
    blocks.insert(2, "<!-- wp:heading -->\n<h2>What happens next</h2>\n<!-- /wp:heading -->")
    blocks.insert(4, '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>We will keep going.</p><cite>A farmer</cite></blockquote>\n<!-- /wp:quote -->')
    return "\n\n".join(blocks)


def comment_xml(rng: random.Random, post: int, count: int) -> str:
    comments = []
    for n in range(count):
        cid = post * 100 + n
        parent = post * 100 + n - 1 if n and n % 2 else 0
        status = "spam" if n == count - 1 and post % 10 == 0 else "1"
        comments.append(f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>
<wp:comment_date>2020-01-02 10:{n:02d}:00</wp:comment_date><wp:comment_date_gmt>2020-01-02 16:{n:02d}:00</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{sentence(rng)}]]></wp:comment_content><wp:comment_approved>{status}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>""")
    return "\n".join(comments)


def write_export(path: Path, posts: int, comments: int) -> None:
    rng = random.Random(15)
    start = datetime.datetime(2015, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Benchmark Daily</title>\n'
                  "<wp:author><wp:author_login>desk</wp:author_login><wp:author_display_name>The Desk</wp:author_display_name></wp:author>\n")
        for number in range(1, posts + 1):
            day = start + datetime.timedelta(hours=5 * number)
            slug = f"story-{number}"
            category = CATEGORIES[number % len(CATEGORIES)]
            out.write(f"""<item><title>{escape(sentence(rng, 8))}</title>
<link>https://news.example.org/{day:%Y/%m/%d}/{slug}/</link><dc:creator>desk</dc:creator>
<guid isPermaLink="false">https://news.example.org/?p={number}</guid>
<content:encoded><![CDATA[{post_content(rng, number)}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date>{day:%Y-%m-%d %H:%M:%S}</wp:post_date>
<wp:post_date_gmt>{day + datetime.timedelta(hours=6):%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{"draft" if number % 50 == 0 else "publish"}</wp:status>
<wp:post_type>post</wp:post_type><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="{category.lower()}"><![CDATA[{category}]]></category>
<category domain="post_tag" nicename="tag-{number % 40}"><![CDATA[Tag {number % 40}]]></category>
{comment_xml(rng, number, comments)}
</item>
""")
        out.write("</channel></rss>\n")


class WriteProbe(threading.Thread):
    """A write each `every` seconds to the SQLite file, as the site's would be, and how long each
    waited for the lock."""

    def __init__(self, path: Path, every: float = 0.25):
        super().__init__(daemon=True)
        self.path, self.every, self.waits, self.stopped = path, every, [], threading.Event()

    def run(self):
        connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        connection.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
        while not self.stopped.is_set():
            started = time.monotonic()
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO bench_probe VALUES (?)", (started,))
            connection.execute("COMMIT")
            self.waits.append(time.monotonic() - started)
            self.stopped.wait(self.every)
        connection.close()

    def summary(self) -> tuple[float, float, int]:
        """The longest wait, the 99th percentile (seconds), and how many waited over 5 s."""
        waits = sorted(self.waits)
        return waits[-1], waits[int(0.99 * (len(waits) - 1))], sum(wait > 5 for wait in waits)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=5, help="per post")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "export.xml"
        write_export(export, args.posts, args.comments)
        env = {**os.environ, "GACETA_SQLITE_PATH": str(Path(folder) / "db.sqlite3"), "DJANGO_SETTINGS_MODULE": "gaceta.settings.dev"}
        env.pop("DATABASE_URL", None)
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        migrate_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        migrate_cpu = migrate_usage.ru_utime + migrate_usage.ru_stime
        sections = [f"{name}={name.lower()}" for name in CATEGORIES]
        probe = WriteProbe(Path(folder) / "db.sqlite3")
        probe.start()
        started = time.monotonic()
        result = subprocess.run(
            [python, "manage.py", "import_wordpress", str(export), "--section-map", *sections],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )
        seconds = time.monotonic() - started
        probe.stopped.set()
        probe.join()
        longest, p99, over_timeout = probe.summary()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = usage.ru_maxrss / 1024
        cpu_seconds = usage.ru_utime + usage.ru_stime - migrate_cpu
        summary = next(line for line in result.stdout.splitlines() if line.startswith("Imported:"))
    table = (
        f"### WordPress import, SQLite — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: {platform.node() and 'vm'}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}. Generated export of {args.posts:,} posts, "
        f"{args.comments} comments each (one post in ten has a spam one), one in fifty a draft, no media files.\n\n"
        f"Load average when it ended: {os.getloadavg()[0]:.1f} (other work shares the cores; CPU seconds are the import's own).\n\n"
        "| posts | comments | seconds | posts/s | CPU seconds | peak RSS MB | a site write waits: longest / p99 | over 5 s |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"| {args.posts:,} | {args.posts * args.comments:,} | {seconds:.1f} | {args.posts / seconds:.0f} | {cpu_seconds:.1f} "
        f"| {peak_mb:.0f} | {longest:.2f} / {p99:.2f} s | {over_timeout} of {len(probe.waits)} |\n\n"
        f"Import summary: {summary.removeprefix('Imported: ')}\n"
    )
    print(table)
    with (ROOT / "benchmarks" / "RESULTS.md").open("a") as results:
        results.write("\n" + table)


if __name__ == "__main__":
    main()
