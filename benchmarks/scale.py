"""How page cost grows with the size of the archive, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--postgres postgres://...]

For each size and database it builds a fresh newsroom (`generate_archive`), then times requests
in-process through Django's full stack with the page cache off: the front page, an article, a
section archive's first page and its page 1,000 (by keyset cursor; the last page when the
archive is shorter), a search and an Ask question (POST /api/ask, extractive answerer); then, as
a paid subscriber, every development question once each (`ask_dev.jsonl`), whose p50 and p95
("ask p50 / p95") show what a running site's readers wait for (the learned reader, with the
sentence vectors the build computed; the table says how many passages have them). "warm"
keeps the fragment caches between requests (a running site); "cold" empties the cache before every request (a site just after a publish). Medians in
milliseconds; the last column group is the largest size over the smallest. Results are appended
to benchmarks/RESULTS.md.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
PAGES = ["front page", "article", "section page 1", "section page 1,000", "search", "ask", "ask p50 / p95"]
ASK = "Which party did the president of Mexico belong to in the 2006 election?"
QUESTIONS = ROOT.parent / "shared" / "corpus" / "ask_dev.jsonl"
WARM_RUNS, COLD_RUNS = 20, 10


def child(size: int) -> None:
    """Runs in a subprocess whose environment names the database."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from gaceta.articles.models import ArticlePage, SectionPage

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    if not os.environ.get("SCALE_REUSE"):
        call_command("generate_archive", articles=size, verbosity=0)
    built = time.monotonic() - started
    from gaceta.answers.models import SentenceVectors
    from gaceta.search.models import Passage

    # Of the passages the reader reads whole: a preview's cut copy is never embedded.
    vectors = f"{SentenceVectors.objects.count():,} of {Passage.objects.filter(in_full=True).count():,}"
    politics = SectionPage.objects.get(slug="politics")
    stories = ArticlePage.objects.child_of(politics).live().order_by("-first_published_at", "-pk")
    total = stories.count()
    deep = stories[min(1000 * 20, total - 1)]
    cursor = f"{int(deep.first_published_at.timestamp() * 1_000_000)}-{deep.pk}"
    middle = ArticlePage.objects.get(import_ref=f"generated:{size // 2}")
    urls = {
        "front page": "/", "article": middle.url, "section page 1": "/politics/",
        "section page 1,000": f"/politics/?before={cursor}", "search": "/search/?q=government+election",
    }
    urls["ask"] = "/api/ask"
    client = Client()

    def fetch(url):
        if url == "/api/ask":
            return client.post(url, json.dumps({"question": ASK}), content_type="application/json")
        return client.get(url)

    results = {"built_seconds": built, "vectors": vectors}
    for name, url in urls.items():
        t = time.perf_counter()
        assert fetch(url).status_code == 200, url
        slow = time.perf_counter() - t > 1  # a page over a second is timed three times, not thirty
        warm = []
        for _ in range(3 if slow else WARM_RUNS):
            t = time.perf_counter()
            fetch(url)
            warm.append((time.perf_counter() - t) * 1000)
        cold = []
        for _ in range(3 if slow else COLD_RUNS):
            cache.clear()
            t = time.perf_counter()
            fetch(url)
            cold.append((time.perf_counter() - t) * 1000)
        results[name] = {"warm": statistics.median(warm), "cold": statistics.median(cold)}
    results["ask p50 / p95"] = ask_many(client)
    print("RESULT " + json.dumps(results))


def ask_many(client) -> dict:
    """Each development question once, as a paid subscriber, after one question has loaded what
    the answerer loads: {"warm": p50, "cold": p95} in ms (the table's two numbers per cell)."""
    from django.utils import timezone

    from gaceta.members.models import ComplimentaryAccess, Member

    member, _ = Member.objects.get_or_create(username="scale-paid", defaults={"email": "scale-paid@example.org"})
    ComplimentaryAccess.objects.get_or_create(member=member, defaults={"starts_at": timezone.now()})
    client.force_login(member)
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    timings = []
    for question in [ASK, *questions]:
        t = time.perf_counter()
        response = client.post("/api/ask", json.dumps({"question": question}), content_type="application/json")
        timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (question, response.status_code)
    timings = sorted(timings[1:])
    return {"warm": statistics.median(timings), "cold": timings[max(0, round(0.95 * len(timings)) - 1)]}


def run(size: int, database: str, database_url: str | None, reuse: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="gaceta.settings.dev", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="testserver",
               GACETA_PAGE_CACHE_SECONDS="0", GACETA_LOG_LEVEL="WARNING", GACETA_ASK_RATE_ANON="1000000/h", GACETA_ASK_RATE_PAID="1000000/h", GACETA_MEDIA_ROOT=str(OUT / "scale-media"))
    if database == "sqlite":
        path = OUT / f"scale-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm") if not reuse else ():
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["GACETA_SQLITE_PATH"] = str(path)
    else:
        import psycopg

        parts = urlsplit(database_url)
        name = f"gaceta_scale_{size}"
        if not reuse:
            with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                                 password=parts.password, dbname="postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
                admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{parts.scheme}://{parts.netloc}/{name}"
    if reuse:
        env["SCALE_REUSE"] = "1"
    output = subprocess.run([sys.executable, __file__, "--child", str(size)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, text=True, check=True).stdout  # its errors show
    return json.loads(next(line for line in output.splitlines() if line.startswith("RESULT "))[7:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--postgres", help="a PostgreSQL URL whose user may create databases")
    parser.add_argument("--databases", default="sqlite,postgresql", help="which of sqlite,postgresql to run")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the archives a previous run built (benchmarks/out, gaceta_scale_N) again")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for size in args.sizes.split(",")]
    wanted = args.databases.split(",")
    databases = [name for name in ("sqlite", "postgresql") if name in wanted and (name == "sqlite" or args.postgres)]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Archive size, page cache off — {stamp}",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}. In-process medians in ms "
        f"({WARM_RUNS} warm / {COLD_RUNS} cold runs); warm keeps fragment caches, cold empties the cache before each request.",
        "",
        "| database | articles | built in s | passages read whole with sentence vectors | "
        + " | ".join(page if "p95" in page else f"{page} warm / cold" for page in PAGES) + " |",
        "|---|---|---|---|" + "---|" * len(PAGES),
    ]
    for database in databases:
        results = {}
        for size in sizes:
            print(f"{database}, {size} articles…", flush=True)
            results[size] = result = run(size, database, args.postgres, reuse=args.reuse)
            cells = " | ".join(f"{result[page]['warm']:.1f} / {result[page]['cold']:.1f}" for page in PAGES)
            lines.append(f"| {database} | {size:,} | {result['built_seconds']:.0f} | {result['vectors']} | {cells} |")
            print(lines[-1], flush=True)
        small, large = results[sizes[0]], results[sizes[-1]]
        ratios = " | ".join(f"{large[page]['warm'] / small[page]['warm']:.2f} / {large[page]['cold'] / small[page]['cold']:.2f}" for page in PAGES)
        lines.append(f"| {database} | {sizes[-1]:,} ÷ {sizes[0]:,} | | | {ratios} |")
    table = "\n".join(lines) + "\n"
    print(table)
    with (ROOT / "benchmarks" / "RESULTS.md").open("a") as handle:
        handle.write(table + "\n")


if __name__ == "__main__":
    main()
