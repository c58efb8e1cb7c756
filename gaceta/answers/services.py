"""Ask's one request flow (for the page, the stream and the API), and its writes: recording
what readers asked, their votes, and the rate limits."""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.core import signing
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from gaceta.core.addresses import absolute_url
from gaceta.core.ratelimit import Verdict, client_ip, consume, parse_rate
from gaceta.core.text import reader_text
from gaceta.members.access import tier_of

from .ask import QUESTION_MAX_CHARS, Answer, answer_events, answer_question
from .models import AskedQuestion, AskSettings

VOTE_SALT = "gaceta.answers.vote"
# Tries at recording a question, waiting 50 ms, then 100 ms, between them.
RECORD_ATTEMPTS = 3
logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """The reader asked more than their limit; `retry_after` seconds until the next question."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many questions; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Reply:
    answer: Answer
    vote_token: str | None


def clean_question(text: str) -> str:
    """A question as readers typed it, in the form Ask reads: text only, one space between words.
    Longer than QUESTION_MAX_CHARS is the caller's to refuse (`too_long`)."""
    return " ".join(reader_text(text).split())


def too_long(question: str) -> str:
    """Why a question is refused for its length ("" when it is not), as the page, the stream and
    the API all say it."""
    return f"Questions can be at most {QUESTION_MAX_CHARS} characters." if len(question) > QUESTION_MAX_CHARS else ""


def ask(request, question: str) -> Reply:
    """Answer a reader's question: count it against their limit (RateLimited when over), answer
    it from what they may read, record it for the editors' report, give a vote ticket."""
    _admit(request)
    answer = answer_question(question, request.user, _article_url(request))
    return Reply(answer, vote_token(record_once(request, answer)))


def ask_events(request, question: str) -> Iterator[tuple[str, dict]]:
    """The same as `ask`, as (event, data) pairs for a stream (see ask.answer_events); the limit
    is checked at once, before the first event, and `done` carries the vote ticket."""
    _admit(request)

    def events():
        for name, data in answer_events(question, request.user, _article_url(request)):
            if name == "done":
                data["vote_token"] = vote_token(record_once(request, data.pop("answer")))
            yield name, data

    return events()


def _admit(request) -> None:
    verdict = check_rate(request)
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after)


def _article_url(request):
    return lambda article: absolute_url(article.get_url(request=request))


def check_rate(request) -> Verdict:
    """Count one question against the reader's limit: per address for readers without an
    account, per member otherwise (paid subscribers get their own, larger, limit)."""
    tier = tier_of(request.user)
    limit, period = parse_rate(AskSettings.current().rate_for(tier))
    who = f"ip:{client_ip(request)}" if tier == "anonymous" else f"member:{request.user.pk}"
    return consume(f"ask:{who}", limit, period)


def record_once(request, answer: Answer) -> AskedQuestion | None:
    """Record a question once per reader and day: asked again (a reload, the page and then its
    stream), the first record stands and its vote ticket is given again. Who asked is kept only
    in the cache, as a keyed hash that is gone at the end of the newsroom's day."""
    reader = request.user
    who = f"member:{reader.pk}" if reader.is_authenticated else f"ip:{client_ip(request)}"
    now = timezone.localtime()
    question = " ".join(answer.question.casefold().split())
    key = "gaceta:asked:" + salted_hmac("gaceta.answers.asked", f"{who}|{now.date()}|{question}").hexdigest()
    known = cache.get(key)
    asked = AskedQuestion.objects.filter(pk=known).first() if known else None
    if asked is None:
        asked = record_question(answer, reader)
        if asked is not None:
            midnight = datetime.combine(now.date() + timedelta(days=1), dt_time.min, tzinfo=now.tzinfo)
            cache.set(key, asked.pk, max(1, int((midnight - now).total_seconds())))
    return asked


def record_question(answer: Answer, reader) -> AskedQuestion | None:
    """Keep the question for the editors' report: its words, whether it was answered, the
    reader's tier and the cited stories; never who asked.

    The report must never cost the reader their answer: a database too busy to write (SQLite's
    "database is locked" while another thread holds the write lock) is tried again briefly, then
    the question goes unrecorded (None) and is logged.
    """
    for attempt in range(1, RECORD_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                asked = AskedQuestion.objects.create(
                    question=answer.question[:300], answered=answer.answered, reader_tier=tier_of(reader)
                )
                if answer.citations:
                    asked.cited_articles.set([citation.article_id for citation in answer.citations])
                return asked
        except OperationalError:
            if attempt == RECORD_ATTEMPTS:
                logger.warning("Ask question not recorded: the database stayed busy", exc_info=True)
                return None
            time.sleep(0.05 * attempt)


def vote_token(asked: AskedQuestion | None) -> str | None:
    """A signed ticket to vote once on this answer; ids alone could be guessed. None when the
    question could not be recorded: there is nothing to vote on."""
    return signing.dumps(asked.pk, salt=VOTE_SALT) if asked else None


def vote(token: str, helpful: bool) -> bool:
    """Count a reader's verdict on an answer; the first vote per answer counts, later ones don't."""
    try:
        pk = signing.loads(token, salt=VOTE_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature:
        return False
    field = "helpful_votes" if helpful else "unhelpful_votes"
    return bool(
        AskedQuestion.objects.filter(pk=pk, helpful_votes=0, unhelpful_votes=0).update(**{field: F(field) + 1})
    )
