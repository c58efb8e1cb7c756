"""Writes of Ask: recording what readers asked, their votes, and the rate limits."""

import logging
import time

from django.core import signing
from django.db import OperationalError, transaction
from django.db.models import F

from gaceta.core.ratelimit import Verdict, client_ip, consume, parse_rate
from gaceta.members.access import tier_of

from .ask import Answer
from .models import AskedQuestion, AskSettings

VOTE_SALT = "gaceta.answers.vote"
# Tries at recording a question, waiting 50 ms, then 100 ms, between them.
RECORD_ATTEMPTS = 3
logger = logging.getLogger(__name__)


def check_rate(request) -> Verdict:
    """Count one question against the reader's limit: per address for readers without an
    account, per member otherwise (paid subscribers get their own, larger, limit)."""
    tier = tier_of(request.user)
    limit, period = parse_rate(AskSettings.load().rate_for(tier))
    who = f"ip:{client_ip(request)}" if tier == "anonymous" else f"member:{request.user.pk}"
    return consume(f"ask:{who}", limit, period)


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
