"""The extractive reader as trained components and a learned scorer.

Every sentence of the stories read (ask.Evidence.articles_read) becomes a candidate with
features, and models whose weights `manage.py train_reader` fits (on the `train` split of
ask_train.jsonl, ask_dev.jsonl and the team's questions in training/; saved in reader_weights.json, and reader_weights_text.json for
the text-only scorer that answers until the stories read have their sentence vectors, vectors.py)
score how likely it is to hold the answer. Two stages keep it fast: the first scores every sentence from cheap features
(question-to-sentence similarity by WordLlama embeddings, the question's words it covers weighted
by rarity, BM25, the story's rank and date, the sentence's place); the best `top_k` are read by
spaCy, whose named entities and parse type the answer the sentence offers (a person, a place, a
number, a date…), and the second stage scores them with all features, each answer type crossed
with the kind of question (who, where, how many…), so the model learns which types answer which
questions; it is listwise (a softmax over the question's `top_k`: each sentence's share of the
chance that one of them answers). A third stage turns the ranking into the chance that the best
sentence answers; the reader answers with it when that reaches the threshold chosen by the
training script, and declines below it. A fourth, fitted on the sentences that hold an answer,
tells which of a sentence's new entities is the answer, so that a cut keeps it.

No feature is written for a question: the weights are learned, and the only rules are general
ones about English (the question's wh-word, a clause boundary, a name keeps its capital).
"""

import json
import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from gaceta.search.text import STOPWORDS, content_stems, fold, words

from . import nlp
from .reader import clause_cut

WEIGHTS_FILE = Path(__file__).with_name("reader_weights.json")
# The scorer for stories whose sentence vectors are not stored yet (from the text index alone).
TEXT_WEIGHTS_FILE = Path(__file__).with_name("reader_weights_text.json")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")

# The question's kind, from its wh-word (general English, not any question's wording).
KINDS = ("who", "where", "when", "how_many", "how_much", "how", "why", "which", "what", "other")
_WH = re.compile(r"\b(how many|how much|how|who|whom|whose|where|when|why|which|what)\b")
# "When Saddam Hussein was charged in May 2006, how many people …": a question that opens with a
# "when" or "where" clause (no verb before its subject, unlike "When was the treaty, which …")
# asks with the wh-word after the clause's comma.
_OPENING_CLAUSE = re.compile(
    r"^(?:when|where|while)\b(?!\s+(?:is|was|were|are|did|does|do|has|have|had|will|would|can|could|should)\b)"
    rf"[^?]*?,\s*(?={_WH.pattern})")
# spaCy's entity labels, grouped into the answer types a reader asks for.
TYPES = {
    "PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place", "LOC": "place",
    "FAC": "place", "DATE": "date", "TIME": "date", "CARDINAL": "number", "QUANTITY": "number",
    "ORDINAL": "number", "MONEY": "money", "PERCENT": "money", "EVENT": "thing",
    "WORK_OF_ART": "thing", "PRODUCT": "thing", "LAW": "thing", "LANGUAGE": "thing",
}
TYPE_NAMES = sorted(set(TYPES.values()))
# The entity labels that are names (a date, a number or an amount is not).
NAMED = {"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "LANGUAGE"}

# "What type of warplane" asks about the warplane (general English).
FOCUS_OF = {"type", "types", "kind", "kinds", "sort", "sorts"}

CHEAP = [
    "bias", "similarity", "similarity_context", "similarity_title", "coverage", "coverage_context",
    "coverage_story", "bm25", "story_rank", "first_story", "position", "lead", "words", "long", "short",
    "year_asked", "year_matches", "month_matches", "new_words", "new_numbers", "new_capitals",
    "quotes", "similarity_gap", "similarity_rank", "context_gap", "coverage_gap", "coverage_rank",
    "names_sentence", "names_story", "names_asked",
    # The rules reader's signals (reader.py), as features whose weights are learned.
    "rules_coverage", "rules_context", "rules_span", "rules_answer", "rules_focus", "rules_year",
    "rules_names", "rules_relation", "rules_relation_around", "rules_beside_kind", "rules_verb",
    "rules_restates", "rules_month", "rules_score", "rules_supports",
]
CHEAP_CROSSED = ["new_numbers", "new_capitals", "similarity", "coverage", "rules_span", "rules_supports"]
ENTITY = ["new_entities", "attached", "clause"]


# The features that need sentence vectors (left out by the text-only scorer).
VECTOR_FEATURES = ("similarity", "context_gap")


def feature_names(stage: int, with_vectors: bool = True) -> list[str]:
    names = CHEAP + [f"{name}*{kind}" for name in CHEAP_CROSSED for kind in KINDS]
    if stage == 2:
        names += ENTITY + [f"{what}:{type_}*{kind}" for what in ("has", "near", "attached") for type_ in TYPE_NAMES
                           for kind in KINDS]
        names += [f"clause*{kind}" for kind in KINDS]
    return names if with_vectors else without_vectors(names)


def span_feature_names(focus: tuple[str, ...] = ()) -> list[str]:
    """The span stage's features; `focus`: the nouns of "which"/"what" questions (Question.focus)
    whose answers' types it learns (train_reader takes those its questions often ask about)."""
    return SPAN + [f"type:{type_}*focus={noun}" for type_ in TYPE_NAMES for noun in focus]


def without_vectors(names: list[str]) -> list[str]:
    return [name for name in names if not name.startswith(VECTOR_FEATURES)]


# The features that come from spaCy's reading (stage 2 only).
ENTITY_NAMES = set(feature_names(2)) - set(feature_names(1))


def question_kind(question: str) -> str:
    match = _WH.search(_OPENING_CLAUSE.sub("", fold(question).lstrip()))
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
    plan: object = None

    @cached_property
    def doc(self):
        """The question read by spaCy."""
        return nlp.language()(self.text)

    @cached_property
    def focus(self) -> str:
        """The stem of the noun a "which" or "what" asks about ("which *country*", "on what
        *date*", "what type of *warplane*"); empty for other questions."""
        for token in self.doc:
            if token.lower_ in ("which", "what", "whose") and token.dep_ == "det" and token.head.pos_ in ("NOUN", "PROPN"):
                noun = token.head
                if noun.lower_ in FOCUS_OF:
                    noun = next((child for of in noun.children if of.lower_ == "of"
                                 for child in of.children if child.dep_ == "pobj"), noun)
                return _stem(noun.text)
        return ""

    @cached_property
    def names(self) -> set[str]:
        """The folded words of the names the question gives (spaCy's proper nouns)."""
        names = {fold(token.text) for token in self.doc if token.pos_ == "PROPN" and token.i > 0 or
                 (token.i > 0 and token.ent_type_ and token.ent_type_ not in ("DATE", "TIME", "CARDINAL"))}
        return names - STOPWORDS


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
    entity_part: float = 0.0  # the second stage's score from the parse's features (rank)

    @property
    def article_id(self) -> int:
        return self.passage.article_id


def question_of(plan) -> Question:
    """The question as the reader uses it, from retrieval's plan (rarity of its words, dates)."""
    return Question(plan.question, question_kind(plan.question), dict(plan.terms), set(words(plan.question)),
                    list(plan.years), list(plan.months), plan)


def _share(question: Question, stems: set[str]) -> float:
    total = sum(question.weights.values()) or 1.0
    return sum(weight for term, weight in question.weights.items() if term in stems) / total


def reading_text(passage) -> str:
    """The text of a passage the reader reads: the lead passage without its headline (the
    summary alone answers)."""
    text = passage.text
    if passage.position == 0 and text.startswith(passage.title) and len(text) > len(passage.title) + 2:
        return text[len(passage.title):].lstrip(". ")
    return text


def sentences_of(passage) -> tuple[str, ...]:
    """The passage's sentences as the reader reads them, in the order of its stored vectors:
    those its vectors were stored with when `vectors.stored_vectors` found them (it sets
    `passage.stored_sentences`), else split now."""
    stored = getattr(passage, "stored_sentences", None)
    return stored if stored is not None else nlp.sentences(reading_text(passage))


def embedded(passages: list) -> dict[int, np.ndarray]:
    """The passages' sentence vectors computed now, by `id(passage)` (vectors.py stores them at
    indexing time): all in one embedding call, each distinct sentence once (a preview passage
    repeats the start of its paragraph)."""
    split = [sentences_of(passage) for passage in passages]
    distinct = list(dict.fromkeys(sentence for sentences in split for sentence in sentences))
    matrix = nlp.embed(distinct) if distinct else np.empty((0, nlp.DIMENSION), np.float32)
    row = {sentence: number for number, sentence in enumerate(distinct)}
    return {id(passage): matrix[[row[sentence] for sentence in sentences]] for passage, sentences in zip(passages, split)}


def candidates(question: Question, passages: list, vectors: dict | None = None) -> list[Candidate]:
    """Every sentence of `passages` (whole stories, best story first) with its cheap features.

    `vectors`: each passage's sentence vectors by `id(passage)` (stored at indexing time, or
    `embedded` now); without them the similarity features are left out and the text-only scorer
    reads the candidates."""
    top = max((passage.score for passage in passages), default=1.0) or 1.0
    stories: dict[int, list] = {}
    for passage in passages:
        stories.setdefault(passage.article_id, []).append(passage)
    found: list[Candidate] = []
    seen: set[str] = set()
    titles: list[str] = []
    sentence_vectors: list[np.ndarray] = []
    for rank, group in enumerate(stories.values()):
        story_sentences = [(passage, place, sentence) for passage in group
                           for place, sentence in enumerate(sentences_of(passage))]
        stems = [set(content_stems(sentence)) for _, _, sentence in story_sentences]
        title = group[0].title
        story_stems = set(content_stems(title)).union(*stems) if stems else set()
        story_text = " ".join(passage.text for passage in group)
        year_in_text = any(str(year) in story_text for year in question.years)
        story_words = set(words(story_text))
        names = question.names
        names_story = len(names & story_words) / len(names) if names else 1.0
        published = group[0].published_at
        for index, (passage, place, sentence) in enumerate(story_sentences):
            if sentence in seen:
                continue
            seen.add(sentence)
            if vectors is not None:
                sentence_vectors.append(vectors[id(passage)][place])
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
                "names_sentence": len(names & set(tokens)) / len(names) if names else 1.0,
                "names_story": names_story,
                "names_asked": float(bool(names)),
            }
            found.append(candidate)
            titles.append(title)
    if found:
        if vectors is not None:
            _add_similarities(question, found, titles, np.array(sentence_vectors, dtype=np.float32))
        _add_rules_signals(question, passages, found)
        _add_relative(found, with_vectors=vectors is not None)
        for candidate in found:
            for name in CHEAP_CROSSED:
                for kind in KINDS:
                    candidate.cheap[f"{name}*{kind}"] = candidate.cheap.get(name, 0.0) * (question.kind == kind)
    return found


def _add_similarities(question: Question, found: list[Candidate], titles: list[str], sentence_vectors) -> None:
    """Question-to-sentence similarities: alone, with its neighbours, and of its headline."""
    title_order = list(dict.fromkeys(titles))
    vectors = nlp.embed([question.text] + title_order)
    sims = sentence_vectors @ vectors[0]
    # A sentence with its neighbours in the story: the mean of their vectors (WordLlama's
    # vectors are averages of token vectors, so this is close to embedding the three).
    stories_of = np.array([candidate.article_id for candidate in found])
    context = sentence_vectors.copy()
    for shift in (-1, 1):
        neighbour = np.roll(sentence_vectors, shift, axis=0)
        same = np.roll(stories_of, shift) == stories_of
        same[0 if shift == 1 else -1] = False
        context += neighbour * same[:, None]
    context /= np.maximum(np.linalg.norm(context, axis=1, keepdims=True), 1e-9)
    context_sims = context @ vectors[0]
    title_sims = dict(zip(title_order, vectors[1:] @ vectors[0]))
    for candidate, sim, context_sim, title in zip(found, sims, context_sims, titles):
        candidate.cheap["similarity"] = float(sim)
        candidate.cheap["similarity_context"] = float(context_sim)
        candidate.cheap["similarity_title"] = float(title_sims[title])


def _add_relative(found: list[Candidate], with_vectors: bool) -> None:
    """Each sentence against the question's others: the gap to the best and the rank."""
    relative = [("coverage", "coverage_gap", "coverage_rank")]
    if with_vectors:
        relative += [("similarity", "similarity_gap", "similarity_rank"), ("similarity_context", "context_gap", None)]
    for name, gap, rank in relative:
        values = np.array([candidate.cheap[name] for candidate in found])
        order = np.argsort(-values, kind="stable")
        ranks = np.empty(len(values))
        ranks[order] = np.arange(len(values))
        for candidate, value, place in zip(found, values, ranks):
            candidate.cheap[gap] = float(value - values.max())
            if rank:
                candidate.cheap[rank] = 1.0 / (1.0 + place)


def _add_rules_signals(question: Question, passages: list, found: list[Candidate]) -> None:
    """The rules reader's signals for each sentence (reader.py splits sentences its own way: a
    sentence it split apart takes the signals of its part that shares most words)."""
    from . import reader

    plan = question.plan
    if plan is None or not hasattr(plan, "kind"):
        return
    by_passage: dict[int, list] = {}
    for old in reader.candidates(plan, passages):
        by_passage.setdefault(id(old.passage), []).append(old)
    for candidate in found:
        olds = by_passage.get(id(candidate.passage), [])
        if not olds:
            continue
        exact = [old for old in olds if old.text == candidate.text]
        stems = set(content_stems(candidate.text))
        old = exact[0] if exact else max(olds, key=lambda old: len(stems & set(content_stems(old.text))))
        candidate.cheap.update({
            "rules_coverage": old.coverage, "rules_context": old.context_coverage, "rules_span": old.span,
            "rules_answer": float(old.has_answer), "rules_focus": float(old.has_focus),
            "rules_year": float(old.year_ok), "rules_names": float(old.names_ok),
            "rules_relation": old.relation_here, "rules_relation_around": float(old.relation_around),
            "rules_beside_kind": float(old.beside_kind), "rules_verb": float(old.says_verb),
            "rules_restates": float(old.restates), "rules_month": float(old.in_month),
            "rules_score": old.score / 5, "rules_supports": float(reader.supports(plan, old)),
        })


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
        features = dict.fromkeys(ENTITY_NAMES, 0.0)
        new_entities = 0
        for entity in new_entities_of(question, doc):
            new_entities += 1
            type_ = TYPES[entity.label_]
            near = _nearness(entity, matched)
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


def _nearness(entity, matched: list[int]) -> float:
    """1 beside the nearest of the question's words (`matched`, token indexes), less further off."""
    distance = min((abs(i - entity.start) if i < entity.start else abs(i - entity.end + 1) for i in matched), default=20)
    return 1.0 / (1.0 + distance / 3)


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
    # "logistic": each row's own chance; "softmax" (a listwise stage, fitted on one question's
    # rows at a time): each row's share of the chance that the rows given hold the answer.
    link: str = "logistic"

    def probabilities(self, rows: list[dict]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        matrix = np.array([[row.get(name, 0.0) for name in self.names] for row in rows], dtype=float)
        z = ((matrix - self.mean) / self.scale) @ self.coef + self.intercept
        if self.link == "softmax":
            exp = np.exp(z - z.max())
            return exp / exp.sum()
        return 1.0 / (1.0 + np.exp(-z))

    def as_json(self) -> dict:
        return {"names": self.names, "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "coef": self.coef.round(6).tolist(), "intercept": round(float(self.intercept), 6), "link": self.link}

    @classmethod
    def from_json(cls, data: dict) -> "Stage":
        return cls(data["names"], np.array(data["mean"]), np.array(data["scale"]), np.array(data["coef"]),
                   float(data["intercept"]), data.get("link", "logistic"))

    def part(self, rows: list[dict], names: set[str]) -> np.ndarray:
        """The share of each row's score (logit, centred) that the features in `names` give."""
        chosen = [index for index, name in enumerate(self.names) if name in names]
        if not rows or not chosen:
            return np.zeros(len(rows))
        matrix = np.array([[row.get(self.names[index], 0.0) for index in chosen] for row in rows], dtype=float)
        return ((matrix - self.mean[chosen]) / self.scale[chosen]) @ self.coef[chosen]

    def weight(self, name: str) -> float:
        """The learned weight of a feature, per unit of the feature."""
        if name not in self.names:
            return 0.0
        index = self.names.index(name)
        return float(self.coef[index] / self.scale[index])


DECISION = ["bias", "top", "top_logit", "second", "margin", "over_half", "names_story", "names_asked",
            "coverage_story", "year_asked", "year_matches", "rules_names", "rules_supports", "rules_year",
            "similarity", *(f"kind={kind}" for kind in KINDS),
            # How far ahead the best is, and whether the others agree with it.
            "logit_margin", "third", "story_share", "same_story_top3", "stories_top5",
            # What the best sentence (with its neighbours and headline) gives of the question.
            "coverage", "coverage_context", "names_sentence", "similarity_context", "similarity_title",
            # Whether it offers the type of answer asked for: the parse's part of its score.
            "entity_part", "new_entities", "attached"]


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def decision_features(question: Question, ranked: list[Candidate]) -> dict:
    """What the whole ranking says about answering: how sure the best sentence is, how far ahead
    of the next, how much of the ranking's weight its story holds, what it and its story give of
    the question's words, names and year, and how much its answer type adds to its score."""
    if not ranked:
        return {"bias": 1.0}
    top = ranked[0]
    second = ranked[1].probability if len(ranked) > 1 else 0.0
    total = sum(candidate.probability for candidate in ranked) or 1.0
    features = {
        "bias": 1.0, "top": top.probability, "top_logit": _logit(top.probability), "second": second,
        "margin": top.probability - second, "over_half": sum(c.probability >= 0.5 for c in ranked) / 5,
        "logit_margin": _logit(top.probability) - _logit(second) if len(ranked) > 1 else 5.0,
        "third": ranked[2].probability if len(ranked) > 2 else 0.0,
        "story_share": sum(c.probability for c in ranked if c.article_id == top.article_id) / total,
        "same_story_top3": sum(c.article_id == top.article_id for c in ranked[1:3]) / 2,
        "stories_top5": len({c.article_id for c in ranked[:5]}) / 5,
        "entity_part": top.entity_part,
        **{name: top.cheap.get(name, 0.0) for name in DECISION if name in top.cheap},
        **{name: top.entity.get(name, 0.0) for name in ("new_entities", "attached")},
    }
    features[f"kind={question.kind}"] = 1.0
    return features


@dataclass
class Scorer:
    first: Stage  # every sentence, cheap features
    second: Stage  # the best `top_k`, with spaCy's
    decision: Stage  # answer or decline, from the ranking (decision_features)
    span: Stage  # which of the answer's new entities answers (answer_span), so a cut keeps it
    threshold: float  # declines when the decision's probability is below it
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
        rows = [{**candidate.cheap, **candidate.entity} for candidate in best]
        second = self.second.probabilities(rows)
        parts = self.second.part(rows, ENTITY_NAMES)
        for candidate, probability, part in zip(best, second, parts):
            candidate.probability = float(probability)
            candidate.entity_part = float(part)
        return sorted(best, key=lambda candidate: -candidate.probability)

    def confidence(self, question: Question, ranked: list[Candidate]) -> float:
        """The chance that the best sentence answers the question."""
        if not ranked:
            return 0.0
        return float(self.decision.probabilities([decision_features(question, ranked)])[0])

    def as_json(self) -> dict:
        return {"first": self.first.as_json(), "second": self.second.as_json(), "decision": self.decision.as_json(),
                "span": self.span.as_json(), "threshold": round(self.threshold, 6), "top_k": self.top_k, **self.meta}

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        path.write_text(json.dumps(self.as_json(), indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Scorer":
        data = json.loads(Path(path).read_text())
        stages = ("first", "second", "decision", "span", "threshold", "top_k")
        meta = {key: value for key, value in data.items() if key not in stages}
        return cls(*(Stage.from_json(data[stage]) for stage in stages[:4]), float(data["threshold"]), int(data["top_k"]), meta)


def scorer(with_vectors: bool = True) -> Scorer:
    """The committed scorer (with sentence vectors, or the text-only one), read once per process."""
    return _committed(WEIGHTS_FILE if with_vectors else TEXT_WEIGHTS_FILE)


@lru_cache(maxsize=2)
def _committed(path: Path) -> Scorer:
    return Scorer.load(path)


MAX_SENTENCES = 4


def select(ranked: list[Candidate], confidence: float, threshold: float) -> list[Candidate]:
    """The answer's sentences: none when the confidence that the best one answers is below the
    threshold (the reader declines); else the best, the others at least half as likely to hold
    the answer, and, for context, the best other sentence of the first one's story."""
    if not ranked or confidence < threshold:
        return []
    first = ranked[0]
    chosen = [first] + [candidate for candidate in ranked[1:] if candidate.probability >= first.probability / 2]
    if len(chosen) < 2:
        chosen += [candidate for candidate in ranked[1:] if candidate.article_id == first.article_id][:1]
    return chosen[:MAX_SENTENCES]


def answer_span(scorer_: Scorer, question: Question, candidate: Candidate) -> tuple[int, int] | None:
    """Where in the sentence (as character offsets) its likeliest answer stands: the new entity
    the span stage (fitted on the sentences that hold a gold answer) finds likeliest to be it."""
    doc = parsed(candidate)
    entities = new_entities_of(question, doc)
    if not entities:
        return None
    chances = scorer_.span.probabilities(span_rows(question, doc, entities))
    best = entities[int(np.argmax(chances))]
    return best.start_char, best.end_char


# What the span stage reads of an entity, some crossed with the question's kind.
SPAN_CROSSED = ["near", "attached", "first", "after_match", "subject", "object", "appos"]
SPAN = ["bias", "near", "attached", "first", "last", "after_match", "parenthesised", "subject", "object", "appos",
        "compound", "tokens", "named", *(f"type:{type_}" for type_ in TYPE_NAMES),
        *(f"type:{type_}*{kind}" for type_ in TYPE_NAMES for kind in KINDS),
        *(f"{name}*{kind}" for name in SPAN_CROSSED for kind in KINDS)]


def span_rows(question: Question, doc, entities: list) -> list[dict]:
    """Each entity's features for the span stage: its type for this kind of question, how near
    it stands to the question's words and whether the parse attaches it to one, its place among
    the sentence's new entities, its role in the parse (subject, object, apposition)."""
    asked = set(question.weights)
    matched = [token.i for token in doc if _stem(token.text) in asked]
    rows = []
    for place, entity in enumerate(entities):
        type_, root = TYPES[entity.label_], entity.root
        row = {
            "bias": 1.0, "near": _nearness(entity, matched), "attached": float(_attached(entity, asked)),
            "first": float(place == 0), "last": float(place == len(entities) - 1),
            "after_match": float(any(i < entity.start for i in matched)),
            "parenthesised": float(entity.start > 0 and doc[entity.start - 1].text == "("),
            "subject": float(root.dep_ in ("nsubj", "nsubjpass")), "object": float(root.dep_ in ("dobj", "pobj", "attr")),
            "appos": float(root.dep_ == "appos" or any(child.dep_ == "appos" for child in root.children)),
            "compound": float(root.dep_ == "compound"), "tokens": math.log1p(len(entity)) / 2,
            "named": float(entity.label_ in NAMED), f"type:{type_}": 1.0, f"type:{type_}*{question.kind}": 1.0,
        }
        if question.focus:
            row[f"type:{type_}*focus={question.focus}"] = 1.0
        for name in SPAN_CROSSED:
            row[f"{name}*{question.kind}"] = row[name]
        rows.append(row)
    return rows


SUBJECTS = {"nsubj", "nsubjpass", "expl", "csubj"}
SUBORDINATE = {"relcl", "acl", "advcl", "pcomp"}  # "which had long refused" is not a sentence


def trim(text: str, span: tuple[int, int] | None, question: Question, limit: int, doc=None) -> str:
    """The sentence, or the part of it that holds `span`, in at most `limit` words; never new
    words. The part starts and ends at clause boundaries (a comma, a semicolon, a dash) where it
    can, keeps as many of the question's words as fit and, given the sentence's parse (`doc`),
    starts where it reads as a sentence (or, when the part holding the answer does not, follows
    the sentence's opening clause with its main verb); "…" marks a cut."""
    if len(text.split()) <= limit:
        return text
    offsets = [match.start() for match in re.finditer(r"\S+", text)]
    words_span = (0, 0)
    if span is not None:
        words_span = (max(i for i, offset in enumerate(offsets) if offset <= span[0]),
                      max(i for i, offset in enumerate(offsets) if offset < span[1]) + 1)
    subjects, verb, clauses = None, None, set()
    if doc is not None:
        subjects, verb, clauses = _subject_starts(doc, offsets), _main_verb(doc, offsets), _clause_starts(doc, offsets)
    return clause_cut(text, words_span, limit, lambda part: _share(question, set(content_stems(part))),
                      lambda start: _opening(start, subjects), subjects or (), verb, clauses)


def _left_edges(doc, offsets: list[int], keep) -> set[int]:
    """The words where the phrases of the tokens `keep` accepts begin."""
    word_at = {offset: index for index, offset in enumerate(offsets)}
    return {word_at[token.left_edge.idx] for token in doc if keep(token) and token.left_edge.idx in word_at}


def _subject_starts(doc, offsets: list[int]) -> set[int]:
    """The words where a main clause's subject begins, its verb after it ("… the army had sent
    12 soldiers"): a cut may start there, also where no comma stands before."""
    return _left_edges(doc, offsets, lambda token: token.dep_ in SUBJECTS and token.head.i > token.i
                       and token.head.dep_ not in SUBORDINATE)


def _clause_starts(doc, offsets: list[int]) -> set[int]:
    """The words where a subordinate clause begins ("where the former president is charged …")."""
    return _left_edges(doc, offsets, lambda token: token.dep_ in SUBORDINATE or token.dep_ == "ccomp")


def _main_verb(doc, offsets: list[int]) -> int | None:
    """The word where the sentence's main verb stands (the parse's first root), if it is a verb."""
    root = next((token for token in doc if token.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    return max(index for index, offset in enumerate(offsets) if offset <= root.idx)


def _opening(start: int, subjects: set[int] | None) -> float:
    """How well a part starting at word `start` reads as a sentence: the sentence's own start
    best; then a part that opens with a clause's subject whose verb follows ("… he has started
    his own NGO"); a part that opens mid-phrase ("… learned that", "… the Māori party in
    third") is penalised, so the cut keeps a start that reads unless the answer is too far in.
    Without the sentence's parse (`subjects` None) only its own start is preferred."""
    if start == 0:
        return 0.1
    if subjects is None:
        return 0.0
    return 0.05 if start in subjects else -0.5


# A dateline before a story's first words ("July 27, 2006 Mexican presidential candidate …"), as
# some archives (Wikinews) print it: an answer says the date in "As of July 2006, " instead.
_DATELINE = re.compile(r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
                       r"December) \d{1,2}, \d{4} (?=[A-Z])")


def without_dateline(quote: str) -> str:
    return _DATELINE.sub("", quote, count=1)


# spaCy's entity labels of a date or a time of day.
TIMES = {"DATE", "TIME"}


def after_age_notice(candidate: Candidate, quote: str, prefix: str,
                     span: tuple[int, int] | None = None) -> tuple[str, str]:
    """The quote and "As of May 2006, " made to read together: a quote that opens with a time
    of its own ("On Sunday, ", "Today, ", "Last week, ") leaves it to the notice, which says when
    that was, unless that time is the answer (`span`, answer_span's); one whose opening names a
    year ("On June 2, 2000, ") dates itself, without it."""
    if not prefix:
        return quote, prefix
    start = candidate.text.find(quote.split(" …")[0])  # the quote may end in a cut
    if start < 0:
        return quote, prefix
    tokens = [token for token in parsed(candidate) if token.idx >= start]
    commas = [index for index, token in enumerate(tokens) if token.text == ","]
    if not commas or not _is_time_phrase(tokens[:commas[0]]):
        return quote, prefix
    end = commas[0]
    if len(commas) > 1 and commas[1] > end + 1 and all(token.ent_type_ in TIMES for token in tokens[end + 1:commas[1]]):
        end = commas[1]  # "On Thursday, December 1, the Opposition …"
    phrase = tokens[:end]
    if any(_YEAR.fullmatch(token.text) for token in phrase):
        return quote, ""
    if span is not None and span[0] < tokens[end].idx:
        return quote, prefix
    rest = quote[tokens[end].idx + 1 - start:].lstrip()
    return (rest, prefix) if rest[:1].isalnum() else (quote, prefix)


def _is_time_phrase(tokens) -> bool:
    """"On Sunday", "Last week", "Today": words of a date or time, and prepositions, adverbs or
    determiners around them, nothing else ("Justice Roberts", "In Mexico City" are not)."""
    timed = [token.ent_type_ in TIMES for token in tokens]
    if len(tokens) == 1 and tokens[0].dep_ == "npadvmod" and tokens[0].pos_ == "NOUN":
        return True  # "Today", which spaCy leaves without an entity
    return any(timed) and all(is_time or token.pos_ in ("ADP", "ADV", "DET", "ADJ") for token, is_time in zip(tokens, timed))


def keeps_capital(candidate: Candidate, quote: str) -> bool:
    """Whether the quote's first word keeps its capital after "As of May 2006, ": a name does
    (spaCy tags it a proper noun or puts it in a named entity), as do "I" and acronyms; "One of",
    "Last month" (a number, a date) do not, nor does an article opening a name ("the United States
    Embassy", "the New York Times", as news style writes them in running text)."""
    first = quote.split(" ", 1)[0]
    if not first[:1].isupper() or (len(first) > 1 and first.isupper()):
        return True
    for token in parsed(candidate):
        if token.text == first or first.startswith(token.text):
            return token.pos_ != "DET" and (token.pos_ == "PROPN" or token.ent_type_ in NAMED or token.text == "I")
    return True


def parsed(candidate: Candidate):
    """The candidate's spaCy document (parsed now if it was set aside)."""
    if candidate.doc is None:
        candidate.doc = nlp.language()(candidate.text)
    return candidate.doc
