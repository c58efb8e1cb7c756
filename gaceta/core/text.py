"""Sentences of news prose, shared by summaries, search and Ask."""

import re

# Tokens that end with a period without ending a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "lt", "col", "maj", "capt", "cpt",
    "sgt", "cpl", "pte", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "supt", "insp", "det",
    "co", "corp", "inc", "ltd", "bros", "no", "nos", "vs", "etc", "approx", "est", "dept", "univ",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mt", "ft", "ave", "blvd", "rd", "fig", "vol", "op", "cf", "al", "e.g", "i.e", "a.m", "p.m",
    "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "n.z", "s.a", "p.o",
}

# A candidate boundary: end punctuation, optional closing quotes/brackets, space, then something
# that can start a sentence.
_BOUNDARY = re.compile(r"([.!?])([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; "Dr. Smith", "U.S. troops" and "J. Smith" stay in one."""
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if match[1] == ".":
            before = _WORD_BEFORE.search(text, 0, match.start(1))
            word = before[1].lower() if before else ""
            if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or re.fullmatch(
                r"(?:[a-z]\.)+[a-z]", word
            ):
                continue
        end = match.end(2)
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def reader_text(text: str) -> str:
    """Text a reader typed, without NUL characters: never text, and PostgreSQL refuses them."""
    return text.replace("\x00", "")


def summarise(paragraph: str, limit: int = 300) -> str:
    """The first sentence, cut at a word boundary if it is longer than `limit`."""
    sentences = split_sentences(paragraph)
    first = sentences[0] if sentences else paragraph
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
