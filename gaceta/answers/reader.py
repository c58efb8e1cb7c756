"""The extractive reader: picks the archive's own sentences that answer a question.

Finding the right article is the easy part; the reader decides which sentence answers. It reads
the question for what kind of answer it wants (a person or other name, a place, a number, a date,
a year, a reason), for the detail that must be in the evidence ("how many *votes*") and for the
year it is about. A sentence scores by how much of the question it covers (words weighted by
rarity in the archive), whether it holds an answer of the wanted kind that the question does not
already give, and whether the story's headline and paragraph cover the rest. When the best
sentence lacks the asked detail, the question's year or an answer of the wanted kind, the reader
declines rather than guess.
"""

import math
import re
from dataclasses import dataclass, field

from gaceta.core.text import split_sentences

from .text import STOPWORDS, content_stems, fold, stem, words

MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands million millions billion billions trillion dozen dozens "
    "half quarter".split()
)
PLACE_NOUNS = set(
    "city town village country state province region island capital district county port "
    "municipality neighbourhood neighborhood area prison base airport".split()
)
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today"}
MONEY_VERBS = {stem(word) for word in "cost costs pay paid invest spend spent raise earn fine fined worth price sell sold buy bought bribe bribes charge charged".split()}
REASON_WORDS = re.compile(
    r"\b(because|due to|after|over|for|amid|in order to|so that|since|as a result|to save|to protect|"
    r"to safeguard|to prevent|to avoid|following|citing|accused of|on charges|charged with)\b",
    re.IGNORECASE,
)
RECENT_WORDS = {"now", "current", "currently", "latest", "today", "recent", "recently", "still"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
NAME = re.compile(r"(?<![\w'’])([A-Z][\w'’.-]*|[A-Z]{2,})")
_NUMBER = re.compile(r"(?<![\w])[$£€]?\d[\d,.]*(?:%|c\b)?")

MAX_FIRST_WORDS = 35
MAX_ANSWER_WORDS = 80
MAX_SENTENCES = 3


@dataclass
class Plan:
    """What the question asks for."""

    question: str
    kind: str  # name, place, number, year, date, reason, any
    terms: dict[str, float]  # stem → weight (rarer words weigh more)
    names: set[str]  # stems of the proper names the question mentions
    focus: set[str]  # stems the answering sentence must hold ("votes" in "how many votes")
    years: list[int]
    wants_recent: bool
    question_words: set[str] = field(default_factory=set)  # folded words, to tell new from given

    @property
    def total_weight(self) -> float:
        return sum(self.terms.values()) or 1.0


def plan_question(question: str, document_frequency, total_documents: int) -> Plan:
    """Read `question`; `document_frequency(stems)` gives {stem: passages holding it}."""
    lowered = fold(question)
    tokens = words(question)
    kind = _answer_kind(lowered)
    stems = list(dict.fromkeys(content_stems(question)))
    frequencies = document_frequency(stems)
    terms = {
        term: math.log(1 + total_documents / (1 + frequencies.get(term, 0)))
        for term in stems
    }
    names = set()
    for position, match in enumerate(NAME.finditer(question)):
        word = fold(match[1]).strip(".'’-")
        if match.start() == 0 or word in STOPWORDS or word in MONTHS or word in WEEKDAYS or not word:
            continue
        names.update(content_stems(word))
    focus = _focus(lowered, tokens)
    years = [int(year) for year in _YEAR.findall(question)]
    return Plan(
        question=question,
        kind=kind,
        terms=terms,
        names=names,
        focus=focus,
        years=years,
        wants_recent=bool(RECENT_WORDS & set(tokens)),
        question_words=set(tokens),
    )


def _answer_kind(lowered: str) -> str:
    if re.search(r"\bhow (many|much|long|old|far|big|large)\b|\bwhat (percentage|share|price|proportion|number)\b|\bdeath toll\b|\bhow .* cost\b", lowered):
        return "number"
    if re.search(r"\b(what|which|in what|in which) year\b", lowered):
        return "year"
    if re.search(r"^when\b|\bwhen (is|was|did|will|were|does)\b|\b(what|which) (date|day|month)\b", lowered):
        return "date"
    if re.search(r"^why\b|\bwhy\b", lowered):
        return "reason"
    if re.search(r"^where\b|\bwhere (is|was|did|were|do|does|will)\b", lowered):
        return "place"
    match = re.search(r"\b(?:which|what)\s+([a-z.]+)(?:\s+([a-z]+))?", lowered)
    if match and (match[1] in PLACE_NOUNS or (match[2] or "") in PLACE_NOUNS):
        return "place"
    if re.search(r"^(who|whom|whose)\b|\b(who|whom|whose)\b", lowered):
        return "name"
    if re.search(r"\bwhat (did|does|do|was|is|were|are) .*\b(say|said|do|ask|tell|call)\b", lowered):
        return "any"
    if re.search(r"\b(which|what)\b", lowered):
        return "name"
    return "any"


def _focus(lowered: str, tokens: list[str]) -> set[str]:
    """The detail the answer must be about, when the question names it."""
    match = re.search(r"\bhow many ((?:[a-z]+ ){0,2})", lowered + " ")
    if match:
        found = [word for word in match[1].split() if word not in STOPWORDS][:2]
        return {stem(word) for word in found[:1]}
    if re.search(r"\bhow much\b", lowered):
        return {stem(word) for word in tokens} & MONEY_VERBS
    match = re.search(r"\bname of (?:the |a |an )?((?:[a-z]+ ){0,3})", lowered + " ")
    if match:
        found = [word for word in match[1].split() if word not in STOPWORDS]
        return {stem(found[-1])} if found else set()
    if re.search(r"\bwhat percentage\b", lowered):
        return {"percent"}
    return set()


@dataclass
class Candidate:
    """A sentence that might answer, and why."""

    text: str
    passage: object
    index: int  # the sentence's place in its passage
    coverage: float = 0.0
    context_coverage: float = 0.0
    has_answer: bool = False
    has_focus: bool = True
    year_ok: bool = True
    names_ok: bool = True
    score: float = 0.0


def _new_answers(plan: Plan, sentence: str) -> bool:
    """Whether `sentence` holds something of the wanted kind that the question does not give."""
    given = plan.question_words
    if plan.kind in ("name", "place"):
        for match in NAME.finditer(sentence):
            word = fold(match[1]).strip(".'’-")
            if not word or word in given or word in STOPWORDS or word in MONTHS or word in WEEKDAYS:
                continue
            if stem(word) in plan.terms:
                continue
            return True
        return False
    if plan.kind == "number":
        given_years = {str(year) for year in plan.years}
        for token in _NUMBER.findall(sentence):
            bare = token.strip("$£€%,.c").replace(",", "")
            if bare and bare not in given and bare not in given_years:
                return True
        return any(word in NUMBER_WORDS and word not in given for word in words(sentence))
    if plan.kind == "year":
        return any(year not in given for year in _YEAR.findall(sentence))
    if plan.kind == "date":
        folded = words(sentence)
        return any((word in MONTHS or word in WEEKDAYS) and word not in given for word in folded) or any(
            year not in given for year in _YEAR.findall(sentence)
        )
    if plan.kind == "reason":
        return bool(REASON_WORDS.search(sentence))
    return True


def _same_name(name: str, other: str) -> bool:
    """"Iraqi" names Iraq, "Pakistani" Pakistan: one stem begins the other (4 letters at least)."""
    if name == other:
        return True
    shorter, longer = sorted((name, other), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter)


def _coverage(plan: Plan, stems: set[str]) -> float:
    return sum(weight for term, weight in plan.terms.items() if term in stems) / plan.total_weight


def candidates(plan: Plan, passages: list) -> list[Candidate]:
    """Every sentence of `passages` (retrieval's best, best first), scored."""
    found = []
    top_score = max((passage.score for passage in passages), default=1.0) or 1.0
    for rank, passage in enumerate(passages):
        title_stems = set(content_stems(passage.title))
        sentences = split_sentences(passage.text)
        if passage.position == 0:
            # The lead passage repeats the headline before the summary; only the summary answers.
            sentences = sentences[1:] if len(sentences) > 1 else sentences
        sentence_stems = [set(content_stems(sentence)) for sentence in sentences]
        passage_stems = set().union(*sentence_stems) if sentence_stems else set()
        article_year = passage.published_at.year
        for index, (sentence, stems) in enumerate(zip(sentences, sentence_stems)):
            nearby = set().union(*sentence_stems[max(0, index - 1) : index + 2])
            candidate = Candidate(sentence, passage, index)
            candidate.coverage = _coverage(plan, stems)
            candidate.context_coverage = _coverage(plan, stems | nearby | title_stems | passage_stems)
            candidate.has_answer = _new_answers(plan, sentence)
            candidate.has_focus = not plan.focus or bool(plan.focus & (stems | nearby))
            if plan.years:
                in_text = any(str(year) in sentence or str(year) in passage.text for year in plan.years)
                in_date = any(year <= article_year <= year + 1 for year in plan.years)
                candidate.year_ok = in_text or in_date
            if plan.names:
                context = stems | nearby | title_stems | passage_stems
                named = sum(any(_same_name(name, other) for other in context) for name in plan.names)
                candidate.names_ok = named >= max(1, math.ceil(len(plan.names) * 0.5))
            length = len(sentence.split())
            candidate.score = (
                2.0 * candidate.coverage
                + 1.0 * candidate.context_coverage
                + 0.8 * candidate.has_answer
                + 0.4 * candidate.has_focus
                + 0.3 * candidate.year_ok
                + 0.3 * (passage.score / top_score)
                - 0.02 * rank
                - (0.2 if length > 60 else 0.0)
                - (0.3 if length < 5 else 0.0)
            )
            found.append(candidate)
    found.sort(key=lambda candidate: candidate.score, reverse=True)
    # The lead passage repeats the first paragraph's opening: keep each sentence once.
    unique = {}
    for candidate in found:
        unique.setdefault(candidate.text, candidate)
    return list(unique.values())


def supports(plan: Plan, candidate: Candidate) -> bool:
    """Whether this sentence is evidence enough to answer with."""
    return (
        candidate.has_answer
        and candidate.has_focus
        and candidate.year_ok
        and candidate.names_ok
        and candidate.coverage >= 0.3
        and candidate.context_coverage >= 0.6
    )


def select_sentences(plan: Plan, ranked: list[Candidate]) -> list[Candidate]:
    """The answer: the best supported sentence first, then up to two more that add to it.

    Empty when nothing supports an answer: the caller declines.
    """
    first = next((candidate for candidate in ranked[:60] if supports(plan, candidate)), None)
    if first is None:
        return []
    chosen = [first]
    budget = MAX_ANSWER_WORDS - len(first.text.split())
    for candidate in ranked:
        if len(chosen) >= MAX_SENTENCES:
            break
        if any(candidate.text == other.text for other in chosen):
            continue
        if not (candidate.year_ok and candidate.names_ok and candidate.coverage >= 0.45):
            continue
        # Each later sentence also carries a date prefix (about four words).
        length = len(candidate.text.split()) + 4
        if length > budget or length > MAX_FIRST_WORDS:
            continue
        chosen.append(candidate)
        budget -= length
    return chosen


def trim(sentence: str, plan: Plan, limit: int) -> str:
    """The sentence, or its clauses that matter, in at most `limit` words; never new words."""
    if len(sentence.split()) <= limit:
        return sentence
    clauses = re.split(r"(?<=[,;:—])\s+", sentence)
    best, best_score = "", -1.0
    for start in range(len(clauses)):
        for end in range(start + 1, len(clauses) + 1):
            text = " ".join(clauses[start:end])
            if len(text.split()) > limit:
                break
            score = _coverage(plan, set(content_stems(text))) + 0.5 * _new_answers(plan, text)
            if score > best_score:
                best, best_score = text, score
    if not best:
        best = " ".join(sentence.split()[:limit])
    best = best.rstrip(",;:— ")
    prefix = "" if sentence.startswith(best) else "… "
    suffix = "" if sentence.endswith(best) else " …"
    return f"{prefix}{best}{suffix}"
