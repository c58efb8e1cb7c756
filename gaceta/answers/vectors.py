"""Sentence vectors: every sentence the reader reads in a passage, embedded once, in the background.

The learned reader compares a question with each sentence of the stories it reads
(`learned.candidates`). Those sentences' WordLlama vectors do not depend on the question, so they
are computed when passages are written (`tasks.embed_article_passages`, queued on
`search.index.passages_indexed`) and stored per passage; a question then embeds only itself and
the headlines. Until every story a question reads has them (a worker behind, an archive from
before them), the reader answers from the text index alone, with the scorer trained without
similarity features.

The one format, written and read only here: a passage's vectors are one row per sentence of
`learned.sentences_of(passage)`, in order, `DIMENSION` float16 numbers a row, little-endian, rows
one after another. Half the bytes of float32; a cosine similarity moves by less than 0.001.
Beside them, the sentences' bounds in `learned.reading_text(passage)`: uint32 numbers,
little-endian, the text's length and then each sentence's start and end. A question reads the
sentences from them instead of running the sentence splitter again (a tenth of its time), and a
row whose text length or sentence count differs is stale.
"""

import logging
from collections.abc import Callable, Iterable

import numpy as np
from django.db import transaction

from gaceta.search.models import Passage

from .learned import embedded, reading_text, sentences_of
from .models import SentenceVectors
from .nlp import DIMENSION, sentence_bounds

_FORMAT = np.dtype("<f2")
_BOUNDS = np.dtype("<u4")
ROW_BYTES = DIMENSION * _FORMAT.itemsize
BATCH = 2000  # passages embedded in one call and written in one transaction
ARTICLES_PER_QUERY = 500

logger = logging.getLogger(__name__)


def to_bytes(vectors: np.ndarray) -> bytes:
    if vectors.ndim != 2 or vectors.shape[1] != DIMENSION:
        raise ValueError(f"sentence vectors are rows of {DIMENSION}, not {vectors.shape}")
    return np.ascontiguousarray(vectors, dtype=_FORMAT).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    """float32, one row per sentence."""
    return np.frombuffer(data, dtype=_FORMAT).reshape(-1, DIMENSION).astype(np.float32)


def bounds_to_bytes(text: str, bounds: tuple[tuple[int, int], ...]) -> bytes:
    return np.array([len(text), *(offset for bound in bounds for offset in bound)], dtype=_BOUNDS).tobytes()


def sentences_from_bounds(text: str, data: bytes | memoryview) -> tuple[str, ...] | None:
    """The sentences the stored bounds mark in `text`; None when they were stored for another text."""
    numbers = np.frombuffer(data, dtype=_BOUNDS).tolist()
    if not numbers or numbers[0] != len(text) or len(numbers) % 2 != 1:
        return None
    return tuple(text[start:end] for start, end in zip(numbers[1::2], numbers[2::2]))


def missing_passages(article_ids: Iterable[int] | None = None):
    """Passages the reader reads (`in_full`; a preview's cut copy is never read whole) without
    sentence vectors: of `article_ids`, or of every article when None."""
    missing = Passage.objects.filter(sentence_vectors__isnull=True, in_full=True)
    return missing if article_ids is None else missing.filter(article_id__in=list(article_ids))


def embed_passages(article_ids: Iterable[int] | None = None, *,
                   progress: Callable[[int], None] | None = None) -> int:
    """Compute and store the sentence vectors of the passages that have none: those of
    `article_ids`, or every passage when None (the backfill). Returns how many passages got them.

    Idempotent: a passage with vectors is not read again, and two runs at once store one row.
    `progress` is called with the number of passages done after each batch.
    """
    if article_ids is None:
        return _embed(missing_passages(), progress)
    article_ids = list(article_ids)
    return sum(
        _embed(missing_passages(article_ids[start : start + ARTICLES_PER_QUERY]), progress)
        for start in range(0, len(article_ids), ARTICLES_PER_QUERY)
    )


def _embed(missing, progress) -> int:
    missing = missing.order_by("pk").only("pk", "position", "title", "text")
    stored, last = 0, 0
    while batch := list(missing.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        stored += _store(_vectors_of(batch))
        if progress:
            progress(len(batch))
    return stored


def _vectors_of(passages: list[Passage]) -> list[SentenceVectors]:
    vectors = embedded(passages)
    rows = []
    for passage in passages:
        text = reading_text(passage)
        rows.append(SentenceVectors(passage_id=passage.pk, vectors=to_bytes(vectors[id(passage)]),
                                    bounds=bounds_to_bytes(text, sentence_bounds(text))))
    return rows


def _store(rows: list[SentenceVectors]) -> int:
    """Write the rows of the passages that are still there. An article re-indexed meanwhile has
    new passages (and a task of its own for them); locking the old ones keeps them from being
    deleted until the rows are in."""
    with transaction.atomic():
        alive = set(
            Passage.objects.select_for_update(no_key=True)
            .filter(pk__in=[row.passage_id for row in rows])
            .order_by("pk")  # the order a re-index deletes them in: no deadlock
            .values_list("pk", flat=True)
        )
        kept = [row for row in rows if row.passage_id in alive]
        SentenceVectors.objects.bulk_create(kept, batch_size=500, ignore_conflicts=True)
    return len(kept)


def stored_vectors(passages: Iterable) -> dict[int, np.ndarray]:
    """passage pk → its sentence vectors (float32, one row per sentence of `sentences_of`), in one
    query; each passage found gets `stored_sentences`, the sentences they are of. A passage is
    left out when it has none, or when they are stale: stored for another text, or their number
    of rows is not its number of sentences (a row stored before the bounds: split now, by the
    same splitter)."""
    passages = [passage for passage in passages if getattr(passage, "pk", None) is not None]
    if not passages:
        return {}
    rows = {
        pk: (vectors, bounds) for pk, vectors, bounds in
        SentenceVectors.objects.filter(passage_id__in=[passage.pk for passage in passages])
        .values_list("passage_id", "vectors", "bounds")
    }
    found = {}
    for passage in passages:
        if passage.pk not in rows:
            continue
        data, bounds = rows[passage.pk]
        text = reading_text(passage)
        sentences = sentences_from_bounds(text, bounds) if bounds is not None else sentences_of(passage)
        if sentences is not None and len(data) == len(sentences) * ROW_BYTES:
            passage.stored_sentences = sentences
            found[passage.pk] = from_bytes(data)
    return found


def backfill() -> int:
    """The periodic safety net: vectors for passages whose task was lost (a process stopped
    between the commit and the queueing, a task that failed), and bounds for rows stored before
    them. Cheap when none are missing."""
    stored = embed_passages()
    if stored:
        logger.warning("Stored the sentence vectors of %d passages that had none", stored)
    add_missing_bounds()
    return stored


def rows_without_bounds(after: int = 0):
    """The next batch of rows stored before the bounds, with their passages (found by the
    partial index `answers_vectors_without_bounds`, not by reading every row)."""
    return (SentenceVectors.objects.filter(bounds__isnull=True, passage_id__gt=after)
            .select_related("passage").order_by("passage_id")[:BATCH])


def add_missing_bounds() -> int:
    """Store the sentences' bounds of the rows stored before them (split now, no embedding). A
    row whose number of vectors is not its passage's number of sentences is stale and deleted,
    so that the next backfill embeds the passage again. Returns how many rows got bounds."""
    added, last = 0, 0
    while batch := list(rows_without_bounds(after=last)):
        last = batch[-1].passage_id
        fresh, stale = [], []
        for row in batch:
            text = reading_text(row.passage)
            bounds = sentence_bounds(text)
            if len(row.vectors) == len(bounds) * ROW_BYTES:
                row.bounds = bounds_to_bytes(text, bounds)
                fresh.append(row)
            else:
                stale.append(row.passage_id)
        SentenceVectors.objects.bulk_update(fresh, ["bounds"], batch_size=500)
        SentenceVectors.objects.filter(passage_id__in=stale).delete()
        added += len(fresh)
    if added:
        logger.info("Stored the sentence bounds of %d passages", added)
    return added


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Every passage's vectors again (after an upgrade of the sentence splitter or the embedder:
    rows made by the old ones may split or embed differently)."""
    SentenceVectors.objects.all().delete()
    return embed_passages(progress=progress)
