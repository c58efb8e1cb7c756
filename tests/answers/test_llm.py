"""Ask's language-model path against a real chat-completions server on loopback: only checked,
cited sentences come through; failures surface as ModelUnavailable."""

import time
from datetime import date

import pytest

from gaceta.answers.llm import (
    CheckedSentence,
    ModelUnavailable,
    Source,
    model_configured,
    stream_model_answer,
    supported,
)

SHEEHAN = Source(
    1,
    "Cindy Sheehan urges Canada to welcome deserters",
    date(2006, 5, 5),
    "Cindy Sheehan, the anti-war activist, held a news conference in Ottawa on Thursday. "
    "She urged Canada to give refuge to United States military deserters who refuse to fight in "
    "Iraq. About 200 deserters are believed to be living in Canada.",
)
VOLCANO = Source(
    2,
    "Volcano erupts near Mexico City",
    date(2023, 4, 6),
    "The Popocatépetl volcano near Mexico City erupted on Tuesday, covering nearby towns in ash. "
    "Authorities closed the airport in Puebla for six hours as a precaution.",
)
SOURCES = [SHEEHAN, VOLCANO]
NOT_GIVEN = "The mayor of Tlaxcala resigned after auditors found 4,200 missing tractors."

ON_SHEEHAN = (
    "On 5 May 2006, Cindy Sheehan urged Canada to give refuge to United States military deserters"
)
ON_VOLCANO = (
    "Authorities closed the airport in Puebla for six hours after the Popocatépetl volcano erupted"
)


def answer(model, reply, sources=SOURCES, question="What did Cindy Sheehan ask of Canada?"):
    model.reply = reply
    return list(stream_model_answer(question, sources))


def test_supported_sentences_come_through_with_their_citations(model):
    said = answer(model, f"{ON_SHEEHAN} [1]. {ON_VOLCANO} [2][1].")
    assert said == [
        CheckedSentence(f"{ON_SHEEHAN}.", [1]),
        CheckedSentence(f"{ON_VOLCANO}.", [2, 1]),
    ]
    assert len(model.requests) == 1


def test_markers_written_with_commas_or_after_the_full_stop(model):
    model.piece = 1  # so that some chunk ends between a full stop and the marker after it
    said = answer(
        model, f"{ON_SHEEHAN} [1, 2]. {ON_VOLCANO}. [2] About 200 deserters live in Canada.[1]"
    )
    assert said == [
        CheckedSentence(f"{ON_SHEEHAN}.", [1, 2]),
        CheckedSentence(f"{ON_VOLCANO}.", [2]),
        CheckedSentence("About 200 deserters live in Canada.", [1]),
    ]


def test_a_sentence_without_a_marker_is_dropped(model):
    said = answer(model, f"{ON_SHEEHAN}. {ON_VOLCANO} [2].")
    assert said == [CheckedSentence(f"{ON_VOLCANO}.", [2])]


def test_a_sentence_citing_a_source_not_given_is_dropped(model):
    said = answer(model, f"{ON_SHEEHAN} [3]. {ON_VOLCANO} [2].")
    assert said == [CheckedSentence(f"{ON_VOLCANO}.", [2])]
    # The same sentence is fine once it may cite a source that exists and supports it.
    assert supported(f"{ON_SHEEHAN} [1].", SOURCES)
    assert not supported(f"{ON_SHEEHAN} [1][3].", SOURCES)


def test_a_number_its_source_does_not_give_is_dropped(model):
    living = "deserters are believed to be living in Canada"
    said = answer(model, f"About 300 {living} [1]. About 200 {living} [1]. About 200 {living} [2].")
    assert said == [CheckedSentence(f"About 200 {living}.", [1])]


def test_numbers_match_as_written_in_news_text():
    source = Source(
        1,
        "Turnout in the referendum",
        date(2019, 11, 3),
        "Officials counted 77,738 ballots, and 49% of voters backed the plan.",
    )
    assert supported("Officials counted 77,738 ballots [1].", [source])
    assert supported("Officials counted 77738 ballots on 3 November 2019 [1].", [source])
    assert supported("49% of voters backed the plan [1].", [source])
    assert not supported("51% of voters backed the plan [1].", [source])
    assert not supported("Officials counted 77,739 ballots [1].", [source])
    assert not supported("Officials counted 77,738 ballots in 2018 [1].", [source])


def test_words_its_source_does_not_support_are_dropped(model):
    said = answer(
        model,
        "Mounties arrested Sheehan for treason at a Toronto protest rally [1]. "
        f"{ON_VOLCANO} [1]. {ON_VOLCANO} [2].",
    )
    assert said == [CheckedSentence(f"{ON_VOLCANO}.", [2])]


def test_not_in_archive_yields_nothing(model):
    assert answer(model, "NOT IN ARCHIVE") == []
    assert answer(model, "NOT IN ARCHIVE.") == []
    # Having said so, the model gets no say after it.
    assert answer(model, f"NOT IN ARCHIVE. {ON_VOLCANO} [2].") == []
    assert len(model.requests) == 3


def test_the_model_sees_only_the_given_sources(model):
    answer(model, "NOT IN ARCHIVE", sources=[VOLCANO])
    request = model.requests[-1]
    assert request["model"] == model.model
    assert request["stream"] is True
    assert request["temperature"] == 0
    system, user = request["messages"][0], request["messages"][-1]
    assert system["role"] == "system" and "citation" in system["content"].lower()
    assert "NOT IN ARCHIVE" in system["content"]
    assert VOLCANO.text in user["content"] and VOLCANO.title in user["content"]
    assert "6 April 2023" in user["content"]
    assert "What did Cindy Sheehan ask of Canada?" in user["content"]
    assert SHEEHAN.text not in model.prompt and SHEEHAN.title not in model.prompt
    assert NOT_GIVEN not in model.prompt and "Tlaxcala" not in model.prompt


def test_the_api_key_is_sent_as_a_bearer_token(model, settings):
    answer(model, f"{ON_VOLCANO} [2].")
    assert model.headers[-1]["authorization"] == "Bearer sk-test-gaceta"
    settings.GACETA_ASK_LLM_API_KEY = "sk-wrong"
    with pytest.raises(ModelUnavailable):
        answer(model, f"{ON_VOLCANO} [2].")
    assert model.headers[-1]["authorization"] == "Bearer sk-wrong"


def test_a_server_error_raises_model_unavailable(model):
    model.status = 500
    with pytest.raises(ModelUnavailable):
        answer(model, f"{ON_VOLCANO} [2].")
    assert len(model.requests) == 1  # no retries


def test_a_server_slower_than_the_timeout_raises_model_unavailable(model, settings):
    settings.GACETA_ASK_LLM_TIMEOUT = 0.5
    model.delay = 2
    started = time.monotonic()
    with pytest.raises(ModelUnavailable):
        answer(model, f"{ON_VOLCANO} [2].")
    assert time.monotonic() - started < 1.5


def test_an_unreachable_server_raises_model_unavailable(model, settings):
    model.__exit__()  # nothing listens on its port any more
    with pytest.raises(ModelUnavailable):
        answer(model, f"{ON_VOLCANO} [2].")


def test_an_empty_reply_raises_model_unavailable(model):
    with pytest.raises(ModelUnavailable):
        answer(model, "")


@pytest.mark.slow
def test_sentences_arrive_while_the_reply_streams(model, settings):
    """The first sentence is out before the model finishes; a stall after it ends the answer
    quietly, a stall before any sentence raises."""
    settings.GACETA_ASK_LLM_TIMEOUT = 0.5
    reply = f"{ON_VOLCANO} [2]. {ON_SHEEHAN} [1]."
    model.reply, model.stall_after = reply, reply.index("Cindy") + 3
    said = list(stream_model_answer("What happened?", SOURCES))
    assert said == [CheckedSentence(f"{ON_VOLCANO}.", [2])]
    model.stall_after = reply.index("[2]") - 5
    with pytest.raises(ModelUnavailable):
        list(stream_model_answer("What happened?", SOURCES))


def test_model_configured(settings):
    settings.GACETA_ASK_LLM_BASE_URL = "http://127.0.0.1:11434/v1"
    settings.GACETA_ASK_LLM_MODEL = "llama3"
    assert model_configured()
    settings.GACETA_ASK_LLM_MODEL = ""
    assert not model_configured()
    settings.GACETA_ASK_LLM_BASE_URL, settings.GACETA_ASK_LLM_MODEL = "", "llama3"
    assert not model_configured()
