"""The extractive reader as trained components and a learned scorer.

Every sentence of the stories read (ask.Evidence.articles_read) becomes a candidate with
features, and a logistic regression whose weights `manage.py train_reader` fits (on the `train`
split of ask_train.jsonl and ask_dev.jsonl; saved in reader_weights.json) gives the chance that
it holds the answer. Two stages keep it fast: the first scores every sentence from cheap features
(question-to-sentence similarity by WordLlama embeddings, the question's words it covers weighted
by rarity, BM25, the story's rank and date, the sentence's place); the best `top_k` are read by
spaCy, whose named entities and parse type the answer the sentence offers (a person, a place, a
number, a date…), and the second stage scores them with all features, each answer type crossed
with the kind of question (who, where, how many…), so the model learns which types answer which
questions. The reader answers with the best sentence when its chance reaches the threshold chosen
by the training script, and declines below it.

No feature is written for a question: the weights are learned, and the only rules are general
ones about English (the question's wh-word, a clause boundary, a name keeps its capital).
"""

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import nlp
from .text import STOPWORDS, content_stems, fold, words

WEIGHTS_FILE = Path(__file__).with_name("reader_weights.json")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# The question's kind, from its wh-word (general English, not any question's wording).
KINDS = ("who", "where", "when", "how_many", "how_much", "how", "why", "which", "what", "other")
_WH = re.compile(r"\b(how many|how much|how|who|whom|whose|where|when|why|which|what)\b")
# spaCy's entity labels, grouped into the answer types a reader asks for.
TYPES = {
    "PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place", "LOC": "place",
    "FAC": "place", "DATE": "date", "TIME": "date", "CARDINAL": "number", "QUANTITY": "number",
    "ORDINAL": "number", "MONEY": "money", "PERCENT": "money", "EVENT": "thing",
    "WORK_OF_ART": "thing", "PRODUCT": "thing", "LAW": "thing", "LANGUAGE": "thing",
}
TYPE_NAMES = sorted(set(TYPES.values()))

CHEAP = [
    "bias", "similarity", "similarity_context", "similarity_title", "coverage", "coverage_context",
    "coverage_story", "bm25", "story_rank", "first_story", "position", "lead", "words", "long", "short",
    "year_asked", "year_matches", "month_matches", "new_words", "new_numbers", "new_capitals",
    "quotes",
]
CHEAP_CROSSED = ["new_numbers", "new_capitals", "similarity", "coverage"]
ENTITY = ["new_entities", "attached", "clause"]


def feature_names(stage: int) -> list[str]:
    names = CHEAP + [f"{name}*{kind}" for name in CHEAP_CROSSED for kind in KINDS]
    if stage == 2:
        names += ENTITY + [f"{what}:{type_}*{kind}" for what in ("has", "near", "attached") for type_ in TYPE_NAMES
                           for kind in KINDS]
        names += [f"clause*{kind}" for kind in KINDS]
    return names


def question_kind(question: str) -> str:
    match = _WH.search(fold(question))
    if not match:
        return "other"
    word = match[1]
    return {"whom": "who", "whose": "who", "how many": "how_many", "how much": "how_much"}.get(word, word)


@dataclass
class Question:
    text: str
    kind: str
    weights: dict[str, float]  # stem → rarity weight (the plan's)
    words: set[str]  # folded words
    years: list[int]
    months: list[tuple[int, int]]
    vector: object = None


@dataclass
class Candidate:
    text: str
    passage: object
    index: int  # the sentence's place in its story
    story_rank: int
    cheap: dict = field(default_factory=dict)
    entity: dict = field(default_factory=dict)
    doc: object = None
    probability: float = 0.0

    @property
    def article_id(self) -> int:
        return self.passage.article_id


def question_of(plan) -> Question:
    """The question as the reader uses it, from retrieval's plan (rarity of its words, dates)."""
    return Question(plan.question, question_kind(plan.question), dict(plan.terms), set(words(plan.question)),
                    list(plan.years), list(plan.months))


def _share(question: Question, stems: set[str]) -> float:
    total = sum(question.weights.values()) or 1.0
    return sum(weight for term, weight in question.weights.items() if term in stems) / total


def _body(passage) -> str:
    """A passage's text; the lead passage without its headline (the summary alone answers)."""
    text = passage.text
    if passage.position == 0 and text.startswith(passage.title) and len(text) > len(passage.title) + 2:
        return text[len(passage.title):].lstrip(". ")
    return text


def candidates(question: Question, passages: list) -> list[Candidate]:
    """Every sentence of `passages` (whole stories, best story first) with its cheap features."""
    top = max((passage.score for passage in passages), default=1.0) or 1.0
    stories: dict[int, list] = {}
    for passage in passages:
        stories.setdefault(passage.article_id, []).append(passage)
    found: list[Candidate] = []
    seen: set[str] = set()
    contexts: list[str] = []
    titles: list[str] = []
    for rank, group in enumerate(stories.values()):
        story_sentences = [(passage, sentence) for passage in group for sentence in nlp.sentences(_body(passage))]
        stems = [set(content_stems(sentence)) for _, sentence in story_sentences]
        title = group[0].title
        story_stems = set(content_stems(title)).union(*stems) if stems else set()
        story_text = " ".join(passage.text for passage in group)
        year_in_text = any(str(year) in story_text for year in question.years)
        published = group[0].published_at
        for index, (passage, sentence) in enumerate(story_sentences):
            if sentence in seen:
                continue
            seen.add(sentence)
            around = set().union(*stems[max(0, index - 1): index + 2]) | set(content_stems(title))
            tokens = words(sentence)
            new = [token for token in tokens if token not in question.words and token not in STOPWORDS]
            length = len(sentence.split())
            candidate = Candidate(sentence, passage, index, rank)
            candidate.cheap = {
                "bias": 1.0,
                "coverage": _share(question, stems[index]),
                "coverage_context": _share(question, around),
                "coverage_story": _share(question, story_stems),
                "bm25": passage.score / top,
                "story_rank": rank / 5,
                "first_story": float(rank == 0),
                "position": math.log1p(index) / 3,
                "lead": float(passage.position == 0),
                "words": math.log1p(length) / 4,
                "long": float(length > 45),
                "short": float(length < 6),
                "year_asked": float(bool(question.years)),
                "year_matches": float(bool(question.years) and (
                    year_in_text or any(year <= published.year <= year + 1 for year in question.years))),
                "month_matches": float(any(_near_month(published, month) for month in question.months)),
                "new_words": math.log1p(len(new)) / 3,
                "new_numbers": float(any(token[:1].isdigit() for token in new)),
                "new_capitals": float(bool(re.search(r"(?<!^)(?<![.!?] )\b[A-Z][a-z]", sentence))
                                      and any(fold(word) not in question.words
                                              for word in re.findall(r"(?<=\s)[A-Z][\w'’-]+", sentence))),
                "quotes": float('"' in sentence or "“" in sentence),
            }
            found.append(candidate)
            contexts.append(" ".join(sentence for _, sentence in story_sentences[max(0, index - 1): index + 2]))
            titles.append(title)
    if found:
        vectors = nlp.embed([question.text] + [candidate.text for candidate in found] + contexts + list(dict.fromkeys(titles)))
        question.vector = vectors[0]
        count = len(found)
        sims = vectors[1 : 1 + count] @ vectors[0]
        context_sims = vectors[1 + count : 1 + 2 * count] @ vectors[0]
        title_order = list(dict.fromkeys(titles))
        title_sims = dict(zip(title_order, vectors[1 + 2 * count :] @ vectors[0]))
        for candidate, sim, context_sim, title in zip(found, sims, context_sims, titles):
            candidate.cheap["similarity"] = float(sim)
            candidate.cheap["similarity_context"] = float(context_sim)
            candidate.cheap["similarity_title"] = float(title_sims[title])
        for candidate in found:
            for name in CHEAP_CROSSED:
                for kind in KINDS:
                    candidate.cheap[f"{name}*{kind}"] = candidate.cheap[name] * (question.kind == kind)
    return found


def _near_month(published, month: tuple[int, int]) -> bool:
    """A story from a month before (a preview) to six weeks after the month the question names."""
    year, number = month
    months_after = (published.year - year) * 12 + published.month - number
    return -1 <= months_after <= 1


def read_entities(question: Question, found: list[Candidate]) -> None:
    """spaCy's entities and parse for these candidates: the answer types each offers that the
    question does not already give, how near they stand to the question's words, and whether the
    parse attaches them to one of them ("convicted lobbyist Jack Abramoff")."""
    docs = nlp.language().pipe([candidate.text for candidate in found])
    asked = set(question.weights)
    for candidate, doc in zip(found, docs):
        candidate.doc = doc
        matched = [token.i for token in doc if _stem(token.text) in asked]
        features = {name: 0.0 for name in feature_names(2) if name not in candidate.cheap}
        new_entities = 0
        for entity in new_entities_of(question, doc):
            new_entities += 1
            type_ = TYPES[entity.label_]
            distance = min((abs(i - entity.start) if i < entity.start else abs(i - entity.end + 1) for i in matched), default=20)
            near = 1.0 / (1.0 + distance / 3)
            attached = float(_attached(entity, asked))
            for kind in KINDS:
                on = float(question.kind == kind)
                features[f"has:{type_}*{kind}"] = max(features[f"has:{type_}*{kind}"], on)
                features[f"near:{type_}*{kind}"] = max(features[f"near:{type_}*{kind}"], on * near)
                features[f"attached:{type_}*{kind}"] = max(features[f"attached:{type_}*{kind}"], on * attached)
            features["attached"] = max(features["attached"], attached)
        features["new_entities"] = math.log1p(new_entities) / 2
        clause = float(any(token.dep_ in ("advcl", "mark") for token in doc))
        features["clause"] = clause
        for kind in KINDS:
            features[f"clause*{kind}"] = clause * (question.kind == kind)
        candidate.entity = features


def new_entities_of(question: Question, doc) -> list:
    """The sentence's entities that say something the question does not (a word it lacks)."""
    return [
        entity for entity in doc.ents
        if entity.label_ in TYPES and any(
            word not in question.words and word not in STOPWORDS for word in words(entity.text)
        )
    ]


def _attached(entity, asked: set[str]) -> bool:
    """Whether the parse links the entity to a word of the question: its head, a word beside it
    in its phrase ("lobbyist" in "convicted lobbyist Jack Abramoff"), or its head's head."""
    root = entity.root
    near = [root.head, root.head.head, *(child for child in root.children if child.i < entity.start or child.i >= entity.end)]
    return any(_stem(token.text) in asked for token in near if not token.is_punct)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stems = content_stems(word)
    return stems[0] if stems else ""


@dataclass
class Stage:
    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probabilities(self, rows: list[dict]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        matrix = np.array([[row.get(name, 0.0) for name in self.names] for row in rows], dtype=float)
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def as_json(self) -> dict:
        return {"names": self.names, "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6)}

    @classmethod
    def from_json(cls, data: dict) -> "Stage":
        return cls(data["names"], np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
                   float(data["intercept"]))

    def weight(self, name: str) -> float:
        """The learned weight of a feature, per unit of the feature."""
        if name not in self.names:
            return 0.0
        index = self.names.index(name)
        return float(self.coef[index] / self.scale[index])


@dataclass
class Scorer:
    first: Stage
    second: Stage
    threshold: float
    top_k: int
    meta: dict = field(default_factory=dict)

    def rank(self, question: Question, found: list[Candidate]) -> list[Candidate]:
        """The `top_k` candidates by the first stage, read by spaCy and scored by the second,
        best first, each with its `probability`."""
        if not found:
            return []
        first = self.first.probabilities([candidate.cheap for candidate in found])
        order = np.argsort(-first, kind="stable")[: self.top_k]
        best = [found[i] for i in order]
        missing = [candidate for candidate in best if not candidate.entity]
        if missing:
            read_entities(question, missing)
        second = self.second.probabilities([{**candidate.cheap, **candidate.entity} for candidate in best])
        for candidate, probability in zip(best, second):
            candidate.probability = float(probability)
        return sorted(best, key=lambda candidate: -candidate.probability)

    def as_json(self) -> dict:
        return {"first": self.first.as_json(), "second": self.second.as_json(),
                "threshold": round(self.threshold, 6), "top_k": self.top_k, **self.meta}

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        path.write_text(json.dumps(self.as_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Scorer":
        data = json.loads(Path(path).read_text())
        meta = {key: value for key, value in data.items() if key not in ("first", "second", "threshold", "top_k")}
        return cls(Stage.from_json(data["first"]), Stage.from_json(data["second"]), float(data["threshold"]),
                   int(data["top_k"]), meta)


@lru_cache(maxsize=1)
def scorer() -> Scorer:
    """The committed scorer, read once per process."""
    return Scorer.load()


MAX_SENTENCES = 4


def select(ranked: list[Candidate], threshold: float) -> list[Candidate]:
    """The answer's sentences: the best candidate if it reaches the threshold (else none: the
    reader declines), then the others that reach it, then, for context, the best of the first
    one's story."""
    if not ranked or ranked[0].probability < threshold:
        return []
    first = ranked[0]
    chosen = [first] + [candidate for candidate in ranked[1:] if candidate.probability >= threshold]
    if len(chosen) < 2:
        chosen += [candidate for candidate in ranked[1:] if candidate.article_id == first.article_id][:1]
    return chosen[:MAX_SENTENCES]


def answer_span(scorer_: Scorer, question: Question, candidate: Candidate) -> tuple[int, int] | None:
    """Where in the sentence (as character offsets) its likeliest answer stands: the new entity
    whose type and nearness the learned weights value most for this kind of question."""
    doc = _doc(candidate)
    asked = set(question.weights)
    matched = [token.i for token in doc if _stem(token.text) in asked]
    best, best_score = None, -math.inf
    for entity in new_entities_of(question, doc):
        type_ = TYPES[entity.label_]
        distance = min((abs(i - entity.start) for i in matched), default=20)
        score = (scorer_.second.weight(f"has:{type_}*{question.kind}")
                 + scorer_.second.weight(f"near:{type_}*{question.kind}") / (1.0 + distance / 3))
        if score > best_score:
            best, best_score = (entity.start_char, entity.end_char), score
    return best


def trim(text: str, span: tuple[int, int] | None, question: Question, limit: int) -> str:
    """The sentence, or the part of it that holds `span`, in at most `limit` words; never new
    words. The part starts and ends at clause boundaries (a comma, a semicolon, a dash) where it
    can, and keeps as many of the question's words as fit; "…" marks a cut."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    offsets = [match.start() for match in re.finditer(r"\S+", text)]
    if span is None:
        span_start = span_end = 0
    else:
        span_start = max(i for i, offset in enumerate(offsets) if offset <= span[0])
        span_end = max(i for i, offset in enumerate(offsets) if offset < span[1]) + 1
    boundaries = {0} | {index + 1 for index, word in enumerate(parts) if word[-1] in ",;:—"}
    size = len(parts)

    def fits(start: int, end: int) -> bool:  # the "…" that marks a cut counts as a word
        return (end - start) + (start > 0) + (end < size) <= limit

    starts = {start for start in boundaries if start <= span_start} | {max(0, span_end - limit + 2)}
    best, best_score = (0, limit - 1), -1.0
    for start in starts:
        ends = {end for end in boundaries | {size} if end >= span_end} | {min(size, start + limit - (start > 0) - 1)}
        for end in ends:
            if end < span_end or end <= start or not fits(start, end):
                continue
            score = (
                _share(question, set(content_stems(" ".join(parts[start:end]))))
                + 0.3 * (start == 0)  # a whole sentence's start reads best
                + 0.1 * (start in boundaries)
                + 0.1 * (end in boundaries or end == size)
                + 0.002 * (end - start)
            )
            if score > best_score:
                best, best_score = (start, end), score
    start, end = best
    cut = " ".join(parts[start:end]).rstrip(",;:— ")
    return f"{'… ' if start else ''}{cut}{' …' if end < size else ''}"


def keeps_capital(candidate: Candidate, quote: str) -> bool:
    """Whether the quote's first word keeps its capital after "As of May 2006, ": a name does
    (spaCy tags it a proper noun or puts it in an entity), as do "I" and acronyms."""
    first = quote.split(" ", 1)[0]
    if not first[:1].isupper() or first.isupper():
        return True
    for token in _doc(candidate):
        if token.text == first or first.startswith(token.text):
            return token.pos_ == "PROPN" or bool(token.ent_type_) or token.text == "I"
    return True


def _doc(candidate: Candidate):
    """The candidate's spaCy document (parsed now if it was set aside)."""
    if candidate.doc is None:
        candidate.doc = nlp.language()(candidate.text)
    return candidate.doc
