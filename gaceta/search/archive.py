"""The site's search page over the passage index: every word found, ranked by relevance and age.

An article matches when each of the query's words (stemmed by the index: "election" finds
"elects") is in a passage the reader may see; when no article has them all, articles with any
of them are shown instead. Relevance is the article's best passage (BM25 on SQLite, ts_rank_cd
on PostgreSQL) divided by 1 + its age in units of RECENCY_YEARS, so that the newsroom's own new
stories come ahead of decades-old ones that use the words as often. Ask does not use this: its
retrieval (retrieval.py) has its own ranking and budget.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils import timezone

from gaceta.members.access import visibilities_readable_by

from .models import Passage
from .retrieval import HEADLINE_WEIGHT, PASSAGE_COLUMNS, articles_readable_now, index_span, served, word_frequencies
from .text import STOPWORDS, words

MAX_WORDS = 8
# A story this many years old weighs half a new one with the same relevance.
RECENCY_YEARS = 2.0
RESULTS_MAX = 1000
# Ranking costs in proportion to the passages that match. When more than this would match (every
# word of "government election" is in a tenth of a million-article archive), only the newest
# passages, as many as should hold about this many matches, are ranked, and the count says "more
# than". A rare word keeps the whole archive in reach: with every word required, the rarest sets
# how many match.
RANK_BUDGET = 5_000


@dataclass
class SearchResult:
    article_ids: list[int]
    all_words: bool  # False: no article had every word; these have some of them
    capped: bool  # more articles matched than RESULTS_MAX


def search_words(query: str) -> list[str]:
    tokens = [word for word in words(query) if (len(word) > 1 or word.isdigit()) and word not in STOPWORDS]
    return list(dict.fromkeys(tokens))[:MAX_WORDS]


def search_archive(
    query: str,
    *,
    reader,
    section_path: str | None = None,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
    newest_first: bool = False,
    now: datetime | None = None,
) -> SearchResult:
    """Articles for `query`, best (or newest) first, among the passages `reader` may see: the
    whole text of the articles they may read in full, and every article's preview; each result is
    confirmed against its article as it is now (see `retrieval.served`)."""
    visibilities = visibilities_readable_by(reader)
    terms = search_words(query)
    if not terms:
        return SearchResult([], all_words=True, capped=False)
    filters = {"section_path": section_path, "published_from": published_from, "published_before": published_before}
    order = {"newest_first": newest_first, "now": now or timezone.now()}
    frequencies = word_frequencies(terms)
    bounded = not (published_from or published_before)
    newest = _newest_passages(min(frequencies.values())) if bounded else None
    ids = _confirmed(_ranked(terms, visibilities, require_all=True, frequencies=frequencies, newest=newest, **filters, **order), terms, reader, True)
    all_words = bool(ids) or len(terms) == 1
    if not ids and len(terms) > 1:
        newest = _newest_passages(sum(frequencies.values())) if bounded else None
        ids = _confirmed(_ranked(terms, visibilities, require_all=False, frequencies=frequencies, newest=newest, **filters, **order), terms, reader, False)
    return SearchResult(ids[:RESULTS_MAX], all_words=all_words, capped=len(ids) > RESULTS_MAX or (newest is not None and bool(ids)))


def _newest_passages(expected: int) -> int | None:
    """The lowest passage id to rank when about `expected` passages would match, or None for all
    (ids grow with time: a range of ids is a range of recency)."""
    if expected <= RANK_BUDGET:
        return None
    low, high = index_span()
    return high - int((high - low + 1) * RANK_BUDGET / expected)


def _confirmed(ids: list[int], terms: list[str], reader, require_all: bool) -> list[int]:
    """`ids` less the articles the reader may not find these words in now: unpublished, behind a
    privacy setting, or locked now with the words only outside what their preview shows today
    (the index may lag behind the article; access may not)."""
    readable, locked = articles_readable_now(ids, reader)
    if locked:
        found: dict[int, set[str]] = {}
        for term in terms:
            for passage in served(_preview_passages(term, locked), reader):
                found.setdefault(passage.article_id, set()).add(term)
        need = len(terms) if require_all else 1
        readable |= {pk for pk, words_ in found.items() if len(words_) >= need}
    return [pk for pk in ids if pk in readable]


def _preview_passages(term: str, article_ids: set[int]) -> list[Passage]:
    placeholders = ", ".join(["%s"] * len(article_ids))
    if connection.vendor == "postgresql":
        sql = (f"SELECT {PASSAGE_COLUMNS} FROM answers_passage p WHERE p.search @@ plainto_tsquery('english', %s) "
               f"AND p.is_preview AND p.article_id IN ({placeholders})")
        params = [term, *article_ids]
    else:
        sql = (f"SELECT {PASSAGE_COLUMNS} FROM answers_passage_fts JOIN answers_passage p ON p.id = answers_passage_fts.rowid "
               f"WHERE answers_passage_fts MATCH %s AND p.is_preview AND p.article_id IN ({placeholders})")
        params = [_fts_phrase(term), *article_ids]
    return list(Passage.objects.raw(sql, params))


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _ranked(terms, visibilities, *, require_all, frequencies, newest, section_path, published_from, published_before, newest_first, now):
    postgres = connection.vendor == "postgresql"
    access = f"p.visibility IN ({', '.join(['%s'] * len(visibilities))})" if visibilities else "0=1"
    access = f"({access} OR p.is_preview)"
    access_params = list(visibilities)
    if newest is not None:
        # SQLite: a bound on the FTS table's rowid, which FTS5 applies while reading the index.
        access += " AND p.id > %s" if postgres else " AND answers_passage_fts.rowid > %s"
        access_params.append(newest)
    if postgres:
        matches = "p.search @@ q.query"
        source = "answers_passage p, (SELECT {}) AS q(query)".format(" || ".join(["plainto_tsquery('english', %s)"] * len(terms)))
        source_params = list(terms)
        score = "ts_rank_cd(p.search, q.query)"
        age = "GREATEST(0, EXTRACT(EPOCH FROM (%s - p.published_at)) / 31557600.0)"
        age_params = [connection.ops.adapt_datetimefield_value(now)]
        term_match = "SELECT p.article_id FROM answers_passage p WHERE p.search @@ plainto_tsquery('english', %s) AND {}"
    else:
        matches = "answers_passage_fts MATCH %s"
        source = "answers_passage_fts JOIN answers_passage p ON p.id = answers_passage_fts.rowid"
        source_params = []
        score = f"-bm25(answers_passage_fts, {HEADLINE_WEIGHT}, 1.0)"
        age = "max(0, (julianday(%s) - julianday(p.published_at)) / 365.25)"
        age_params = [connection.ops.adapt_datetimefield_value(now)]
        term_match = (
            "SELECT p.article_id FROM answers_passage_fts JOIN answers_passage p ON p.id = answers_passage_fts.rowid "
            "WHERE answers_passage_fts MATCH %s AND {}"
        )
    any_word = " OR ".join(_fts_phrase(term) for term in terms)
    # With every word required, the rarest chooses the passages scored (by all the words).
    driver = min(terms, key=frequencies.get) if require_all and len(terms) > 1 else None
    if postgres:
        matches, params = (("p.search @@ plainto_tsquery('english', %s)", [driver]) if driver else (matches, []))
    else:
        params = [f"{_fts_phrase(driver)} AND ({any_word})" if driver else any_word]
    conditions = [matches, access]
    params += access_params
    if section_path:
        conditions.append("p.article_id IN (SELECT id FROM wagtailcore_page WHERE path LIKE %s)")
        params.append(f"{section_path}%")
    if published_from:
        conditions.append("p.published_at >= %s")
        params.append(connection.ops.adapt_datetimefield_value(published_from))
    if published_before:
        conditions.append("p.published_at < %s")
        params.append(connection.ops.adapt_datetimefield_value(published_before))
    if require_all and len(terms) > 1:
        # Each word somewhere in what the reader may see of the article.
        every = " INTERSECT ".join([term_match.format(access)] * len(terms))
        conditions.append(f"p.article_id IN ({every})")
        for term in terms:
            params += [term if postgres else _fts_phrase(term), *access_params]
    ranking = "published DESC, article_id DESC" if newest_first else "relevance DESC, published DESC, article_id DESC"
    # Scored passage by passage first (FTS5's bm25() cannot stand inside an aggregate).
    sql = (
        f"WITH hits AS MATERIALIZED (SELECT p.article_id, p.published_at, {score} AS score, {age} AS age "
        f"FROM {source} WHERE {' AND '.join(conditions)}) "
        f"SELECT article_id, MAX(score) / (1 + MIN(age) / {RECENCY_YEARS}) AS relevance, MAX(published_at) AS published "
        f"FROM hits GROUP BY article_id ORDER BY {ranking} LIMIT %s"
    )
    with connection.cursor() as cursor:
        # Placeholders in the order they stand: SELECT (age), FROM (PostgreSQL's query), WHERE.
        cursor.execute(sql, [*age_params, *source_params, *params, RESULTS_MAX + 1])
        return [row[0] for row in cursor.fetchall()]
