"""The hand-tuned reader (reader.py, `GACETA_ASK_READER=rules`): which sentence answers, and
when to decline. The trained reader's own tests are in test_learned.py."""

import json

import pytest

from gaceta.answers import ask
from tests.conftest import local, publish_article


@pytest.fixture(autouse=True)
def rules_reader(settings):
    settings.GACETA_ASK_READER = "rules"


def answer(client, question):
    response = client.post("/api/ask", json.dumps({"question": question}), content_type="application/json")
    assert response.status_code == 200
    return response.json()


def first_sentence(data):
    assert data["answered"], data
    return data["sentences"][0]["text"]


def test_the_answer_may_come_from_a_paragraph_retrieval_did_not_rank(client, sections, monkeypatch):
    monkeypatch.setattr(ask, "PASSAGES_PER_QUESTION", 1)
    publish_article(sections["politics"], "Germany leads naval mission off Lebanon", paragraphs=[
        "Germany took command of the United Nations naval task force off Lebanon on Sunday.",
        "The German ships sail under Rear Admiral Andreas Krause.",
    ])
    data = answer(client, "Which admiral took command of the naval task force off Lebanon?")
    assert "Andreas Krause" in first_sentence(data)


def test_the_answer_is_the_name_beside_the_kind_of_person_asked_for(client, sections):
    publish_article(sections["politics"], "Sununu donations questioned", paragraphs=[
        "Donations to the campaign of Senator John Sununu in New Hampshire were questioned by Charles Bass.",
        "The donations were linked to convicted lobbyist Jack Abramoff.",
    ])
    data = answer(client, "Which convicted lobbyist was linked to donations to Senator John Sununu's campaign?")
    assert "Jack Abramoff" in first_sentence(data)


def test_a_long_sentence_is_trimmed_around_its_answer(client, sections):
    publish_article(sections["politics"], "Newspapers publish the letter", paragraphs=[
        "The French daily Le Monde, which has a long tradition of publishing the full texts of speeches and "
        "letters by politicians, writers and intellectuals from around the world, was one of the first "
        "newspapers to publish the letter from the Iranian president to the American president.",
    ])
    first = first_sentence(answer(client, "Which French newspaper was one of the first to publish the Iranian president's letter?"))
    assert "Le Monde" in first and len(first.split()) <= 35


def test_declines_when_no_sentence_says_what_happened(client, sections):
    publish_article(sections["politics"], "The Tour de France starts", paragraphs=[
        "The 2006 Tour de France started in Strasbourg on Saturday.",
        "Thousands of fans lined the route through Alsace.",
    ], published_at=local(2006, 7, 2))
    data = answer(client, "Who won the 2006 Tour de France?")
    assert data["answered"] is False


def test_a_name_in_the_question_must_be_a_name_in_the_story(client, sections):
    for n in range(2):  # "France" is a commoner word here than "tour": it weighs less
        publish_article(sections["politics"], f"France votes {n}", paragraphs=["Voters in France chose a parliament."])
    publish_article(sections["politics"], "Woods wins again", paragraphs=[
        "Tiger Woods won his sixth straight tour race of 2006 on Sunday in England.",
    ], published_at=local(2006, 10, 1))
    data = answer(client, "Who won the 2006 Tour de France race?")
    assert data["answered"] is False


def test_a_month_in_the_question_prefers_stories_from_around_it(client, sections):
    publish_article(sections["politics"], "Iraq votes", paragraphs=[
        "Iraq used 5,000 polling stations in its 2005 referendum.",
    ], published_at=local(2005, 5, 2))
    publish_article(sections["politics"], "Iraqis vote in constitutional referendum", paragraphs=[
        "Votes were cast at 6,000 polling stations across Iraq on October 15.",
    ], published_at=local(2005, 10, 15))
    first = first_sentence(answer(client, "How many polling stations were used in Iraq's October 2005 referendum?"))
    assert "6,000" in first


def test_an_answer_adds_what_its_story_says_around_it_and_dates_it_once(client, sections):
    publish_article(sections["politics"], "Sheehan urges Canada to take in deserters", paragraphs=[
        "Cindy Sheehan held a news conference in Ottawa on Thursday.",
        "Sheehan urged Canada to give refuge to deserters from the United States military.",
        "She said about 200 deserters from the military already live in Canada.",
    ], published_at=local(2006, 5, 5))
    data = answer(client, "In which city did Cindy Sheehan hold a news conference?")
    texts = [sentence["text"] for sentence in data["sentences"]]
    assert len(texts) >= 2 and "Ottawa" in texts[0]
    assert texts[0].startswith("As of May 2006, ") and not any(text.startswith("As of") for text in texts[1:])
    assert all(sentence["citations"] == [1] for sentence in data["sentences"])
    assert len(data["answer"].split()) < 80


def test_who_did_it_is_answered_only_by_a_sentence_that_says_it_was_done(client, sections):
    publish_article(sections["politics"], "Obama wins the second debate of the 2012 campaign",
                    dek="The polls move in the last weeks of the campaign.", paragraphs=[
        "Gary Johnson of New Mexico was also rising in the presidential election polls.",
    ], published_at=local(2012, 10, 17))
    assert answer(client, "Who won Mexico's 2012 presidential election?")["answered"] is False
