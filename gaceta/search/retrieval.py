"""Finding passages with the database's own full-text engine.

SQLite: FTS5 ranked by BM25, the headline column weighted four times the paragraph. PostgreSQL:
the generated tsvector column (headline weight A, paragraph D) ranked by ts_rank_cd. Both get
the question's words OR-ed together plus its two-word phrases, so a passage holding "Cindy
Sheehan" as a phrase ranks above one with "Cindy" and "Sheehan" apart. Which words may make a
passage match, and which only rank it, is set by their frequency (see RANK_BUDGET).
"""

from datetime import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Min
from wagtail.models import PageViewRestriction

from gaceta.articles.models import ArticlePage
from gaceta.articles.preview import block_texts, cut_of, preview_texts
from gaceta.core.cache import cached_fragment, page_tag
from gaceta.members.access import can_read_in_full, passes_view_restriction, visibilities_readable_by

from .models import Passage
from .text import STOPWORDS, stemmer, words

HEADLINE_WEIGHT = 4.0
MAX_TERMS = 16
# A word in more than this share of passages ("government", "president") adds little to the
# ranking and a lot to its cost; queries keep it only when fewer than MIN_TERMS rarer words remain.
COMMON_SHARE = 0.08
COMMON_MINIMUM = 1000
MIN_TERMS = 2
# Ranking costs in proportion to the passages that match. The rarest words choose the passages
# to rank, as many words as keep the matches under this; the other words only raise the score of
# those passages. When even the two rarest words match more (a search for "government election"
# in a million articles), only the newest passages, as many as should hold about this many
# matches, are ranked.
RANK_BUDGET = 2_000
STATISTICS_SECONDS = 24 * 60 * 60


def index_stem(word: str) -> str:
    """The term SQLite's index holds `word` under: FTS5's "porter" tokenizer is the original
    Porter stemmer."""
    return stemmer("porter").stemWord(word)


def index_span() -> tuple[int, int]:
    """The lowest and highest passage ids (two index lookups; cached an hour). Newer passages
    have higher ids, so a range of ids is a range of recency."""
    key = f"gaceta:passage-span:{connection.vendor}"
    span = cache.get(key)
    if span is None:
        bounds = Passage.objects.aggregate(low=Min("id"), high=Max("id"))
        span = (bounds["low"] or 0, bounds["high"] or 0)
        cache.set(key, span, 60 * 60)
    return span


def passage_count() -> int:
    """About how many passages there are (ids are dense; counting rows would scan them all)."""
    low, high = index_span()
    return high - low + 1 if high else 0


def common_threshold() -> int:
    """Passages a word may appear in before it counts as common (never under a thousand)."""
    return max(COMMON_MINIMUM, int(passage_count() * COMMON_SHARE))


def word_frequencies(words_: list[str]) -> dict[str, int]:
    """How many passages hold each (folded) word; cached a day per word.

    SQLite reads the count from the index's own vocabulary (fts5vocab). PostgreSQL takes the
    common words from the planner's statistics (ANALYZE keeps the most common lexemes of a
    tsvector column with their frequencies) and counts the others through the GIN index,
    stopping where the exact number no longer matters.
    """
    keys = {word: f"gaceta:df:{connection.vendor}:{word}" for word in words_}
    known = cache.get_many(list(keys.values()))
    result = {word: known[key] for word, key in keys.items() if key in known}
    missing = [word for word in words_ if word not in result]
    if missing:
        result.update(_postgres_frequencies(missing) if connection.vendor == "postgresql" else _sqlite_frequencies(missing))
        cache.set_many({keys[word]: result[word] for word in missing}, STATISTICS_SECONDS)
    return result


def _sqlite_frequencies(words_: list[str]) -> dict[str, int]:
    found = {}
    with connection.cursor() as cursor:
        for word in words_:
            cursor.execute("SELECT doc FROM answers_passage_vocab WHERE term = %s", [index_stem(word)])
            row = cursor.fetchone()
            found[word] = row[0] if row else 0
    return found


def _postgres_frequencies(words_: list[str]) -> dict[str, int]:
    common, least_common = _common_lexemes()
    total = passage_count()
    # Counting beyond this would not change pruning or the ranking budget. A word the statistics
    # do not list is rarer than every word they list, so its count can stop lower.
    cap = max(common_threshold(), RANK_BUDGET) + 1
    if common and least_common * total <= common_threshold():
        cap = RANK_BUDGET + 1
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, (SELECT min(lexeme) FROM unnest(to_tsvector('english', word))) "
            "FROM unnest(%s::text[]) AS word",
            [words_],
        )
        lexemes = dict(cursor.fetchall())
        for word in words_:
            lexeme = lexemes.get(word)
            if lexeme in common:
                found[word] = round(common[lexeme] * total)
                continue
            cursor.execute(
                "SELECT count(*) FROM (SELECT 1 FROM answers_passage "
                "WHERE search @@ plainto_tsquery('english', %s) LIMIT %s) AS hits",
                [word, cap],
            )
            found[word] = cursor.fetchone()[0]
    return found


def _common_lexemes() -> tuple[dict[str, float], float]:
    """The planner's most common lexemes of the passage index with the share of passages that
    hold each, and the smallest share listed (empty before the first ANALYZE; cached an hour)."""
    key = "gaceta:common-lexemes"
    cached = cache.get(key)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'answers_passage' AND attname = 'search'"
            )
            row = cursor.fetchone()
        shares = dict(zip(row[0], row[1])) if row and row[0] else {}
        cached = (shares, min(shares.values(), default=1.0))
        cache.set(key, cached, 60 * 60)
    return cached


def query_terms(question: str) -> tuple[list[str], list[str]]:
    """The question's content words and its two-word phrases of content words."""
    tokens = [word for word in words(question) if len(word) > 1 or word.isdigit()]
    terms = list(dict.fromkeys(word for word in tokens if word not in STOPWORDS))[:MAX_TERMS]
    phrases = list(
        dict.fromkeys(
            f"{first} {second}"
            for first, second in zip(tokens, tokens[1:])
            if first not in STOPWORDS and second not in STOPWORDS
        )
    )[:MAX_TERMS]
    return terms, phrases


def _ranked_query(question: str, columns: str, *, visibilities: set[str], include_previews: bool,
                  published_from: datetime | None, published_before: datetime | None, limit: int):
    """SQL and parameters selecting `columns` of the passages (alias p) that match `question`,
    with their `score` (higher is better), best first; None when the question has no words."""
    terms, phrases = query_terms(question)
    if not terms:
        return None
    frequencies = word_frequencies(terms)
    common = common_threshold()
    rare = [term for term in terms if frequencies[term] <= common]
    if len(rare) < MIN_TERMS:
        rare = sorted(terms, key=frequencies.get)[:MIN_TERMS]
    # A phrase of two common words ("united states") still narrows: it stays when a word is rare
    # or when too few rare words are left to rank by.
    phrases = [phrase for phrase in phrases if set(phrase.split()) & set(rare) or len(rare) <= MIN_TERMS]
    # The rarest words choose which passages are ranked, as many as fit the budget; the others
    # only add to the score of those passages.
    drivers, expected = [], 0
    for term in sorted(rare, key=frequencies.get):
        if len(drivers) >= MIN_TERMS and expected + frequencies[term] > RANK_BUDGET:
            break
        drivers.append(term)
        expected += frequencies[term]
    boosters = [term for term in rare if term not in drivers]
    phrases = [phrase for phrase in phrases if set(phrase.split()) & set(drivers)] if boosters else phrases
    readable = f"p.visibility IN ({', '.join(['%s'] * len(visibilities))})" if visibilities else "0=1"
    access, params = f"({readable} AND p.in_full)", list(visibilities)
    if include_previews:
        access = f"({access} OR (NOT {readable} AND p.is_preview))"
        params += list(visibilities)
    conditions = [access]
    if published_from:
        conditions.append("p.published_at >= %s")
        params.append(published_from)
    if published_before:
        conditions.append("p.published_at < %s")
        params.append(published_before)
    if expected > RANK_BUDGET and not (published_from or published_before):
        low, high = index_span()
        window = int((high - low + 1) * RANK_BUDGET / expected)
        # SQLite: a bound on the FTS table's rowid, which FTS5 applies while reading the index.
        conditions.append("p.id > %s" if connection.vendor == "postgresql" else "answers_passage_fts.rowid > %s")
        params.append(high - window)
    if connection.vendor == "postgresql":
        plain, phrase = "plainto_tsquery('english', %s)", "phraseto_tsquery('english', %s)"
        chosen = " || ".join([plain] * len(drivers) + [phrase] * len(phrases))
        ranked = " || ".join([chosen, *[plain] * len(boosters)])
        # Matched by the chosen words, ranked by all of them.
        sql = (
            f"SELECT {columns}, ts_rank_cd(p.search, q.ranked) AS score "
            f"FROM answers_passage p, (SELECT {chosen}, {ranked}) AS q(chosen, ranked) "
            f"WHERE p.search @@ q.chosen AND {' AND '.join(conditions)} ORDER BY score DESC, p.id LIMIT %s"
        )
        values = [*drivers, *phrases, *drivers, *phrases, *boosters]
        return sql, [*values, *params, limit]
    chosen = " OR ".join(f'"{item}"' for item in [*drivers, *phrases])
    match = chosen
    if boosters:
        others = " OR ".join(f'"{term}"' for term in boosters)
        match = f"({chosen}) AND ({chosen} OR {others})"
    sql = (
        f"SELECT {columns}, -bm25(answers_passage_fts, {HEADLINE_WEIGHT}, 1.0) AS score "
        f"FROM answers_passage_fts JOIN answers_passage p ON p.id = answers_passage_fts.rowid "
        f"WHERE answers_passage_fts MATCH %s AND {' AND '.join(conditions)} "
        f"ORDER BY score DESC, p.id LIMIT %s"
    )
    return sql, [match, *params, limit]


PASSAGE_COLUMNS = (
    "p.id, p.article_id, p.position, p.title, p.text, p.section, p.published_at, p.visibility, "
    "p.is_preview, p.in_full"
)


def search_passages(
    question: str,
    *,
    reader,
    include_previews: bool = True,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
    limit: int = 40,
) -> list[Passage]:
    """Best passages for `question`, best first, each with `score`, among those `reader` may see
    now (see `served`). With `include_previews`, the previews of stories the reader may not read
    in full are searched too."""
    query = _ranked_query(
        question, PASSAGE_COLUMNS, visibilities=visibilities_readable_by(reader),
        include_previews=include_previews, published_from=published_from,
        published_before=published_before, limit=limit,
    )
    return served(list(Passage.objects.raw(*query)), reader) if query else []


def served(passages: list[Passage], reader) -> list[Passage]:
    """The passages `reader` may see, judged by each article's state now, not when it was indexed
    (the index is updated by a background task and may lag; access may not): live articles only,
    none behind a privacy setting the reader does not pass, the whole text of those the reader
    may read in full, and of the others only what their preview shows today. Each passage's
    `visibility` is set to its article's."""
    articles, hidden, locked = _states({passage.article_id for passage in passages}, reader)
    previews = _preview_texts(locked)
    shown = []
    for passage in passages:
        article = articles.get(passage.article_id)
        if article is None or article.pk in hidden:
            continue
        passage.visibility = article.visibility
        if article.pk in locked:
            if passage.is_preview and (passage.position == 0 or passage.text in previews[article.pk]):
                shown.append(passage)
        elif passage.in_full:
            shown.append(passage)
    return shown


def _states(ids, reader) -> tuple[dict[int, ArticlePage], set[int], set[int]]:
    """The live articles among `ids`, those of them behind a privacy setting `reader` does not
    pass, and those the reader may not read in full now."""
    articles = {
        article.pk: article
        for article in ArticlePage.objects.published().filter(pk__in=ids).only("visibility", "path", "depth")
    }
    hidden = _behind_privacy_settings(articles.values(), reader)
    locked = {pk for pk, article in articles.items() if not can_read_in_full(reader, article)} - hidden
    return articles, hidden, locked


def articles_readable_now(ids, reader) -> tuple[set[int], set[int]]:
    """Of the articles `ids`: those `reader` may read in full now, and those they may see only
    the preview of (live, and behind no privacy setting the reader does not pass)."""
    articles, hidden, locked = _states(ids, reader)
    return set(articles) - hidden - locked, locked


def _behind_privacy_settings(articles, reader) -> set[int]:
    """Articles under a page with a Wagtail privacy setting that `reader` does not pass."""
    if not cached_fragment("any-view-restriction", PageViewRestriction.objects.exists):
        return set()
    restrictions = list(PageViewRestriction.objects.select_related("page").prefetch_related("groups"))
    return {
        article.pk
        for article in articles
        if any(
            article.path.startswith(restriction.page.path) and not passes_view_restriction(reader, restriction)
            for restriction in restrictions
        )
    }


def _preview_texts(article_ids: set[int]) -> dict[int, set[str]]:
    """What the preview of each article shows now, as the plain text of its blocks."""
    def produce(article):
        texts = block_texts(article.body)
        return set(preview_texts(texts, cut_of(article.body)))

    return {
        article.pk: cached_fragment(f"preview-texts:{article.pk}", lambda: produce(article), tags=[page_tag(article.pk)])
        for article in ArticlePage.objects.filter(pk__in=article_ids).only("body")
    }
