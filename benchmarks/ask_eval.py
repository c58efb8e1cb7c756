"""Ask's quality on a question set (the development set by default), through the running API.

    .venv/bin/python benchmarks/ask_eval.py [--url http://127.0.0.1:8000] [--reader paid|anonymous]
        [--questions ../shared/corpus/ask_train.jsonl [--split train|validation|all]] [--dump FILE]

A file with a `split` field (ask_train.jsonl) is reported split by split; `--dump` writes each
question's answer and verdicts, one JSON line each, for error analysis.

Start the site first (`make run`, or `make serve`). Each question of ../shared/corpus/ask_dev.jsonl
(see its ASK_DEV.md) is POSTed to /api/ask. The script opens the same database as the server
(same environment) only to sign in a temporary paid reader (the demo keeps one story in five
for members or subscribers; `--reader anonymous` measures what a reader without an account
gets; start the server with GACETA_ASK_RATE_ANON=1000/h for that, or the address's hourly
limit stops the run), and to map cited links back to corpus ids and article text. It prints, and appends to
benchmarks/RESULTS.md:

- accuracy: the gold answer or an alias, normalised as ASK_DEV.md says, occurs as whole words in
  the first sentence; declining counts as wrong (ASK_DEV.md itself looks anywhere in the answer:
  that is reported too, on a line of its own);
- citation accuracy: a cited article is one of the question's supporting articles;
- abstention: share of unanswerable questions declined; wrong declines: share of answerable
  questions declined;
- faithfulness: share of answer sentences found word for word in the article they cite (the
  "As of Month YEAR," prefix aside; where "…" marks words left out, each piece in the article's
  order);
- latency p50 / p95 of the HTTP requests.
"""

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import statistics
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PREFIX = re.compile(r"^As of [A-Z][a-z]+ \d{4}, ")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " " + re.sub(r"[^a-z0-9]+", " ", text).strip() + " "


def flat(text: str) -> str:
    return " ".join(text.replace("…", " ").split()).lower()


def quoted_in(quote: str, text: str) -> bool:
    """Whether a quote is the article's own words: each piece between its "…" marks is in `text`
    (flat), one after the other."""
    at = 0
    for piece in filter(None, (flat(part) for part in quote.split("…"))):
        at = text.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaceta.settings.dev")
    import django

    django.setup()


def paid_reader_cookie() -> tuple[str, object]:
    """A session for a temporary member with complimentary paid access (deleted at the end)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from gaceta.members.models import ComplimentaryAccess, Member

    email = f"ask-eval-{secrets.token_hex(4)}@example.invalid"
    member = Member.objects.create(username=email, email=email)
    ComplimentaryAccess.objects.create(member=member, note="ask_eval.py")
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", member


def article_index() -> tuple[dict[str, str], dict[str, str]]:
    """URL path → corpus id, and corpus id → the article's text as indexed."""
    from gaceta.search.models import Passage
    from gaceta.articles.models import ArticlePage

    paths, texts = {}, defaultdict(list)
    refs = {}
    for pk, ref, url_path in ArticlePage.objects.values_list("pk", "import_ref", "url_path"):
        refs[pk] = ref
        paths["/" + url_path.strip("/").split("/", 1)[-1] + "/"] = ref
    for article_id, text in Passage.objects.order_by("article_id", "position").values_list("article_id", "text"):
        texts[refs.get(article_id)].append(text)
    return paths, {ref: flat(" ".join(parts)) for ref, parts in texts.items()}


def ask(url: str, question: str, cookie: str | None) -> tuple[dict, float]:
    request = urllib.request.Request(
        f"{url}/api/ask", data=json.dumps({"question": question}).encode(), method="POST",
        headers={"Content-Type": "application/json", **({"Cookie": cookie} if cookie else {})},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        raise SystemExit(f"{question!r}: HTTP {error.code} {error.read()[:200]!r}") from error
    return body, (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--reader", choices=["paid", "anonymous"], default="paid")
    parser.add_argument("--questions", default=str(ROOT.parent / "shared" / "corpus" / "ask_dev.jsonl"))
    parser.add_argument("--split", choices=["train", "validation", "all"], default="all",
                        help="with a file that has a `split` field (ask_train.jsonl): only that split; "
                        "`all` reports each split apart")
    parser.add_argument("--dump", help="write one JSON line per question (answer, verdicts) to this file")
    parser.add_argument("--label", default="", help="a name for the run in the table's heading")
    parser.add_argument("--no-append", action="store_true", help="print only")
    args = parser.parse_args()

    setup_django()
    cookie, member = paid_reader_cookie() if args.reader == "paid" else (None, None)
    paths, texts = article_index()
    questions = [json.loads(line) for line in Path(args.questions).read_text().splitlines() if line.strip()]
    if args.split != "all":
        questions = [item for item in questions if item.get("split") == args.split]

    rows = []
    try:
        for item in questions:
            answer, took = ask(args.url.rstrip("/"), item["question"], cookie)
            cited = {number["n"]: paths.get(urlsplit(number["url"]).path) for number in answer["citations"]}
            first = answer["sentences"][0]["text"] if answer["sentences"] else ""
            faithful = []
            for sentence in answer["sentences"]:
                quote = PREFIX.sub("", sentence["text"])
                faithful.append(any(quoted_in(quote, texts.get(cited.get(n), "")) for n in sentence["citations"]))
            rows.append({
                "item": item, "answered": answer["answered"], "first": first, "faithful": faithful,
                "whole": " ".join(sentence["text"] for sentence in answer["sentences"]),
                "cited": set(cited.values()), "answer": answer["answer"], "took": took,
            })
    finally:
        if member is not None:
            member.delete()

    name = Path(args.questions).name
    groups = {}
    for row in rows:
        groups.setdefault(row["item"].get("split", ""), []).append(row)
    tables = [report(f"{name}{f' {split} split' if split else ''}", group, args) for split, group in groups.items()]
    if args.dump:
        with open(args.dump, "w") as handle:
            for row in rows:
                handle.write(json.dumps({
                    "id": row["item"]["id"], "split": row["item"].get("split", ""), "kind": row["item"]["kind"],
                    "question": row["item"]["question"], "gold": row["item"]["answer"],
                    "correct": correct(row), "cites": cites(row), "answered": row["answered"],
                    "answer": row["answer"], "cited": sorted(filter(None, row["cited"])),
                    "faithful": row["faithful"], "ms": round(row["took"]),
                }) + "\n")
    if not args.no_append:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a") as handle:
            handle.write("".join(table + "\n" for table in tables))


def correct(row, text: str = "first") -> bool:
    """The gold answer or an alias in the first sentence (or, `text="whole"`, anywhere in the
    answer, as ASK_DEV.md scores it), as whole words; declining is wrong."""
    golds = [row["item"]["answer"], *row["item"]["aliases"]] if row["item"]["answer"] else []
    return row["answered"] and any(normalise(gold) in normalise(row[text]) for gold in golds)


def cites(row) -> bool:
    return bool(row["cited"] & set(row["item"]["article_ids"]))


def share(part, whole) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "n/a"


def report(title: str, rows: list[dict], args) -> str:
    """The table for one set of questions, printed with its misses; returned for RESULTS.md."""
    answerable = [row for row in rows if row["item"]["answer"] is not None]
    unanswerable = [row for row in rows if row["item"]["answer"] is None]
    latencies = sorted(row["took"] for row in rows)
    sentences = [flag for row in rows for flag in row["faithful"]]
    p95 = latencies[min(len(latencies) - 1, int(round(0.95 * (len(latencies) - 1))))]
    by_kind = defaultdict(lambda: [0, 0])
    for row in answerable:
        by_kind[row["item"]["kind"]][0] += correct(row)
        by_kind[row["item"]["kind"]][1] += 1
    latin = [row for row in answerable if row["item"]["latin_america"]]

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Ask{f' ({args.label})' if args.label else ''}, {title} ({len(rows)} questions), {args.reader} reader — {stamp}",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"server at {args.url}, extractive answerer unless a model is configured there.",
        "",
        "| measure | result | aim |",
        "|---|---|---|",
        f"| direct-answer accuracy | {share(sum(map(correct, answerable)), len(answerable))} | ≥ 80% |",
        f"| answer accuracy as ASK_DEV.md scores it (anywhere in the answer) | {share(sum(correct(row, 'whole') for row in answerable), len(answerable))} | |",
        f"| citation accuracy | {share(sum(map(cites, answerable)), len(answerable))} | ≥ 95% |",
        f"| abstention (unanswerable declined) | {share(sum(not row['answered'] for row in unanswerable), len(unanswerable))} | ≥ 90% |",
        f"| wrong declines (answerable declined) | {share(sum(not row['answered'] for row in answerable), len(answerable))} | ≤ 5% |",
        f"| faithfulness (sentences word for word in the cited article) | {share(sum(sentences), len(sentences))} | 100% |",
        f"| latency p50 / p95 | {statistics.median(latencies):.0f} / {p95:.0f} ms | p95 ≤ 300 ms |",
        f"| accuracy, Latin America questions | {share(sum(map(correct, latin)), len(latin))} | |",
        "| accuracy by kind | " + ", ".join(f"{kind} {right}/{total}" for kind, (right, total) in sorted(by_kind.items())) + " | |",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    for row in answerable:
        if not correct(row):
            print(f"  missed {row['item']['id']}: {row['item']['question'][:70]} → {row['first'][:90] or 'declined'}")
    for row in unanswerable:
        if row["answered"]:
            print(f"  answered unanswerable {row['item']['id']}: {row['first'][:90]}")
    return table


if __name__ == "__main__":
    main()
