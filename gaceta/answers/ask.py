"""Answering a reader's question from the archive, with a citation on every sentence.

`answer_question` retrieves passages the reader may see, lets the reader (learned.py; reader.py
with GACETA_ASK_READER=rules) pick the sentences that answer, and returns an `Answer`: sentences
with citation numbers, the cited articles, and the closest stories when it declines. It never
writes; services.py records what was asked.
"""

import logging
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from gaceta.articles.models import ArticlePage
from gaceta.members.access import visibilities_readable_by

from gaceta.core.text import split_sentences

from gaceta.search import retrieval
from gaceta.search.models import Passage

from . import learned, llm
from .reader import (
    MAX_ANSWER_WORDS, MAX_FIRST_WORDS, MAX_SENTENCES, candidates, plan_question, published_near, select_sentences, trim,
)
from .vectors import stored_vectors
from gaceta.search.text import STOPWORDS, content_stems, fold, stem, words

PASSAGES_PER_QUESTION = 40
ARTICLES_READ = 6
DATE_BOOST = 1.5  # a story from the question's year, or from around its month
QUESTION_MAX_CHARS = 300
DECLINED = "The archive doesn't answer that."

logger = logging.getLogger(__name__)


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
    def has_locked_related(self) -> bool:
        """A close story the reader may not read in full: it may hold what the answer lacks."""
        return any(story.locked for story in self.related)

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
    """How many passages hold each of the question's words, by stem."""
    by_stem: dict[str, str] = {}
    for word in words(question):
        if word not in STOPWORDS and stem(word) in stems:
            by_stem.setdefault(stem(word), word)
    frequencies = retrieval.word_frequencies(list(by_stem.values()))
    return {term: frequencies[word] for term, word in by_stem.items()}


def _year_range(years: list[int]) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(min(years), 1, 1, tzinfo=tz), datetime(max(years) + 2, 1, 1, tzinfo=tz)


def _retrieve(plan, question: str, reader) -> list[Passage]:
    """The best passages, best first. A year in the question ranks that year's passages (and the
    next year's, which look back on it) ahead, and a month the stories from around it, but a
    story written later can still answer."""
    passages = retrieval.search_passages(question, reader=reader, limit=PASSAGES_PER_QUESTION)
    start = end = None
    if plan.years and 1900 < min(plan.years) <= timezone.now().year:
        start, end = _year_range(plan.years)
        in_range = retrieval.search_passages(
            question, reader=reader, published_from=start, published_before=end,
            limit=PASSAGES_PER_QUESTION,
        )
        passages = list({passage.pk: passage for passage in [*passages, *in_range]}.values())
    for passage in passages:
        if start and start <= passage.published_at < end:
            passage.score *= DATE_BOOST
        if any(published_near(passage.published_at, month) for month in plan.months):
            passage.score *= DATE_BOOST
    passages.sort(key=lambda passage: passage.score, reverse=True)
    if plan.wants_recent and passages:
        newest = max(passage.published_at for passage in passages)
        for passage in passages:
            age_years = (newest - passage.published_at).days / 365.25
            passage.score *= math.exp(-age_years / 2)
        passages.sort(key=lambda passage: passage.score, reverse=True)
    return passages


def _whole_articles(passages: list[Passage], visibilities: set[str]) -> list[Passage]:
    """All readable passages of the best ARTICLES_READ articles, grouped by article in their
    order: the sentence that answers is often a paragraph that did not match the question's
    words. Passages retrieval did not rank get half their article's best score."""
    best: dict[int, float] = {}
    for passage in passages:
        if passage.visibility in visibilities:
            best.setdefault(passage.article_id, passage.score)
    chosen = list(best)[:ARTICLES_READ]
    ranked = {passage.pk: passage for passage in passages}
    grouped: dict[int, list[Passage]] = {article_id: [] for article_id in chosen}
    for passage in Passage.objects.filter(article_id__in=chosen, in_full=True).order_by("position"):
        if passage.pk in ranked:
            passage = ranked[passage.pk]
        else:
            passage.score = best[passage.article_id] / 2
        grouped[passage.article_id].append(passage)
    return [passage for group in grouped.values() for passage in group]


def as_of(published: datetime) -> str:
    """"As of May 2006, " for a source older than the age-notice threshold, else ""."""
    if timezone.now() - published < timedelta(days=settings.GACETA_AGE_NOTICE_DAYS):
        return ""
    return f"As of {timezone.localtime(published):%B %Y}, "


def _with_prefix(prefix: str, text: str, context: str) -> str:
    """Join "As of May 2006, " to a sentence, lowering its first word unless it is a name:
    a word the article writes lowercase elsewhere ("Following", "Police") is not one."""
    if not prefix:
        return text
    first, _, rest = text.partition(" ")
    second = rest.split(" ", 1)[0]
    is_plain_word = first.istitle() and not second[:1].isupper() and (
        fold(first) in STOPWORDS or re.search(rf"(?<![.!?] )\b{re.escape(first.lower())}\b", context)
    )
    if is_plain_word:
        first = first.lower()
    return f"{prefix}{first} {rest}".rstrip()


@dataclass
class Evidence:
    """What retrieval found for a question, for one reader."""

    question: str
    plan: object
    passages: list[Passage]  # best first, including locked previews
    visibilities: set[str]
    articles: dict[int, ArticlePage]

    @property
    def readable(self) -> list[Passage]:
        return [passage for passage in self.passages if passage.visibility in self.visibilities]

    def articles_read(self) -> list[Passage]:
        return _whole_articles(self.passages, self.visibilities)


def gather(question: str, reader) -> Evidence:
    """Retrieve the passages for `question` that `reader` may see (locked ones only as previews)."""
    question = " ".join(question.split())[:QUESTION_MAX_CHARS]
    visibilities = visibilities_readable_by(reader)
    plan = plan_question(question, lambda stems: document_frequency(stems, question), retrieval.passage_count())
    passages = _retrieve(plan, question, reader)
    articles = _articles_by_id({passage.article_id for passage in passages})
    passages = [passage for passage in passages if passage.article_id in articles]
    return Evidence(question, plan, passages, visibilities, articles)


def extractive_answer(evidence: Evidence, url_for, scorer=None, found=None) -> Answer:
    """The archive's own sentences, each cited, as many as fit the answer's length; declines when
    nothing supports an answer. An old story's date is said once, before its first sentence.
    `GACETA_ASK_READER` picks the reader: `learned` (learned.py, trained; the default) or `rules`
    (the earlier hand-tuned reader.py). `scorer`: a learned.Scorer other than the committed one,
    and `found` the candidates already read (the training script's cross-validation)."""
    if settings.GACETA_ASK_READER == "rules" and scorer is None:
        return _rules_answer(evidence, url_for)
    question = learned.question_of(evidence.plan)
    if found is None:
        # The sentence vectors stored at indexing time; until every story read has them, the
        # text-only scorer answers from the text index alone.
        passages = evidence.articles_read()
        stored = stored_vectors(passages)
        by_passage = {id(passage): stored[passage.pk] for passage in passages} if len(stored) == len(passages) else None
        found = learned.candidates(question, passages, by_passage)
    with_vectors = any("similarity" in candidate.cheap for candidate in found)
    scorer = scorer or learned.scorer(with_vectors)
    ranked = scorer.rank(question, found)
    chosen = learned.select(ranked, scorer.confidence(question, ranked), scorer.threshold)
    answer = Answer(question=evidence.question, answered=bool(chosen))
    numbers: dict[int, Citation] = {}
    for candidate in chosen:
        passage = candidate.passage
        prefix = "" if passage.article_id in numbers else as_of(passage.published_at)
        span = learned.answer_span(scorer, question, candidate)
        quote = learned.trim(candidate.text, span, question, MAX_FIRST_WORDS - len(prefix.split()),
                             learned.parsed(candidate))
        quote, prefix = learned.after_age_notice(candidate, learned.without_dateline(quote), prefix, span)
        sentence = quote
        if prefix:
            sentence = prefix + (quote if learned.keeps_capital(candidate, quote) else quote[:1].lower() + quote[1:])
        if not _add_sentence(answer, numbers, sentence, quote, passage, evidence, url_for):
            continue
    answer.citations = list(numbers.values())
    _finish(answer, evidence, url_for)
    return answer


def _add_sentence(answer: Answer, numbers: dict, sentence: str, quote: str, passage, evidence, url_for) -> bool:
    """Add a cited sentence if the answer has room for it (MAX_ANSWER_WORDS, MAX_SENTENCES)."""
    words_after = len(answer.text.split()) + len(sentence.split()) + 1 if answer.sentences else 0
    if answer.sentences and (words_after >= MAX_ANSWER_WORDS or len(answer.sentences) >= MAX_SENTENCES):
        return False
    if passage.article_id not in numbers:
        numbers[passage.article_id] = _citation(len(numbers) + 1, evidence, passage, quote, url_for)
    answer.sentences.append(Sentence(sentence, [numbers[passage.article_id].n], passage.article_id, quote))
    return True


def _rules_answer(evidence: Evidence, url_for) -> Answer:
    """The earlier hand-tuned reader (reader.py), kept for comparison (GACETA_ASK_READER=rules)."""
    chosen = select_sentences(evidence.plan, candidates(evidence.plan, evidence.articles_read()))
    answer = Answer(question=evidence.question, answered=bool(chosen))
    numbers: dict[int, Citation] = {}
    for candidate in chosen:
        passage = candidate.passage
        prefix = "" if passage.article_id in numbers else as_of(passage.published_at)
        quote = trim(candidate.text, evidence.plan, MAX_FIRST_WORDS - len(prefix.split()))
        _add_sentence(answer, numbers, _with_prefix(prefix, quote, passage.text), quote, passage, evidence, url_for)
    answer.citations = list(numbers.values())
    _finish(answer, evidence, url_for)
    return answer


def model_sentences(evidence: Evidence, sources: list, citations: list[Citation]):
    """The language model's sentences, each yielded once it passed the check against the
    passages it cites; ends quietly (logged) if the model stops answering."""
    try:
        for checked in llm.stream_model_answer(evidence.question, sources):
            cited_sources = [sources[n - 1] for n in checked.citations]
            article_id = citations[checked.citations[0] - 1].article_id
            yield Sentence(checked.text, checked.citations, article_id, _best_quote(checked.text, cited_sources))
    except llm.ModelUnavailable:
        logger.warning("Ask: language model unavailable, answering from extracts", exc_info=True)


def model_answer(evidence: Evidence, sentences: list[Sentence], citations: list[Citation], url_for) -> Answer | None:
    """The Answer made of the model's checked sentences; None when none survived."""
    if not sentences:
        return None
    answer = Answer(question=evidence.question, answered=True, sentences=sentences)
    cited = {n for sentence in sentences for n in sentence.citations}
    answer.citations = [citation for citation in citations if citation.n in cited]
    for citation in answer.citations:
        citation.quote = next(sentence.quote for sentence in sentences if citation.n in sentence.citations)
    _finish(answer, evidence, url_for)
    return answer


# An answerer reads the evidence and yields the events of its answer as it goes (`sources` first,
# then each `sentence`), returning the Answer, or None when it has nothing that holds: the
# language model when one is configured, then the archive's own sentences.

def extractive_events(evidence: Evidence, url_for):
    answer = extractive_answer(evidence, url_for)
    yield "sources", {"citations": [citation.as_json() for citation in answer.citations]}
    for sentence in answer.sentences:
        yield "sentence", {"text": sentence.text, "citations": sentence.citations}
    return answer


def model_events(evidence: Evidence, url_for):
    sources, citations = _model_sources(evidence, url_for)
    yield "sources", {"citations": [citation.as_json() for citation in citations]}
    said = []
    for sentence in model_sentences(evidence, sources, citations) if sources else []:
        said.append(sentence)
        yield "sentence", {"text": sentence.text, "citations": sentence.citations}
    return model_answer(evidence, said, citations, url_for)


def answer_events(question: str, reader, url_for):
    """The answer to `question` for `reader` (a member or AnonymousUser) as (event, data) pairs:
    `sources`, each `sentence` as it comes, `replace` (the whole extractive answer) when the
    model's did not hold, then `done`, whose data carries the Answer under "answer" for the caller
    to record. `url_for(article)` gives an absolute link. Only articles the reader may read in
    full are quoted; others that match are listed in `related` as locked."""
    evidence = gather(question, reader)
    if llm.model_configured():
        answer = yield from model_events(evidence, url_for)
        if answer is None:
            answer = extractive_answer(evidence, url_for)
            yield "replace", answer.as_json()
    else:
        answer = yield from extractive_events(evidence, url_for)
    yield "done", {
        "answered": answer.answered,
        "answer_text": answer.text,
        "related": [story.as_json() for story in answer.related],
        "followups": answer.followups,
        "answer": answer,
    }


def answer_question(question: str, reader, url_for) -> Answer:
    """The same answer as `answer_events`, whole (the page without JavaScript, the API)."""
    *_, (_, done) = answer_events(question, reader, url_for)  # `done` comes last
    return done["answer"]


def _citation(n: int, evidence: Evidence, passage: Passage, quote: str, url_for) -> Citation:
    article = evidence.articles[passage.article_id]
    return Citation(n, article.pk, article.title, url_for(article), passage.published_at, passage.section, quote)


def _model_sources(evidence: Evidence, url_for):
    """The stories the extractive reader reads, whole and numbered, best first: the model is
    given what a reader would read, not only the paragraphs that matched the question's words."""
    by_article: dict[int, list[Passage]] = {}
    for passage in evidence.articles_read():
        by_article.setdefault(passage.article_id, []).append(passage)
    sources, citations = [], []
    for n, group in enumerate(by_article.values(), start=1):
        first = group[0]
        text = " ".join(passage.text for passage in sorted(group, key=lambda passage: passage.position))
        sources.append(llm.Source(n, first.title, timezone.localtime(first.published_at).date(), text))
        citations.append(_citation(n, evidence, first, "", url_for))
    return sources, citations


def _best_quote(text: str, sources) -> str:
    """The source sentence that shares most words with a model sentence: what it rests on."""
    wanted = set(content_stems(text))
    sentences = [sentence for source in sources for sentence in split_sentences(source.text)]
    return max(sentences, key=lambda sentence: len(wanted & set(content_stems(sentence))), default="")


def _finish(answer: Answer, evidence: Evidence, url_for) -> None:
    """Related stories (closest when declining; locked ones a reader could unlock) and follow-ups."""
    cited = {citation.article_id for citation in answer.citations}
    listed: set[int] = set()
    for passage in evidence.passages:
        if passage.article_id in cited or passage.article_id in listed:
            continue
        listed.add(passage.article_id)
        article = evidence.articles[passage.article_id]
        answer.related.append(
            Related(article.title, url_for(article), passage.published_at, passage.section,
                    locked=passage.visibility not in evidence.visibilities)
        )
        if len(answer.related) >= 4:
            break
    answer.followups = followups(evidence.plan, answer)


def _articles_by_id(ids: set[int]) -> dict[int, ArticlePage]:
    return {
        article.pk: article
        for article in ArticlePage.objects.filter(pk__in=ids).only("title", "url_path", "path", "depth")
    }


# A run of capitalised words ("Manouchehr Mottaki", "Council of Europe") after a sentence's start.
_NAME_RUN = re.compile(r"(?<=[\s(“\"])([A-Z][\w'’.-]+(?:\s+(?:of\s+(?:the\s+)?|de\s+|del\s+)?[A-Z][\w'’-]+)*)")


CALENDAR_WORDS = set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday january february "
    "march april may june july august september october november december".split()
)


def followups(plan, answer: Answer, limit: int = 3) -> list[str]:
    """Questions a reader might ask next: about the people, places and bodies the answer names
    that the question did not."""
    asked = set(plan.question_words)
    suggestions: list[str] = []
    for sentence in answer.sentences:
        for match in _NAME_RUN.finditer(sentence.quote):
            name = re.sub(r"['’]s$", "", match[1].rstrip(".,'’"))
            parts = words(name)
            if not parts or any(part in asked or part in CALENDAR_WORDS for part in parts):
                continue
            if len(parts) == 1 and len(name) < 5:
                continue
            # "the New York Times", as the story writes it.
            the = "the " if sentence.quote[max(0, match.start() - 4):match.start()].lower() == "the " else ""
            suggestion = f"What else has the archive reported about {the}{name}?"
            if suggestion not in suggestions:
                suggestions.append(suggestion)
            if len(suggestions) >= limit:
                return suggestions
    return suggestions
