"""Finding passages with the database's own full-text engine.

SQLite: FTS5 ranked by BM25, the headline column weighted four times the paragraph. PostgreSQL:
the generated tsvector column (headline weight A, paragraph D) ranked by ts_rank_cd. Both get
the question's words OR-ed together plus its two-word phrases, so a passage holding "Cindy
Sheehan" as a phrase ranks above one with "Cindy" and "Sheehan" apart.
"""

from datetime import datetime

from django.db import connection

from .models import Passage
from .text import STOPWORDS, words

HEADLINE_WEIGHT = 4.0
MAX_TERMS = 16


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


def search_passages(
    question: str,
    *,
    visibilities: set[str],
    include_previews: bool = True,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
    limit: int = 40,
) -> list[Passage]:
    """Best passages for `question`, best first, each with `score`, among those the reader may see.

    A passage may be seen when its article's visibility is in `visibilities` or, with
    `include_previews`, when it is part of the opening every reader sees.
    """
    terms, phrases = query_terms(question)
    if not terms:
        return []
    access = f"p.visibility IN ({', '.join(['%s'] * len(visibilities))})" if visibilities else "0=1"
    if include_previews:
        access = f"({access} OR p.is_preview)"
    conditions, params = [access], list(visibilities)
    if published_from:
        conditions.append("p.published_at >= %s")
        params.append(published_from)
    if published_before:
        conditions.append("p.published_at < %s")
        params.append(published_before)
    columns = "p.id, p.article_id, p.position, p.title, p.text, p.section, p.published_at, p.visibility, p.is_preview"
    if connection.vendor == "postgresql":
        tsquery = " || ".join(
            ["plainto_tsquery('english', %s)"] * len(terms) + ["phraseto_tsquery('english', %s)"] * len(phrases)
        )
        sql = (
            f"SELECT {columns}, ts_rank_cd(p.search, q.query) AS score "
            f"FROM answers_passage p, (SELECT {tsquery}) AS q(query) "
            f"WHERE p.search @@ q.query AND {' AND '.join(conditions)} ORDER BY score DESC, p.id LIMIT %s"
        )
        params = [*terms, *phrases, *params, limit]
    else:
        match = " OR ".join(f'"{item}"' for item in [*terms, *phrases])
        sql = (
            f"SELECT {columns}, -bm25(answers_passage_fts, {HEADLINE_WEIGHT}, 1.0) AS score "
            f"FROM answers_passage_fts JOIN answers_passage p ON p.id = answers_passage_fts.rowid "
            f"WHERE answers_passage_fts MATCH %s AND {' AND '.join(conditions)} "
            f"ORDER BY score DESC, p.id LIMIT %s"
        )
        params = [match, *params, limit]
    # Each passage comes back with `score`: higher is better.
    return list(Passage.objects.raw(sql, params))


def search_articles(query: str, *, visibilities: set[str], limit: int = 200) -> list[int]:
    """Article ids for the site's search page, most relevant first: each article ranked by its
    best passage. Articles a reader may not read in full match only on what every reader sees
    (headline, summary, opening paragraphs)."""
    ranked: dict[int, None] = {}
    for passage in search_passages(query, visibilities=visibilities, limit=limit * 3):
        ranked.setdefault(passage.article_id, None)
        if len(ranked) >= limit:
            break
    return list(ranked)
