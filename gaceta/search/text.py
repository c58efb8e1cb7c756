"""Words of news text, as retrieval and the reader compare them: folded, stemmed, no stopwords."""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves according said
    says say according did does whose much many one""".split()
)

_per_thread = threading.local()
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase without accents: "Piñera" and "Pinera" compare equal."""
    if text.isascii():  # most of an English archive, and a tenth of the time
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Folded word tokens, numbers kept whole ("77,738", "14.45%"), possessives as their noun
    ("Chile’s" is "chile": the index holds "Chile" and "s" apart)."""
    return [token.replace("’", "'").removesuffix("'s") for token in _TOKEN.findall(fold(text))]


def stemmer(algorithm: str = "english"):
    """This thread's snowball stemmer: one keeps its word in progress on itself, so two threads
    sharing one (the dev server's, gunicorn's gthread workers) get each other's stems or an
    IndexError."""
    stemmers = _per_thread.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word[:1].isdigit():
        return word.replace(",", "").rstrip("%")
    return stemmer().stemWord(word.removesuffix("'s"))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, without stopwords."""
    return list(_content_stems(text))


@lru_cache(maxsize=16384)  # the reader stems each sentence it reads several times a question
def _content_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in words(text) if word not in STOPWORDS and len(word) > 1)


def word_count(text: str) -> int:
    return len(text.split())
