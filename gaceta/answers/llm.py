"""The optional language-model path of Ask: the model words the answer, the archive vouches for it.

Any OpenAI-compatible chat-completions endpoint will do (OpenAI, Perplexity Sonar, Ollama, vLLM,
llama.cpp's server). The model sees only the numbered passages retrieval chose, and must end every
sentence with markers such as [1] or [1][2] naming the passages it rests on.

A model can still misquote a passage, blend two of them, or add a figure or a date that sounds
right. A news archive must not put words in its own reporting's mouth, so every sentence is checked
before a reader sees it: it has to cite passages it was given, every number in it has to appear in
what it cites, and most of its content words have to come from there too. Sentences that fail are
dropped; the model may only say what a cited passage supports.
"""

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import openai
from django.conf import settings

from gaceta.core.text import split_sentences

from gaceta.search.text import content_stems, words

logger = logging.getLogger(__name__)

NOT_IN_ARCHIVE = "NOT IN ARCHIVE"
# Share of a sentence's content words that must come from the passages it cites.
SUPPORTED_SHARE = 0.6

SYSTEM_PROMPT = f"""You answer readers' questions for a news archive, using only the numbered \
sources the user gives you. Never use anything else you know.
Answer in at most 3 short sentences. End every sentence with citation markers naming the sources \
that support it, like [1] or [1][2]; a sentence without a citation is not allowed.
State dates explicitly (for example "On 14 March 2006"), never "today" or "last year".
Copy names and numbers exactly as the sources give them.
If the sources do not answer the question, reply exactly: {NOT_IN_ARCHIVE}"""

_MARKER = re.compile(r"\[\s*\d+(?:\s*,\s*\d+)*\s*\]")
# Markers a model put after the full stop ("... in 2006. [1]"), to move before it.
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*,\s*\d+)*\s*\])+)")


class ModelUnavailable(Exception):
    """The model could not be reached, timed out, answered an error or said nothing."""


@dataclass
class Source:
    n: int  # the citation number, from 1
    title: str
    published: date
    text: str  # the passage text the model may use


@dataclass
class CheckedSentence:
    text: str  # without its [n] markers
    citations: list[int]


def model_configured() -> bool:
    return bool(settings.GACETA_ASK_LLM_BASE_URL and settings.GACETA_ASK_LLM_MODEL)


def citations(sentence: str) -> list[int]:
    """The source numbers a sentence's markers name, in order, once each: "[1][2]", "[1, 2]"."""
    found = [int(n) for marker in _MARKER.findall(sentence) for n in re.findall(r"\d+", marker)]
    return list(dict.fromkeys(found))


def without_markers(sentence: str) -> str:
    text = re.sub(r"\s+", " ", _MARKER.sub(" ", sentence))
    return re.sub(r"\s+([.,;:!?])", r"\1", text).strip()


def supported(sentence: str, sources: list[Source]) -> bool:
    """Whether `sentence` (with its markers) cites only `sources`, at least one of them, and says
    nothing they don't: its numbers and most of its content words come from what it cites."""
    cited = citations(sentence)
    by_number = {source.n: source for source in sources}
    if not cited or any(n not in by_number for n in cited):
        return False
    cited_sources = [by_number[n] for n in cited]
    text = without_markers(sentence)
    sentence_words = [word for word in content_stems(text) if not word[:1].isdigit()]
    vocabulary = {
        word
        for source in cited_sources
        for word in content_stems(f"{source.title} {source.text} {_long_date(source.published)}")
    }
    known_numbers = {number for source in cited_sources for number in _source_numbers(source)}
    if not _numbers(text) <= known_numbers or not sentence_words:
        return False
    share = len(set(sentence_words) & vocabulary) / len(set(sentence_words))
    return share >= SUPPORTED_SHARE


def stream_model_answer(question: str, sources: list[Source]) -> Iterator[CheckedSentence]:
    """The model's answer from `sources`, one checked sentence at a time as the reply streams in.

    Raises ModelUnavailable if the model fails before a sentence was yielded; after that, a
    failure just ends the answer."""
    yielded = False
    try:
        client = openai.OpenAI(
            base_url=settings.GACETA_ASK_LLM_BASE_URL,
            # Local servers (Ollama, llama.cpp) need no key, but the library insists on one.
            api_key=settings.GACETA_ASK_LLM_API_KEY or "none",
            timeout=settings.GACETA_ASK_LLM_TIMEOUT,
            max_retries=0,
        )
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": _user_prompt(question, sources)},
        ]
        with client, client.chat.completions.create(
            model=settings.GACETA_ASK_LLM_MODEL, messages=messages, stream=True, temperature=0
        ) as stream:
            for sentence in _complete_sentences(stream):
                if _is_not_in_archive(sentence):
                    return
                if supported(sentence, sources):
                    yielded = True
                    yield CheckedSentence(without_markers(sentence), citations(sentence))
                else:
                    logger.debug("Ask: dropped a model sentence not supported: %r", sentence)
    except openai.OpenAIError as error:
        if not yielded:
            raise ModelUnavailable(str(error)) from error
        logger.warning("Ask: the language model stopped mid-answer: %s", error)


def _complete_sentences(chunks) -> Iterator[str]:
    """The reply's sentences, each once the next has begun or the stream has ended."""
    reply, done = "", 0
    for chunk in chunks:
        reply += "".join(choice.delta.content or "" for choice in chunk.choices if choice.delta)
        sentences = _sentences(reply)
        # The last sentence may still grow; so may the one before while the markers it puts
        # after its full stop ("... in 2006. [1]") come in.
        complete = len(sentences) - (2 if sentences and sentences[-1].startswith("[") else 1)
        yield from sentences[done:complete]
        done = max(done, complete)
    if not reply.strip():
        raise ModelUnavailable("the model returned nothing")
    yield from _sentences(reply)[done:]


def _sentences(reply: str) -> list[str]:
    return split_sentences(_MARKERS_AFTER_STOP.sub(r"\2\1", reply))


def _is_not_in_archive(sentence: str) -> bool:
    return sentence.strip().rstrip(".").upper() == NOT_IN_ARCHIVE


def _user_prompt(question: str, sources: list[Source]) -> str:
    passages = "\n\n".join(
        f"[{source.n}] {source.title} (published {_long_date(source.published)})\n{source.text}"
        for source in sources
    )
    return f"Sources:\n\n{passages}\n\nQuestion: {question}"


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _numbers(text: str) -> set[str]:
    """Numbers as written in news text, compared without separators: "77,738" is "77738"."""
    numbers = (word.replace(",", "").rstrip("%") for word in words(text) if word[:1].isdigit())
    return {number.lstrip("0") or "0" for number in numbers}


def _source_numbers(source: Source) -> set[str]:
    published = source.published
    in_date = {str(published.year), str(published.month), str(published.day)}
    return _numbers(f"{source.title} {source.text}") | in_date
