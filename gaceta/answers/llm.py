"""PLACEHOLDER (being written now): the optional language-model path."""
from dataclasses import dataclass
from datetime import date

from django.conf import settings


class ModelUnavailable(Exception):
    pass


@dataclass
class Source:
    n: int
    title: str
    published: date
    text: str


def model_configured() -> bool:
    return bool(settings.GACETA_ASK_LLM_BASE_URL and settings.GACETA_ASK_LLM_MODEL)


def stream_model_answer(question, sources):
    raise ModelUnavailable("not written yet")
