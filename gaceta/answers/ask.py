"""Answering a reader's question from the archive, with a citation on every sentence.

`answer_question` retrieves passages the reader may see, lets the reader (reader.py) pick the
sentences that answer, and returns an `Answer`: sentences with citation numbers, the cited
articles, and the closest stories when it declines. It never writes; services.py records what
was asked.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from gaceta.articles.models import ArticlePage
from gaceta.members.access import visibilities_readable_by

from . import retrieval
from .models import Passage
from .reader import MAX_FIRST_WORDS, NAME, candidates, plan_question, select_sentences, trim
from .text import STOPWORDS, fold, stem, words

DF_CACHE_SECONDS = 24 * 60 * 60
DF_CAP = 50_000
PASSAGES_PER_QUESTION = 40
QUESTION_MAX_CHARS = 300
DECLINED = "The archive doesn't answer that."

_porter = None


@dataclass
class Citation:
    n: int
    article_id: int
    title: str
    url: str
    published: datetime
    section: str
    quote: str = ""

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "title": self.title,
            "url": self.url,
            "published": timezone.localtime(self.published).date().isoformat(),
            "section": self.section,
            "quote": self.quote,
        }


@dataclass
class Related:
    """A story that came close, listed without its text (it may be one the reader can't read)."""

    title: str
    url: str
    published: datetime
    section: str
    locked: bool

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "published": timezone.localtime(self.published).date().isoformat(),
            "section": self.section,
            "locked": self.locked,
        }


@dataclass
class Sentence:
    text: str
    citations: list[int]
    article_id: int = 0
    quote: str = ""  # the article's own words, as the sentence quotes them


@dataclass
class Answer:
    question: str
    answered: bool
    sentences: list[Sentence] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        if not self.answered:
            return DECLINED
        return " ".join(f"{sentence.text} {''.join(f'[{n}]' for n in sentence.citations)}" for sentence in self.sentences)

    def as_json(self) -> dict:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.text,
            "sentences": [{"text": s.text, "citations": s.citations} for s in self.sentences],
            "citations": [citation.as_json() for citation in self.citations],
            "related": [story.as_json() for story in self.related],
            "followups": self.followups,
        }


def document_frequency(stems: list[str], question: str) -> dict[str, int]:
    """How many passages hold each of the question's words, cached a day per word."""
    by_stem: dict[str, str] = {}
    for word in words(question):
        if word not in STOPWORDS and stem(word) in stems:
            by_stem.setdefault(stem(word), word)
    keys = {term: f"gaceta:ask-df:{connection.vendor}:{term}" for term in by_stem}
    known = cache.get_many(list(keys.values()))
    result = {term: known[key] for term, key in keys.items() if key in known}
    missing = {term: word for term, word in by_stem.items() if term not in result}
    if missing:
        with connection.cursor() as cursor:
            for term, word in missing.items():
                result[term] = _count_passages_with(cursor, word)
        cache.set_many({keys[term]: result[term] for term in missing}, DF_CACHE_SECONDS)
    return result


def _count_passages_with(cursor, word: str) -> int:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM answers_passage "
            "WHERE search @@ plainto_tsquery('english', %s) LIMIT %s) AS hits",
            [word, DF_CAP],
        )
        return cursor.fetchone()[0]
    global _porter
    if _porter is None:
        import snowballstemmer

        _porter = snowballstemmer.stemmer("porter")
    # fts5vocab reads the index's own count for the term: no scan of the passages.
    cursor.execute("SELECT doc FROM answers_passage_vocab WHERE term = %s", [_porter.stemWord(word)])
    row = cursor.fetchone()
    return row[0] if row else 0


def passage_count() -> int:
    key = f"gaceta:ask-passages:{connection.vendor}"
    count = cache.get(key)
    if count is None:
        count = Passage.objects.count()
        cache.set(key, count, 60 * 60)
    return count


def _year_range(years: list[int]) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(min(years), 1, 1, tzinfo=tz), datetime(max(years) + 2, 1, 1, tzinfo=tz)


def _retrieve(plan, question: str, visibilities: set[str]) -> list[Passage]:
    passages: list[Passage] = []
    if plan.years and 1900 < min(plan.years) <= timezone.now().year:
        start, end = _year_range(plan.years)
        passages = retrieval.search_passages(
            question, visibilities=visibilities, published_from=start, published_before=end,
            limit=PASSAGES_PER_QUESTION,
        )
    if len(passages) < PASSAGES_PER_QUESTION // 4:
        seen = {passage.pk for passage in passages}
        passages += [
            passage
            for passage in retrieval.search_passages(question, visibilities=visibilities, limit=PASSAGES_PER_QUESTION)
            if passage.pk not in seen
        ]
    if plan.wants_recent and passages:
        newest = max(passage.published_at for passage in passages)
        for passage in passages:
            age_years = (newest - passage.published_at).days / 365.25
            passage.score *= math.exp(-age_years / 2)
        passages.sort(key=lambda passage: passage.score, reverse=True)
    return passages


def as_of(published: datetime) -> str:
    """"As of May 2006, " for a source older than the age-notice threshold, else ""."""
    if timezone.now() - published < timedelta(days=settings.GACETA_AGE_NOTICE_DAYS):
        return ""
    return f"As of {timezone.localtime(published):%B %Y}, "


def _with_prefix(prefix: str, text: str) -> str:
    if not prefix:
        return text
    first, _, rest = text.partition(" ")
    if fold(first) in STOPWORDS and first[:1].isupper() and not first.isupper():
        first = first[:1].lower() + first[1:]
    return f"{prefix}{first} {rest}".rstrip()


def answer_question(question: str, reader, url_for) -> Answer:
    """Answer `question` for `reader` (a member or AnonymousUser).

    `url_for(article)` gives an absolute link to an article. Only passages of articles the
    reader may read in full are quoted; others that match are listed in `related` as locked.
    """
    question = " ".join(question.split())[:QUESTION_MAX_CHARS]
    visibilities = visibilities_readable_by(reader)
    plan = plan_question(question, lambda stems: document_frequency(stems, question), passage_count())
    passages = _retrieve(plan, question, visibilities)
    readable = [passage for passage in passages if passage.visibility in visibilities]
    ranked = candidates(plan, readable)

    chosen = select_sentences(plan, ranked)

    articles = _articles_by_id({passage.article_id for passage in passages})
    answer = Answer(question=question, answered=bool(chosen))
    numbers: dict[int, Citation] = {}
    for position, candidate in enumerate(chosen):
        article = articles.get(candidate.passage.article_id)
        if article is None:
            continue
        prefix = as_of(candidate.passage.published_at)
        quote = trim(candidate.text, plan, MAX_FIRST_WORDS - len(prefix.split()))
        if candidate.passage.article_id not in numbers:
            numbers[candidate.passage.article_id] = Citation(
                n=len(numbers) + 1, article_id=article.pk, title=article.title, url=url_for(article),
                published=candidate.passage.published_at, section=candidate.passage.section, quote=quote,
            )
        citation = numbers[candidate.passage.article_id]
        answer.sentences.append(
            Sentence(_with_prefix(prefix, quote), [citation.n], article_id=article.pk, quote=quote)
        )
    answer.answered = bool(answer.sentences)
    answer.citations = list(numbers.values())

    cited = set(numbers)
    for passage in passages:
        if passage.article_id in cited or passage.article_id not in articles:
            continue
        if any(story.url == url_for(articles[passage.article_id]) for story in answer.related):
            continue
        article = articles[passage.article_id]
        answer.related.append(
            Related(article.title, url_for(article), passage.published_at, passage.section,
                    locked=passage.visibility not in visibilities)
        )
        if len(answer.related) >= 4:
            break
    answer.followups = followups(plan, answer)
    return answer


def _articles_by_id(ids: set[int]) -> dict[int, ArticlePage]:
    return {
        article.pk: article
        for article in ArticlePage.objects.filter(pk__in=ids).only("title", "url_path", "path", "depth")
    }


def followups(plan, answer: Answer, limit: int = 3) -> list[str]:
    """Questions a reader might ask next: about the names the answer brings up."""
    asked = set(plan.question_words)
    suggestions: list[str] = []
    for sentence in answer.sentences:
        for match in NAME.finditer(sentence.quote):
            name = match[1].rstrip(".,")
            folded = fold(name)
            if folded in asked or folded in STOPWORDS or len(name) < 3 or match.start() == 0:
                continue
            suggestion = f"What else has the archive reported about {name}?"
            if suggestion not in suggestions:
                suggestions.append(suggestion)
            if len(suggestions) >= limit:
                return suggestions
    return suggestions
