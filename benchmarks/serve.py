"""Throughput of the reader site under the production server, beside nginx serving the same bytes.

    .venv/bin/python benchmarks/serve.py [--duration 15] [--connections 16] [--limit N]
        [--only serve|comments] [--comment-rate 8] [--redis-url redis://127.0.0.1:6379/N]

GACETA_BENCH_PORT (default 8731) is the first of the three loopback ports it listens on.

The comments table (`--only comments`, or after the others) measures anonymous reads while
members comment: wrk spreads its requests over the front page, the sections and the 20 newest
stories, first on a quiet site, then while another process posts `--comment-rate` published
comments a second on the 30 newest stories (through the ORM, so the same signals run as when a
member posts). The quiet figure of the same run is the bound: aim at least 80% of it. With
`--redis-url` (a database the benchmark may empty) the processes share Redis as in production,
so every comment is seen at once; without it each worker keeps its own memory cache.

It loads the demo newsroom into its own SQLite file (benchmarks/out/), starts gunicorn with
deploy/gunicorn.conf.py (2 workers per core, production settings), saves the front page and the
seed article as HTML files, serves those with nginx, and measures all four with wrk (Debian's
packages `wrk` and `nginx`). Pages are measured without any full-page cache: every request runs
Django. It runs twice: without the page cache (GACETA_PAGE_CACHE_SECONDS=0: every request
runs Django) and with it (anonymous pages from the cache). Server CPU per request is the gunicorn processes' user+system time over the run divided by
the requests served. The tables are printed and appended to benchmarks/RESULTS.md.
"""

import argparse
import datetime
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
APP_PORT = int(os.environ.get("GACETA_BENCH_PORT", "8731"))
NGINX_PORT, PROXY_PORT = APP_PORT + 1, APP_PORT + 2
SEED_ARTICLE = "/politics/us-sends-12-soldiers-for-joint-training-exercises-with-mexican-army/"
NGINX_CONF = """
worker_processes 1;
pid {out}/nginx.pid;
error_log {out}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {out}/nginx-tmp;
    proxy_temp_path {out}/nginx-tmp;
    fastcgi_temp_path {out}/nginx-tmp;
    uwsgi_temp_path {out}/nginx-tmp;
    scgi_temp_path {out}/nginx-tmp;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {out}/static-copy;
        default_type text/html;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
    include {out}/gaceta-site.conf;
}}
"""


def site_config() -> str:
    """deploy/nginx.conf with its placeholders filled for this run."""
    values = {
        "@LISTEN@": f"127.0.0.1:{PROXY_PORT}", "@SERVER_NAME@": "127.0.0.1", "@APP@": f"127.0.0.1:{APP_PORT}",
        "@STATIC_ROOT@": str(OUT / "static"), "@MEDIA_ROOT@": str(OUT / "media"), "@CACHE_DIR@": str(OUT / "nginx-cache"),
    }
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def environment(sqlite: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gaceta.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        GACETA_SSL_REDIRECT="0",
        GACETA_SQLITE_PATH=str(sqlite),
        GACETA_BASE_URL=f"http://127.0.0.1:{APP_PORT}",
        GACETA_STATIC_ROOT=str(OUT / "static"),
        GACETA_MEDIA_ROOT=str(OUT / "media"),
        GACETA_LOG_LEVEL="WARNING",
        GACETA_ALLOW_LOCAL_CACHE="1",  # the SQLite-only setup, measured as a small newsroom runs it
        PORT=str(APP_PORT),
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wait_for(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return total / ticks


def children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def failures(output: str) -> int:
    """Non-2xx answers and socket errors (a timeout, an answer that could not be read) in wrk's output."""
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def run_wrk(url: str, duration: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "p50": to_ms(latency["50"]),
        "p99": to_ms(latency["99"]),
        "errors": failures(output),
    }


# Spreads wrk's requests over the paths in the PATHS variable, and counts X-Page-Cache hits.
MIX_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  paths, n, hits, answers = {}, 0, 0, 0
  for path in string.gmatch(os.getenv("PATHS"), "[^ ]+") do paths[#paths + 1] = path end
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1])
end
function response(status, headers, body)
  answers = answers + 1
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local h, a = 0, 0
  for _, thread in ipairs(threads) do h, a = h + thread:get("hits"), a + thread:get("answers") end
  io.write(string.format("HITS %d %d\\n", h, a))
end
"""

POSTER = """
import os, random, sys, time
import django
django.setup()
from gaceta.articles.models import ArticlePage
from gaceta.comments.models import Comment
from gaceta.members.models import Member
rate = float(sys.argv[1])
stories = list(ArticlePage.objects.published().values_list("pk", flat=True)[:30])
member = Member.objects.get(email="subscriber@example.org")
posted, started = 0, time.monotonic()
while True:
    Comment.objects.create(article_id=random.choice(stories), member=member, body="A reader's view.",
                           body_html="<p>A reader's view.</p>", status="published")
    posted += 1
    with open(sys.argv[2], "w") as handle:
        handle.write(str(posted))
    time.sleep(max(0, started + posted / rate - time.monotonic()))
"""


def run_mix(paths: list[str], duration: int, connections: int) -> dict:
    """wrk over `paths` in turn; also the share of answers from the page cache."""
    script = OUT / "mix.lua"
    script.write_text(MIX_SCRIPT)
    env = {**os.environ, "PATHS": " ".join(paths)}
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script), f"http://127.0.0.1:{APP_PORT}/"],
        capture_output=True, text=True, check=True, env=env,
    ).stdout
    hits, answers = map(int, re.search(r"^HITS (\d+) (\d+)$", output, re.M).groups())
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(latency["50"]), "p99": to_ms(latency["99"]),
        "hits": hits / max(answers, 1), "errors": failures(output),
    }


def measure_comments(base_env: dict, args) -> tuple[list, int]:
    """Anonymous reads, quiet and while members comment (see the module's docstring)."""
    env = {**base_env, "GACETA_PAGE_CACHE_SECONDS": "600"}
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
    paths = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from gaceta.articles.models import ArticlePage, SectionPage; "
         "print(' '.join([p.url for p in SectionPage.objects.live()] + [p.url for p in ArticlePage.objects.published()[:20]]))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.split()
    paths = ["/", SEED_ARTICLE, *paths]
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gaceta.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rows = []
    try:
        for path in paths:  # photos' renditions are made on a page's first view, once
            wait_for(f"http://127.0.0.1:{APP_PORT}{path}")
        run_mix(paths, 5, args.connections)
        rows.append(("quiet", 0, run_mix(paths, args.duration, args.connections)))
        posted = OUT / "posted"
        posted.write_text("0")
        poster = subprocess.Popen([sys.executable, "-c", POSTER, str(args.comment_rate), str(posted)], cwd=ROOT, env=env)
        try:
            time.sleep(2)
            before = int(posted.read_text() or 0)
            busy = run_mix(paths, args.duration, args.connections)
            rate = (int(posted.read_text() or 0) - before) / args.duration
        finally:
            poster.terminate()
            poster.wait(timeout=10)
        rows.append(("members commenting", rate, busy))
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    return rows, len(paths)


def machine() -> str:
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    return f"{platform.node()}: {os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def measure_mode(base_env: dict, label: str, cache_seconds: str, args) -> tuple[str, list, int]:
    env = {**base_env, "GACETA_PAGE_CACHE_SECONDS": cache_seconds}
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "gaceta.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    nginx = None
    try:
        pages = {"front page": "/", "article": SEED_ARTICLE}
        copies = OUT / "static-copy"
        shutil.rmtree(copies, ignore_errors=True)
        for path in pages.values():
            body = wait_for(f"http://127.0.0.1:{APP_PORT}{path}")
            target = copies / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        (OUT / "gaceta-site.conf").write_text(site_config())
        (OUT / "nginx.conf").write_text(NGINX_CONF.format(out=OUT, port=NGINX_PORT))
        nginx = subprocess.Popen(["nginx", "-c", str(OUT / "nginx.conf"), "-g", "daemon off;"])
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/")
        workers = children(gunicorn.pid)
        for path in pages.values():  # warm every worker's fragments and renditions
            run_wrk(f"http://127.0.0.1:{APP_PORT}{path}", 2, args.connections)
            # nginx's first copy of a page: readers that ask while it is fetched wait on the lock,
            # which wakes them every 500 ms; afterwards an expired copy is refreshed in the
            # background and nobody waits (the steady state measured below).
            wait_for(f"http://127.0.0.1:{PROXY_PORT}{path}")

        rows = []
        for name, path in pages.items():
            before = cpu_seconds(workers)
            app = run_wrk(f"http://127.0.0.1:{APP_PORT}{path}", args.duration, args.connections)
            app["cpu_ms"] = (cpu_seconds(workers) - before) * 1000 / max(app["requests"], 1)
            static = run_wrk(f"http://127.0.0.1:{NGINX_PORT}{path}", args.duration, args.connections)
            rows.append((name, app, static))
            if cache_seconds != "0":
                proxied = run_wrk(f"http://127.0.0.1:{PROXY_PORT}{path}", args.duration, args.connections)
                proxied["cpu_ms"] = None  # nginx answers from its micro-cache; the app is barely asked
                rows.append((f"{name} via deploy/nginx.conf", proxied, static))
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        if nginx:
            nginx.send_signal(signal.SIGQUIT)
            nginx.wait(timeout=10)
        gunicorn.wait(timeout=30)

    return label, rows, len(workers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--limit", type=int, help="archive articles to load (default: all)")
    parser.add_argument("--only", choices=["serve", "comments"], help="one of the two tables")
    parser.add_argument("--comment-rate", type=float, default=8, help="comments a second while reading")
    parser.add_argument("--redis-url", help="Redis database for the comments table (it is emptied)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "gunicorn"):
        if not (shutil.which(tool) or (tool == "gunicorn" and (Path(sys.executable).parent / "gunicorn").exists())):
            sys.exit(f"{tool} is not installed (apt-get install wrk nginx-light).")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "nginx-tmp").mkdir(exist_ok=True)
    database = OUT / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):  # a fresh newsroom each run, built by the current code
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = environment(database)
    print("Preparing the demo newsroom…", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_content", *(["--limit", str(args.limit)] if args.limit else []))
    manage(env, "collectstatic", "--noinput")

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    table = serve_table(env, args, stamp) if args.only != "comments" else ""
    if args.only != "serve":
        table += comments_table(env, args, stamp)
    print(table)
    results = ROOT / "benchmarks" / "RESULTS.md"
    if not results.exists():
        results.write_text("# Benchmark results\n\nEach run appends a table; numbers from different machines or days are not comparable.\n\n")
    with results.open("a") as handle:
        handle.write(table + "\n")


def comments_table(env, args, stamp) -> str:
    rows, pages = measure_comments(env, args)
    quiet = rows[0][2]["rps"]
    lines = [
        f"### Anonymous reads while members comment, SQLite{' + Redis' if args.redis_url else ''} — {stamp}",
        "",
        f"Machine: {machine()}. Load average before: {os.getloadavg()[0]:.1f}. gunicorn (deploy/gunicorn.conf.py), "
        f"page cache on; wrk -t2 -c{args.connections} -d{args.duration}s over {pages} pages (front page, sections, "
        "the 20 newest stories); comments on the 30 newest stories. Aim: at least 80% of the quiet figure.",
        "",
        "| reads | comments/s | req/s | share of quiet | p50 ms | p99 ms | page cache hits | errors |",
        "|---|---|---|---|---|---|---|---|",
    ] + [
        f"| {label} | {rate:.1f} | {row['rps']:.0f} | {row['rps'] / quiet:.0%} | {row['p50']:.1f} | {row['p99']:.1f} | "
        f"{row['hits']:.0%} | {row['errors']} |"
        for label, rate, row in rows
    ]
    return "\n".join(lines) + "\n"


def serve_table(env, args, stamp) -> str:
    tables = [measure_mode(env, label, cache_seconds, args) for label, cache_seconds in (("uncached", "0"), ("page cache", "600"))]
    workers = tables[0][2]
    lines = [
        f"### Reader site, SQLite — {stamp}",
        "",
        f"Machine: {machine()}. gunicorn {workers} workers (sync); wrk -t2 -c{args.connections} -d{args.duration}s on the same machine.",
        "",
        "| mode | page | Gaceta req/s | p50 ms | p99 ms | server CPU ms/req | nginx (same bytes) req/s | nginx p99 ms | ratio to nginx | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, rows, _ in tables:
        for name, app, static in rows:
            lines.append(
                f"| {label} | {name} | {app['rps']:.0f} | {app['p50']:.1f} | {app['p99']:.1f} | "
                f"{'—' if app['cpu_ms'] is None else format(app['cpu_ms'], '.2f')} | "
                f"{static['rps']:.0f} | {static['p99']:.1f} | {app['rps'] / static['rps']:.3f} | {app['errors']} |"
            )
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    main()
