"""The earlier, hand-tuned extractive reader (GACETA_ASK_READER=rules; learned.py is the default,
and reads this one's signals as features): picks the archive's own sentences that answer a question.

Finding the right story is the easy part; the reader decides which sentence answers, and whether
any does. It reads the question for the kind of answer it wants (a person or other name, a
place, a number, a date, a year, a reason), the kind of thing asked about ("which *admiral*"),
the detail that must be in the evidence ("how many *votes*"), the names it gives, what it says
happened ("won", "died") and the year or month it is about.

It then reads the best stories whole. A sentence scores by how much of the question it covers
(words weighted by rarity in the archive), by the likeliest answer of the wanted kind in it that
the question does not already give, the nearer the question's own words the better ("convicted
lobbyist Jack Abramoff"), and by its story's date. It answers only when the evidence holds: the
answer and the asked detail are there, the story is from the question's year, names what the
question names (as names) and covers most of it, and the sentence or its neighbours tell what
happened. Otherwise it declines rather than guess.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from gaceta.core.text import split_sentences

from gaceta.search.retrieval import COMMON_MINIMUM, COMMON_SHARE
from gaceta.search.text import STOPWORDS, content_stems, fold, stem, words

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
    r"to safeguard|to prevent|to avoid|following|citing|accused of|on charges|charged with|in protest)\b",
    re.IGNORECASE,
)
# "for", "after", "over" often just tell what or when; these nearly always tell why.
STRONG_REASONS = {"because", "due to", "in order to", "so that", "as a result", "to save", "to protect",
                  "to safeguard", "to prevent", "to avoid", "citing", "accused of", "on charges",
                  "charged with", "in protest", "amid"}
_PURPOSE = re.compile(r"\bto (?:\w+ and )?(?:save|protect|safeguard|prevent|avoid|preserve|maintain|reduce|ensure|stop)\b",
                      re.IGNORECASE)
RECENT_WORDS = {"now", "current", "currently", "latest", "today", "recent", "recently", "still"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
NAME = re.compile(r"(?<![\w'’])([A-Z][\w'’.-]*|[A-Z]{2,})")

MAX_FIRST_WORDS = 35
MAX_ANSWER_WORDS = 80
MAX_SENTENCES = 4
ANSWER_THRESHOLD = 0.3
RESTATEMENT_WORDS = 4
# How a sentence scores (tuned on the development questions, see benchmarks/ask_eval.py) …
WEIGHTS = {"coverage": 1.0, "context": 1.0, "span": 3.0, "month": 0.6, "relation": 0.5, "restates": 0.5}
# … and how much of the question the evidence must cover to answer at all.
MINIMUMS = {"sentence": 0.1, "context": 0.2, "story": 0.5}


@dataclass
class Plan:
    """What the question asks for."""

    question: str
    kind: str  # name, place, number, year, date, reason, any
    terms: dict[str, float]  # stem → weight (rarer words weigh more)
    names: set[str]  # stems of the proper names the question mentions
    name_runs: list[set[str]]  # the same, one set per name ("Tour de France" → {tour, franc})
    needs_category: bool  # "the name of the detainee": the answer must stand beside "detainee"
    focus: set[str]  # stems the answering sentence must hold ("votes" in "how many votes")
    years: list[int]
    months: list[tuple[int, int]]  # (year, month) the question names: "in May 2006"
    abbreviations: set[str]  # "us" for "U.S.", "wto"
    wants_recent: bool
    question_words: set[str]  # folded words, to tell new from given
    category: set[str]  # "admiral" in "which German admiral": the answer is one
    described: set[str]  # "french", "daily", "newspaper" in "which French daily newspaper"
    wants_person: bool
    relation: set[str]  # what the question says happened: not names, not the asked kind
    capitalised: set[str]  # stems of the words the question writes with a capital
    counting: bool  # "how many": a count of things, not a sum of money
    verb: set[str]  # "who won …": "won" and what says the same; the answering sentence says it

    @cached_property
    def proper(self) -> set[str]:
        """The question's names and capitalised words ("Algerian" in "which Algerian city")."""
        return self.names | {term for term in self.described if term in self.capitalised}

    @cached_property
    def echoes(self) -> set[str]:
        """The question's words and what says the same ("commence" for "start")."""
        return set(self.terms).union(*(SYNONYMS.get(term, set()) for term in self.terms))


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
    phrase = _category_phrase(lowered)
    described = {stem(word) for word in phrase}
    question_tokens = tokens_of(question)
    name_runs = []
    for start, end in _runs(question_tokens):
        run = {
            term for token in question_tokens[start:end]
            if token.folded not in CONNECTORS and token.folded not in MONTHS and token.folded not in WEEKDAYS
            for term in content_stems(token.core)
        }
        # The question's first word is capitalised anyway; "Latin American" in "which Latin
        # American stock index" describes the answer (the story may say "Brazilian").
        run -= described
        if run and not (start == 0 and end == 1):
            name_runs.append(run)
    names = set().union(*name_runs) if name_runs else set()
    category = {stem(phrase[-1])} if phrase else set()
    focus = _focus(lowered, tokens)
    calendar = {stem(word) for word in tokens if word in MONTHS or word in WEEKDAYS or _YEAR.fullmatch(word)}
    # Numbers in a question name things ("iPad 2", "80th Academy Awards"); they are not what happened.
    # Words common enough for retrieval to set aside ("new", "said") tell nothing of what happened.
    common = max(COMMON_MINIMUM, COMMON_SHARE * total_documents)
    relation = {
        term for term in stems
        if not term[:1].isdigit() and len(term) > 2 and term not in CONNECTORS and frequencies.get(term, 0) <= common
    } - names - described - focus - calendar
    years = [int(year) for year in _YEAR.findall(question)]
    months = [
        (int(year), MONTHS.index(month) + 1)
        for month, year in re.findall(r"\b([a-z]+)(?: \d{1,2}(?:st|nd|rd|th)?(?:,| and \d{1,2},?)?)? (1[89]\d\d|20\d\d)\b", lowered)
        if month in MONTHS[:12]
    ]
    return Plan(
        question=question,
        kind=kind,
        terms=terms,
        names=names,
        name_runs=name_runs,
        needs_category=bool(re.search(r"\bname of\b", lowered)),
        focus=focus,
        years=years,
        months=months,
        abbreviations={
            token.folded.replace(".", "") for token in question_tokens
            if re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,5}", token.core)
        },
        wants_recent=bool(RECENT_WORDS & set(tokens)),
        question_words=set(tokens),
        category=category,
        described=described,
        relation=relation,
        capitalised={term for token in question_tokens if token.capital for term in content_stems(token.core)},
        counting="how many" in lowered,
        verb=_verb_forms(_subject_verb(lowered)),
        wants_person=bool(re.search(r"\b(who|whom|whose)\b", lowered)) or bool(category & PERSON_NOUNS),
    )


def _answer_kind(lowered: str) -> str:
    if re.search(r"\bhow (many|much|long|old|far|big|large)\b|\bwhat (percentage|share|price|proportion|number)\b|\bwhat (is|was|were|are) the (\w+ )?(price|cost|number|population|toll|amount|total|size)\b|\bdeath toll\b|\bhow .* cost\b", lowered):
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
    if re.search(r"\bwhat \w+ed\b", lowered):
        return "any"  # "what reopened …" asks for a thing, named or not
    if re.search(r"\b(which|what)\b", lowered):
        return "name"
    return "any"


# News tells the same event in other words; what the question says happened may be told so.
_SAME_EVENT = [
    "die died death dead pass passed killed",
    "win won victory winner beat defeated champion",
    "withdraw withdrew pull pulled leave left close closed exit quit",
    "buy bought purchase acquire acquired acquisition stake",
    "arrest arrested detain detained custody",
    "resign resigned quit step ousted oust removed dismissed",
    "meet met talks summit gathered",
    "say said told stated announced",
    "attack attacked assault strike struck",
    "price cost costs priced",
    "start started begin began commence commenced launch launched open opened",
    "write wrote written author authored",
    "lay laid layoff layoffs cut fired",
]
SYNONYMS: dict[str, set[str]] = {}
for _group in _SAME_EVENT:
    _stems = {stem(word) for word in _group.split()}
    for _term in _stems:
        SYNONYMS.setdefault(_term, set()).update(_stems - {_term})

AUXILIARIES = {"did", "does", "do", "was", "were", "is", "are", "has", "had", "have", "will", "would", "could", "can"}
IRREGULAR_VERBS = set(
    "won led took made gave became held ran built beat sent left lost fought met told said found "
    "brought bought paid sold began wrote won't hit set put".split()
)
PERSON_NOUNS = {stem(word) for word in (
    "admiral general president minister leader lobbyist architect governor chairman chair ambassador "
    "senator commander candidate mayor king queen pope judge officer spokesman spokesperson director "
    "founder author singer actor player coach captain chief executive prime secretary"
).split()}


# Words that make a capitalised name a body, not a person: "United Nations", "Supreme Court".
BODY_WORDS = {stem(word) for word in (
    "nations united court party ministry department council organisation organization union agency "
    "company bank university news force army navy government committee assembly house office "
    "commission association federation institute front movement group corporation inc ltd"
).split()}


def _category_phrase(lowered: str) -> list[str]:
    """The words naming what "which"/"what" asks about: "which German admiral took …" →
    ["german", "admiral"]; "the name of the … detainee" → [..., "detainee"]."""
    match = re.search(r"\b(?:which|what)\s+((?:[\w.'’-]+\s+){0,4})", lowered + " ")
    named = re.search(r"\bname of (?:the |a |an )?((?:[\w.'’-]+\s+){0,3})", lowered + " ")
    match = named or match
    if not match:
        return []
    phrase = []
    for word in match[1].split():
        verb = word in IRREGULAR_VERBS or (word.endswith("ed") and len(word) > 4 and phrase)
        if word in AUXILIARIES or word in STOPWORDS or verb:
            break
        phrase.append(word)
    if len(phrase) == 1 and (phrase[0].endswith("ed") or phrase[0] in IRREGULAR_VERBS):
        return []  # "what reopened …": a verb, not a kind of thing
    return phrase


def _verb_forms(verb: str | None) -> set[str]:
    if not verb:
        return set()
    return {stem(verb)} | SYNONYMS.get(stem(verb), set())


def _subject_verb(lowered: str) -> str | None:
    """The verb of a question that asks for its subject: "who *won* …", "which club *won* …"."""
    match = re.match(r"(?:who|which|what)\s+((?:[\w.'’-]+\s+){0,5})", lowered + " ")
    if not match:
        return None
    for word in match[1].split():
        if word in AUXILIARIES or word in STOPWORDS:
            return None  # "who was …", "which party did …": the verb is elsewhere
        if word in IRREGULAR_VERBS or (word.endswith("ed") and len(word) > 4):
            return word
    return None


def _focus(lowered: str, tokens: list[str]) -> set[str]:
    """The detail the answer must be about, when the question names it."""
    match = re.search(r"\bhow many ((?:[\w.'’-]+ ){0,3})", lowered + " ")
    if match:
        # The noun counted: the last word before the verb ("how many US *soldiers* entered").
        phrase = []
        for word in match[1].split():
            if word in AUXILIARIES or word in STOPWORDS or word in IRREGULAR_VERBS or (phrase and word.endswith("ed")):
                break
            phrase.append(word)
        return {stem(phrase[-1])} if phrase else set()
    if re.search(r"\bhow much\b", lowered):
        return {stem(word) for word in tokens} & MONEY_VERBS
    if re.search(r"\bname of\b", lowered):
        phrase = _category_phrase(lowered)
        return {stem(phrase[-1])} if phrase else set()
    if re.search(r"\bwhat percentage\b", lowered):
        return {"percent"}
    return set()


CONNECTORS = {"of", "de", "del", "la", "al", "bin", "von", "van", "der", "da", "dos", "the", "for", "y"}
LOCATIVES = {"in", "at", "near", "from", "to", "outside", "into", "inside", "across"}
_OPENERS = "\"“‘'([«"
_CLOSERS = ".,;:!?\"”’')]»"
_NUMERIC = re.compile(r"^(?:US|C|A|NZ|R)?[$£€¥]?\d[\d,.]*(?:%|c|m|bn|km|kg)?$")
_BARE_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
CURRENCY_WORDS = {"dollar", "dollars", "peso", "pesos", "euro", "euros", "pound", "pounds", "yen", "rand", "cents", "reais"}


@dataclass
class Token:
    core: str  # without surrounding quotes and punctuation
    folded: str
    stem: str
    capital: bool
    ends_clause: bool


def tokens_of(sentence: str) -> list[Token]:
    found = []
    for raw in sentence.split():
        core = re.split(r"(?<=\w)[—–](?=\w)", raw)[0]  # "499—the": the number, not the dash
        core = core.strip(_OPENERS).rstrip(_CLOSERS) or raw
        if raw.rstrip(_CLOSERS[1:]).endswith(".") and len(core) <= 4 and "." in core:
            core = core + "."  # "U.S." keeps its dot
        folded = fold(core).strip(".'’")
        found.append(Token(core, folded, stem(folded) if folded else "", core[:1].isupper(),
                           raw[-1:] in ",;:" or raw.endswith((",\"", ",”"))))
    return found


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of capitalised words ("Andreas Krause", "Memorial to the Murdered Jews") as [start, end)."""
    runs, index = [], 0
    while index < len(tokens):
        if not tokens[index].capital or not tokens[index].folded[:1].isalpha():
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and not tokens[end - 1].ends_clause:
            if tokens[end].capital and tokens[end].folded[:1].isalnum():
                end += 1
            elif (tokens[end].folded in CONNECTORS and end + 1 < len(tokens) and tokens[end + 1].capital
                  and not tokens[end].ends_clause):
                end += 2
            else:
                break
        runs.append((index, end))
        index = end
    return runs


def _is_given(plan: "Plan", token: Token) -> bool:
    word = token.folded
    terms = content_stems(token.core)
    return (not terms or word in plan.question_words or word in STOPWORDS or word in MONTHS
            or word in WEEKDAYS or token.stem in plan.terms
            or any(_same_name(token.stem, name) for name in plan.names))


def _expansions(plan: "Plan", tokens: list[Token]) -> set[int]:
    """Where the sentence spells out an abbreviation the question uses ("United States" for
    "U.S."): those words are given, not an answer."""
    found = set()
    for abbreviation in plan.abbreviations:
        size = len(abbreviation)
        for start in range(len(tokens) - size + 1):
            window = tokens[start : start + size]
            if all(token.capital for token in window) and "".join(t.folded[:1] for t in window) == abbreviation:
                found.update(range(start, start + size))
    return found


def answer_spans(plan: "Plan", tokens: list[Token]) -> list[tuple[int, int, float]]:
    """Where in the sentence an answer of the wanted kind might be, and how likely: (start, end,
    strength). Only what the question does not already give counts."""
    spans = []
    kind = plan.kind
    if kind in ("name", "place"):
        expanded = _expansions(plan, tokens)
        for start, end in _runs(tokens):
            new = [
                token for index, token in enumerate(tokens[start:end], start)
                if token.folded not in CONNECTORS and index not in expanded and not _is_given(plan, token)
            ]
            if not new:
                continue
            capitals = sum(token.folded not in CONNECTORS for token in tokens[start:end])
            strength = 0.6
            if plan.wants_person and capitals >= 2 and not any(t.stem in BODY_WORDS for t in tokens[start:end]):
                strength += 0.3
            if kind == "place" and start > 0 and tokens[start - 1].folded in LOCATIVES:
                strength += 0.3
            if kind == "place" and any(token.stem in PERSON_NOUNS for token in tokens[start:end]):
                strength *= 0.5  # "Prime Minister Stephen Harper" is not where
            if start == 0 and capitals == 1:
                strength *= 0.4  # any sentence's first word is capitalised
            spans.append((start, end, strength))
    elif kind == "number":
        index = 0
        while index < len(tokens):
            token = tokens[index]
            numeric = bool(_NUMERIC.match(token.core)) or token.folded in NUMBER_WORDS
            bare = token.folded.lstrip("us$£€c").replace(",", "").rstrip("%")
            if not numeric or bare in plan.question_words or token.folded in plan.question_words:
                index += 1
                continue
            end = index + 1
            while end < len(tokens) and (tokens[end].folded in NUMBER_WORDS or _NUMERIC.match(tokens[end].core)) \
                    and not tokens[end - 1].ends_clause:
                end += 1
            strength = 0.7
            if _BARE_YEAR.match(token.core) and end == index + 1:
                strength = 0.15  # a year is rarely the number asked for
            after = {t.stem for t in tokens[end : end + 4]} | {t.stem for t in tokens[max(0, index - 2) : index]}
            if plan.focus and plan.focus & after:
                strength += 0.5
            money = tokens[max(0, index - 1) : end]  # "US$ 499" has its sign apart
            if any(char in t.core for t in money for char in "$£€") or {t.folded for t in tokens[end : end + 2]} & CURRENCY_WORDS:
                strength = strength * 0.5 if plan.counting else strength + 0.2  # "how many" counts things
            elif "%" in token.core:
                strength += 0.2
            spans.append((index, end, strength))
            index = end
    elif kind in ("year", "date"):
        for index, token in enumerate(tokens):
            if _BARE_YEAR.match(token.folded) and token.folded not in plan.question_words:
                strength = 1.0 if kind == "year" else 0.5
                if index > 0 and tokens[index - 1].folded in ("late", "early", "mid", "by", "until"):
                    strength = 0.9
                spans.append((index, index + 1, strength))
            elif kind == "date" and token.folded in MONTHS and token.folded not in plan.question_words:
                near = tokens[max(0, index - 1) : index + 2]
                with_day = any(t.folded.isdigit() and len(t.folded) <= 2 for t in near)
                spans.append((index, index + 1, 1.0 if with_day else 0.6))
            elif kind == "date" and token.folded in WEEKDAYS and token.folded not in plan.question_words:
                spans.append((index, index + 1, 0.5))
    elif kind == "reason":
        text = " ".join(token.core for token in tokens)
        for match in REASON_WORDS.finditer(text):
            index = len(text[: match.start()].split())
            spans.append((index, len(tokens), 1.0 if match[1].lower() in STRONG_REASONS else 0.5))
        for match in _PURPOSE.finditer(text):
            spans.append((len(text[: match.start()].split()), len(tokens), 1.0))
    else:
        spans.append((0, len(tokens), 0.5))
    return spans


def best_span(plan: "Plan", tokens: list[Token]) -> tuple[float, int, int, bool]:
    """The sentence's likeliest answer (score, start, end): a span's strength, times how close
    it sits to the question's own words (an answer is usually beside what the question asks
    about), more when it stands beside the kind of thing asked for ("lobbyist Jack Abramoff");
    and whether it does."""
    kind_words = plan.category | plan.described
    echoes = plan.echoes
    matched = [index for index, token in enumerate(tokens) if token.stem in echoes or token.stem in kind_words]
    best = (0.0, 0, 0, False)
    for start, end, strength in answer_spans(plan, tokens):
        if plan.kind in ("reason", "any"):
            best = max(best, (strength, start, end, False))
            continue
        outside = [index for index in matched if index < start or index >= end]
        distance = min((start - index if index < start else index - end + 1 for index in outside), default=12)
        reach = 1 if plan.needs_category else 3
        near_category = any(
            tokens[index].stem in (plan.category if plan.needs_category else kind_words)
            and start - reach <= index < end + reach
            for index in matched
        )
        if plan.needs_category and not near_category:
            continue
        # "Rear Admiral Andreas Krause" answers "which admiral" by itself.
        closeness = 1.0 if near_category else 1.0 / (1.0 + max(0, distance - 1) / 4)
        best = max(best, (strength * (0.3 + 0.7 * closeness) + (0.4 if near_category else 0.0), start, end, near_category))
    return best


@dataclass
class Candidate:
    """A sentence that might answer, and why."""

    text: str
    passage: object
    coverage: float = 0.0
    context_coverage: float = 0.0
    has_answer: bool = False
    span: float = 0.0
    article_coverage: float = 0.0
    in_month: bool = False
    relation_here: float = 1.0
    relation_around: bool = True
    beside_kind: bool = False  # the answer stands beside the kind asked for ("Admiral Andreas Krause")
    says_verb: bool = True
    restates: bool = False
    has_focus: bool = True
    year_ok: bool = True
    names_ok: bool = True
    score: float = 0.0


def _same_name(name: str, other: str) -> bool:
    """"Iraqi" names Iraq, "Brazilian" Brazil: one stem begins the other and is most of it (so
    "Liberal" does not name the Libertadores)."""
    if name == other:
        return True
    if name[:4] != other[:4]:  # the test below, cheaply first (a million calls a question)
        return False
    shorter, longer = sorted((name, other), key=len)
    return len(shorter) >= 4 and longer.startswith(shorter) and len(shorter) >= 0.6 * len(longer)


def published_near(published, month: tuple[int, int]) -> bool:
    """Whether a story published then reports on that month: from a month before (a preview)
    to six weeks after it."""
    year, number = month
    start = date(year, number, 1) - timedelta(days=31)
    end = date(year + number // 12, number % 12 + 1, 1) + timedelta(days=45)
    return start <= published.date() < end


def _capitalised(passages) -> set[str]:
    """Stems of the words a story writes with a capital: a name in the question must be a name
    in the story too (the "tour" of a golf tour is not the Tour de France)."""
    return {
        term
        for passage in passages
        for word in NAME.findall(passage.text)
        for term in content_stems(word)
    }


def _names_found(plan: Plan, stems: set[str]) -> bool:
    """Whether the story names what the question names: words making half of every name's weight
    (rarer words weigh more: "Palmer" for "Clive Palmer", but not "Best" for "Best Picture"); one
    name in three may be missing (stories shorten long questions)."""
    missing = 0
    for run in plan.name_runs:
        weight = {name: plan.terms.get(name, 1.0) for name in run}
        found = sum(weight[name] for name in run if any(_same_name(name, other) for other in stems))
        if found < sum(weight.values()) / 2:
            missing += 1
    return missing <= len(plan.name_runs) // 3


def _coverage(plan: Plan, stems: set[str]) -> float:
    """The share of the question's weight that `stems` hold, in its words or the same in others."""
    return _share(plan, plan.terms, stems)


def _share(plan: Plan, terms, stems: set[str]) -> float:
    """The share of the weight of `terms` (some of the question's) that `stems` hold: the word,
    the same in other words, or for a name its other form ("Algeria" for "Algerian")."""
    total = sum(plan.terms[term] for term in terms) or 1.0
    held = 0.0
    for term in terms:
        if term in stems or SYNONYMS.get(term, set()) & stems or (
            term in plan.proper and any(_same_name(term, other) for other in stems)
        ):
            held += plan.terms[term]
    return held / total


def candidates(plan: Plan, passages: list) -> list[Candidate]:
    """Every sentence of `passages` (whole articles, best article first), scored."""
    found = []
    top_score = max((passage.score for passage in passages), default=1.0) or 1.0
    articles: dict[int, list] = {}
    for passage in passages:
        articles.setdefault(passage.article_id, []).append(passage)
    for rank, group in enumerate(articles.values()):
        split = [_sentences_of(passage) for passage in group]
        article_stems = set(content_stems(group[0].title)).union(
            *(stems for sentences in split for _, stems in sentences)
        )
        article_text = " ".join(passage.text for passage in group)
        names_ok = _names_found(plan, _capitalised(group))
        in_month = any(published_near(group[0].published_at, month) for month in plan.months)
        article_coverage = _coverage(plan, article_stems)
        for passage, sentences in zip(group, split):
            title_stems = set(content_stems(passage.title))
            sentence_stems = [stems for _, stems in sentences]
            passage_stems = set().union(*sentence_stems) if sentence_stems else set()
            article_year = passage.published_at.year
            for index, (sentence, stems) in enumerate(sentences):
                nearby = set().union(*sentence_stems[max(0, index - 1) : index + 2])
                candidate = Candidate(sentence, passage)
                candidate.coverage = _coverage(plan, stems)
                candidate.context_coverage = _coverage(plan, stems | nearby | title_stems | passage_stems)
                candidate.span, _, _, candidate.beside_kind = best_span(plan, tokens_of(sentence))
                candidate.has_answer = candidate.span >= ANSWER_THRESHOLD
                candidate.has_focus = not plan.focus or bool(plan.focus & (stems | nearby | title_stems))
                if plan.years:
                    in_text = any(str(year) in article_text for year in plan.years)
                    in_date = any(year <= article_year <= year + 1 for year in plan.years)
                    candidate.year_ok = in_text or in_date
                candidate.names_ok = names_ok
                candidate.in_month = in_month
                candidate.article_coverage = article_coverage
                candidate.says_verb = not plan.verb or bool(plan.verb & stems)
                if plan.relation:
                    candidate.relation_here = _share(plan, plan.relation, stems)
                    candidate.relation_around = _share(plan, plan.relation, stems | nearby | title_stems) > 0
                # A sentence that only says again what the question says answers nothing.
                candidate.restates = len(stems - set(plan.terms)) < RESTATEMENT_WORDS and candidate.span < 0.6
                length = len(sentence.split())
                candidate.score = (
                    WEIGHTS["coverage"] * candidate.coverage
                    + WEIGHTS["context"] * candidate.context_coverage
                    + WEIGHTS["span"] * candidate.span
                    + 0.4 * candidate.has_focus
                    + 0.3 * candidate.year_ok
                    + WEIGHTS["month"] * candidate.in_month
                    + WEIGHTS["relation"] * candidate.relation_here
                    - WEIGHTS["restates"] * candidate.restates
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


def _sentences_of(passage) -> list[tuple[str, set[str]]]:
    sentences = split_sentences(passage.text)
    if passage.position == 0:
        # The lead passage repeats the headline before the summary; only the summary answers.
        sentences = sentences[1:] if len(sentences) > 1 else sentences
    return [(sentence, set(content_stems(sentence)) | ({"percent"} if "%" in sentence else set()))
            for sentence in sentences]


def supports(plan: Plan, candidate: Candidate) -> bool:
    """Whether this sentence is evidence enough to answer with: it holds an answer of the wanted
    kind and the asked detail; its story is of the question's year, names what the question
    names and covers most of it; the sentence tells what the question says happened ("won",
    "died", or the same in other words), or its neighbours or headline do and the answer stands
    beside the kind of thing asked for ("Rear Admiral Andreas Krause")."""
    return (
        candidate.has_answer
        and candidate.has_focus
        and candidate.year_ok
        and candidate.names_ok
        and candidate.coverage >= MINIMUMS["sentence"]
        and candidate.context_coverage >= MINIMUMS["context"]
        and candidate.article_coverage >= MINIMUMS["story"]
        and ((candidate.relation_here > 0 and candidate.says_verb) or (candidate.relation_around and candidate.beside_kind))
    )


def select_sentences(plan: Plan, ranked: list[Candidate]) -> list[Candidate]:
    """The answer's sentences in order: the best supported sentence first, then the sentences of
    its story that share a word with the question, then other stories' sentences that support an answer
    too. The caller keeps as many as fit the answer's length. Empty when nothing supports an
    answer: the caller declines.
    """
    supported = [candidate for candidate in ranked[:60] if supports(plan, candidate)]
    if not supported:
        return []
    # A story from the month the question names beats a better-worded one from months away.
    first = next((candidate for candidate in supported if candidate.in_month), supported[0])
    story = first.passage.article_id
    same_story = [
        candidate for candidate in ranked
        if candidate.passage.article_id == story and candidate is not first
        and candidate.coverage > 0 and not candidate.restates
    ]
    others = [candidate for candidate in supported if candidate.passage.article_id != story]
    chosen, seen = [first], {first.text}
    for candidate in same_story + others:
        if candidate.text not in seen:
            chosen.append(candidate)
            seen.add(candidate.text)
    return chosen


def trim(sentence: str, plan: Plan, limit: int) -> str:
    """The sentence, or the part of it that answers, in at most `limit` words; never new words.

    The part keeps the likeliest answer and as much of the question's words around it as fit,
    starting and ending at clause boundaries where it can.
    """
    parts = sentence.split()
    if len(parts) <= limit:
        return sentence
    score, span_start, span_end, _ = best_span(plan, tokens_of(sentence))
    if score <= 0:
        span_start, span_end = 0, 0
    return clause_cut(sentence, (span_start, span_end), limit, lambda text: _coverage(plan, set(content_stems(text))))


def clause_cut(sentence: str, span: tuple[int, int], limit: int, coverage, opening=None, starts=(),
               verb: int | None = None, clauses=()) -> str:
    """The part of `sentence` (at most `limit` words, "…" marking each cut and counted as a word)
    that holds the words `span` [start, end), starts and ends at clause boundaries (a comma, a
    semicolon, a colon, a dash) where it can, and scores best by `coverage(text)` (how much of the
    question it keeps); `opening(start)`, when given, is added for a part starting at word
    `start` (how well it reads as the start of a sentence; below 0: it does not); `starts`: other
    words a part may start at (where a clause's subject begins, from the parse).

    Given `verb` (the word of the sentence's main verb, from the parse), a part that does not read
    as a start may follow the sentence's opening up to a clause boundary past that verb, or to
    where one of `clauses` begins (the words where subordinate clauses start), as an editor quotes:
    "The trial resumed Monday in Baghdad … with razing farmland and authorizing the illegal arrests
    of 399 people." Each piece is the sentence's own words, in its order."""
    parts = sentence.split()
    if len(parts) <= limit:
        return sentence
    span_start, span_end = span
    boundaries = {0} | {index + 1 for index, word in enumerate(parts) if word[-1] in ",;:—"}
    heads = sorted(end for end in boundaries | set(clauses) if end > verb) if verb is not None else []
    size = len(parts)

    def fits(start: int, end: int) -> bool:
        return (end - start) + (start > 0) + (end < size) <= limit

    starts = {start for start in boundaries | set(starts) if start <= span_start} | {max(0, span_end - limit + 2)}
    openings = {start: opening(start) if opening else 0.0 for start in starts | {0}}  # once a start, not once a part
    best, best_score = (0, 0, limit - 1), -1.0
    for start in starts:
        ends = {end for end in boundaries | {size} if end >= span_end} | {min(size, start + limit - (start > 0) - 1)}
        for end in ends:
            if end < span_end or end <= start or not fits(start, end):
                continue
            tail = " ".join(parts[start:end])
            closes = 0.1 * (end in boundaries or end == size)
            score = coverage(tail) + openings[start] + 0.1 * (start in boundaries) + closes + 0.002 * (end - start)
            if score > best_score:
                best, best_score = (0, start, end), score
            if start == 0 or openings[start] >= 0:
                continue
            for head in heads:  # the sentence's opening clause, then the part ("… " between)
                if head >= start or head + 1 + (end - start) + (end < size) > limit:
                    break
                # A second cut costs: a part that reads as a start, cut once, is better.
                score = (coverage(" ".join(parts[:head]) + " " + tail) + openings[0] + closes - 0.2
                         + 0.002 * (head + end - start))
                if score > best_score:
                    best, best_score = (head, start, end), score
    head, start, end = best
    text = " ".join(parts[start:end]).rstrip(",;:— ")
    if head:
        return f"{' '.join(parts[:head]).rstrip(',;:— ')} … {text}{' …' if end < size else ''}"
    return f"{'… ' if start else ''}{text}{' …' if end < size else ''}"
