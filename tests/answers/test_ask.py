"""Ask: indexing, ranking, the extractive answer, access, declining, interfaces, limits, report."""

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from gaceta.answers.ask import followups
from gaceta.answers.models import AskedQuestion, AskSettings
from gaceta.search.models import Passage
from gaceta.search.retrieval import search_passages
from gaceta.articles.models import ArticlePage
from tests.conftest import local, make_member, publish_article


SHEEHAN = [
    "Cindy Sheehan, the anti-war activist, held a news conference in Ottawa on Thursday.",
    "She urged Canada to give refuge to United States military deserters who refuse to fight in Iraq.",
    "About 200 deserters are believed to be living in Canada.",
]
VOLCANO = [
    "The Popocatépetl volcano near Mexico City erupted on Tuesday, covering nearby towns in ash.",
    "Authorities closed the airport in Puebla for six hours as a precaution.",
]
SECRET = "The mayor of Tlaxcala resigned after auditors found 4,200 missing tractors."


@pytest.fixture
def everyone(db):
    """A reader who may read every story in full."""
    return make_member("everyone@example.org", paid=True)


def articles_found(words, reader) -> list[int]:
    """Articles in the order their best passage ranks."""
    return list(dict.fromkeys(hit.article_id for hit in search_passages(words, reader=reader, limit=600)))


def ask_api(client, question, **headers):
    return client.post("/api/ask", json.dumps({"question": question}), content_type="application/json", **headers)


@pytest.fixture
def archive(sections):
    return {
        "sheehan": publish_article(sections["politics"], "Cindy Sheehan urges Canada to welcome deserters",
                                   paragraphs=SHEEHAN, published_at=local(2006, 5, 5)),
        "volcano": publish_article(sections["politics"], "Volcano erupts near Mexico City",
                                   paragraphs=VOLCANO, published_at=local(2023, 4, 6)),
        "secret": publish_article(sections["business"], "Tlaxcala mayor resigns",
                                  paragraphs=["A council meeting was called on Monday.", "Officials met twice.",
                                              "Reporters waited outside.", SECRET],
                                  visibility="paid", published_at=local(2024, 2, 1)),
    }


# --- Indexing --------------------------------------------------------------------------------

@pytest.mark.slow
def test_publishing_indexes_passages_and_unpublishing_removes_them(sections, everyone):
    article = publish_article(sections["politics"], "Drought in Sonora", paragraphs=["Farmers in Sonora lost crops.", "Rain is expected."])
    texts = list(Passage.objects.filter(article=article).order_by("position").values_list("text", flat=True))
    assert texts[1:] == ["Farmers in Sonora lost crops.", "Rain is expected."]
    assert texts[0].startswith("Drought in Sonora.")
    assert [hit.article_id for hit in search_passages("Sonora farmers", reader=everyone)][:1] == [article.pk]

    article.body = [("paragraph", "<p>Ranchers in Sonora sold cattle.</p>")]
    article.save_revision().publish()
    hits = search_passages("ranchers cattle", reader=everyone)
    assert hits and hits[0].article_id == article.pk
    assert not search_passages("farmers crops", reader=everyone)

    article.unpublish()
    assert not Passage.objects.filter(article=article).exists()
    assert not search_passages("ranchers", reader=everyone)


def test_deleting_an_article_deletes_its_passages(sections, everyone):
    article = publish_article(sections["politics"], "Bridge opens", paragraphs=["A bridge opened in Oaxaca."])
    article.delete()
    assert not search_passages("Oaxaca bridge", reader=everyone)


def test_index_command_rebuilds_everything(archive, capsys, everyone):
    Passage.objects.all().delete()
    ArticlePage.objects.filter(pk=archive["volcano"].pk).update(live=False)
    call_command("index_passages", "--quiet")
    assert "Indexed" in capsys.readouterr().out
    assert search_passages("Sheehan Ottawa", reader=everyone)[0].article_id == archive["sheehan"].pk
    assert not Passage.objects.filter(article=archive["volcano"]).exists()


# --- Ranking ---------------------------------------------------------------------------------

def test_headline_and_phrase_matches_rank_first(sections, everyone):
    mention = publish_article(sections["politics"], "Congress debates budget",
                              paragraphs=["Among many items, the tax reform plan was mentioned once."])
    headline = publish_article(sections["politics"], "Tax reform plan unveiled",
                               paragraphs=["The finance ministry presented its proposal."])
    scattered = publish_article(sections["politics"], "Farm news",
                                paragraphs=["A tax on seed was cut; the reform of water rights is a plan for later."])
    order = list(dict.fromkeys(hit.article_id for hit in search_passages("tax reform plan", reader=everyone)))
    assert order[0] == headline.pk
    assert order.index(mention.pk) < order.index(scattered.pk)


def test_a_year_in_the_question_prefers_that_year_and_latest_prefers_recent(client, sections):
    old = publish_article(sections["politics"], "Peso falls", paragraphs=["The peso traded at 20 pesos per dollar on Monday."],
                          published_at=local(2016, 3, 1))
    new = publish_article(sections["politics"], "Peso falls again", paragraphs=["The peso traded at 19 pesos per dollar on Monday."],
                          published_at=timezone.now() - timedelta(days=3))
    in_2016 = ask_api(client, "At how many pesos per dollar did the peso trade in 2016?").json()
    assert in_2016["answered"] and in_2016["citations"][0]["title"] == old.title
    latest = ask_api(client, "At how many pesos per dollar does the peso trade now?").json()
    assert latest["answered"] and latest["citations"][0]["title"] == new.title


def test_common_words_rank_only_the_newest_matches_and_new_stories_are_found_at_once(sections, monkeypatch, everyone):
    from gaceta.search import retrieval

    monkeypatch.setattr(retrieval, "common_threshold", lambda: 1)  # every word counts as common
    monkeypatch.setattr(retrieval, "RANK_BUDGET", 4)
    stories = [publish_article(sections["politics"], f"Budget vote {n}", paragraphs=["The budget vote was held."])
               for n in range(6)]
    found = articles_found("budget vote", everyone)
    assert stories[-1].pk in found and stories[0].pk not in found  # only the newest were ranked
    newest = publish_article(sections["politics"], "Budget vote again", paragraphs=["Another budget vote."])
    assert newest.pk in articles_found("budget vote", everyone)


def test_the_rarest_words_choose_the_passages_and_the_others_only_rank_them(sections, monkeypatch, everyone):
    from gaceta.search import retrieval

    monkeypatch.setattr(retrieval, "RANK_BUDGET", 3)
    monkeypatch.setattr(retrieval, "MIN_TERMS", 1)
    common = [publish_article(sections["politics"], f"Calm day {n}", paragraphs=["The election was calm."])
              for n in range(2)]
    plain = publish_article(sections["politics"], "Mayor news", paragraphs=["Tlacotalpan has a new mayor."])
    both = publish_article(sections["politics"], "Vote news", paragraphs=["Tlacotalpan held its election for the town council."])
    found = articles_found("Tlacotalpan election", everyone)
    assert found[:2] == [both.pk, plain.pk]  # "election" lifts the story that has it
    assert not set(found) & {story.pk for story in common}  # but chooses nothing by itself


def test_word_counts_come_right_from_the_index_or_the_planner_statistics(sections):
    from django.core.cache import cache

    from gaceta.search import retrieval
    from gaceta.articles.bulk import refresh_planner_statistics

    for n in range(3):
        publish_article(sections["politics"], f"Market day {n}", paragraphs=["Tortilla prices rose again."])
    publish_article(sections["politics"], "Drought", paragraphs=["Farmers in Sonora lost crops."])
    refresh_planner_statistics()  # PostgreSQL now lists the common words with their shares
    cache.clear()
    assert retrieval.word_frequencies(["tortilla", "sonora", "absent"]) == {"tortilla": 3, "sonora": 1, "absent": 0}


# --- The extractive answer ----------------------------------------------------------------------

def test_answer_is_cited_dated_and_within_limits(client, archive):
    response = ask_api(client, "In which city did Cindy Sheehan hold a news conference?")
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    data = response.json()
    assert data["answered"] is True
    first = data["sentences"][0]["text"]
    assert "Ottawa" in first and len(first.split()) <= 35
    assert first.startswith("As of May 2006, ")  # an old source says how old it is
    assert len(data["answer"].split()) < 80
    assert all(sentence["citations"] for sentence in data["sentences"])
    citation = data["citations"][0]
    assert citation == {
        "n": 1, "title": archive["sheehan"].title, "url": f"http://testserver{archive['sheehan'].url}",
        "published": "2006-05-05", "section": "Politics", "quote": citation["quote"],
    }
    assert citation["quote"] in " ".join(SHEEHAN)  # the article's own words
    assert data["answer"].startswith(first) and "[1]" in data["answer"]


def test_a_recent_source_gets_no_age_prefix(client, sections):
    publish_article(sections["politics"], "Metro line opens", paragraphs=["Line 12 of the Mexico City metro reopened on Sunday after repairs."],
                    published_at=timezone.now() - timedelta(days=2))
    data = ask_api(client, "What reopened in Mexico City on Sunday after repairs?").json()
    assert data["answered"] and data["sentences"][0]["text"].startswith("Line 12")


def test_declines_when_the_archive_does_not_say(client, archive):
    data = ask_api(client, "Who won the 2010 FIFA World Cup final in Johannesburg?").json()
    assert data["answered"] is False and data["sentences"] == [] and data["citations"] == []
    assert "doesn't" in data["answer"]


def test_declines_when_the_story_is_there_but_not_the_detail(client, archive):
    data = ask_api(client, "How many votes did Cindy Sheehan receive in Ottawa?").json()
    assert data["answered"] is False
    assert data["related"][0]["title"] == archive["sheehan"].title  # the closest story, listed


def test_questions_are_recorded_without_personal_data(client, archive):
    ask_api(client, "Where did the Popocatépetl volcano erupt?", REMOTE_ADDR="203.0.113.9")
    asked = AskedQuestion.objects.get()
    assert asked.question == "Where did the Popocatépetl volcano erupt?" and asked.answered
    assert list(asked.cited_articles.values_list("pk", flat=True)) == [archive["volcano"].pk]
    stored = json.dumps([str(value) for value in AskedQuestion.objects.values().get().values()])
    assert "203.0.113.9" not in stored and asked.reader_tier == "anonymous"


# --- Access ----------------------------------------------------------------------------------

def test_paid_text_never_reaches_readers_who_may_not_read_it(client, archive):
    question = "How many tractors were missing when the mayor of Tlaxcala resigned?"
    for reader in (None, make_member("free@example.org")):
        if reader:
            client.force_login(reader)
        raw = ask_api(client, question).content.decode()
        page = client.get("/ask/", {"q": question}).content.decode()
        stream = b"".join(client.get("/ask/stream", {"q": question}).streaming_content).decode()
        for body in (raw, page, stream):
            assert "4,200" not in body
            assert "auditors" not in body
        data = json.loads(raw)
        assert data["answered"] is False
        locked = [story for story in data["related"] if story["title"] == "Tlaxcala mayor resigns"]
        assert locked and locked[0]["locked"] is True
        assert "one for subscribers may" in page  # the reader learns where the answer may be
        search = client.get("/search/", {"q": "tractors auditors"}).content.decode()
        assert "Tlaxcala mayor resigns" not in search

    client.force_login(make_member("paid@example.org", paid=True))
    data = ask_api(client, question).json()
    assert data["answered"] and "4,200" in data["sentences"][0]["text"]
    assert "Tlaxcala mayor resigns" in client.get("/search/", {"q": "tractors auditors"}).content.decode()


# --- Interfaces ------------------------------------------------------------------------------

def test_ask_page_works_without_javascript_and_box_is_on_every_page(client, archive):
    front = client.get("/").content.decode()
    assert 'action="/ask/"' in front and 'name="q"' in front
    assert "csrftoken" not in client.cookies  # the box keeps anonymous pages cacheable
    page = client.get("/ask/", {"q": "Where did Cindy Sheehan hold a news conference?"})
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Ottawa" in html and 'href="#source-1"' in html and archive["sheehan"].title in html
    assert "Was this answer helpful?" in html
    empty = client.get("/ask/")
    assert empty.status_code == 200 and "ask-answer" not in empty.content.decode()


def test_a_question_too_long_is_refused_and_shown_again_to_shorten(client, archive):
    question = "Where did Cindy Sheehan hold a news conference about the war and its deserters? " * 4
    page = client.get("/ask/", {"q": question})
    html = page.content.decode()
    assert page.status_code == 400 and "no-store" in page["Cache-Control"]
    assert "Questions can be at most 300 characters." in html and "ask-answer" not in html
    assert f'value="{question.strip()}"' in html  # the whole question, not the first 300 characters
    assert not AskedQuestion.objects.exists()


def test_stream_sends_sources_first_then_sentences_then_done(client, archive):
    response = client.get("/ask/stream", {"q": "Where did Cindy Sheehan hold a news conference?"})
    assert response["Content-Type"] == "text/event-stream"
    events = [chunk.decode() for chunk in response.streaming_content]
    names = [event.split("\n", 1)[0].removeprefix("event: ") for event in events]
    assert names[0] == "sources" and names[-1] == "done" and "sentence" in names
    sources = json.loads(events[0].split("data: ", 1)[1])
    assert sources["citations"][0]["title"] == archive["sheehan"].title
    assert "vote_token" in json.loads(events[-1].split("data: ", 1)[1])


def test_followups_are_suggested(client, archive):
    data = ask_api(client, "When did the volcano near Mexico City erupt?").json()
    assert data["answered"]
    assert any("Popocatépetl" in followup or "Puebla" in followup for followup in data["followups"])


def test_followups_name_a_body_as_the_story_does():
    quote = "Students at Berkeley said the Pentagon spied on them, the New York Times has reported."
    answer = SimpleNamespace(sentences=[SimpleNamespace(quote=quote)])
    assert followups(SimpleNamespace(question_words=["spied"]), answer) == [
        "What else has the archive reported about Berkeley?",
        "What else has the archive reported about the Pentagon?",
        "What else has the archive reported about the New York Times?",
    ]


def test_votes_count_once_per_answer(client, archive):
    token = ask_api(client, "Where did Cindy Sheehan hold a news conference?").json()["vote_token"]
    assert client.post("/ask/vote", {"token": token, "helpful": "yes"}, HTTP_ACCEPT="application/json").status_code == 204
    assert client.post("/ask/vote", {"token": token, "helpful": "no"}, HTTP_ACCEPT="application/json").status_code == 400
    assert client.post("/ask/vote", {"token": "forged", "helpful": "no"}, HTTP_ACCEPT="application/json").status_code == 400
    asked = AskedQuestion.objects.get()
    assert (asked.helpful_votes, asked.unhelpful_votes) == (1, 0)


# --- Rate limits -----------------------------------------------------------------------------

def test_rate_limits_per_address_with_retry_after(client, archive, settings):
    settings.GACETA_ASK_RATES = {"anonymous": "2/h", "free": "5/h", "paid": "10/h"}
    assert ask_api(client, "Volcano?").status_code == 200
    assert client.get("/ask/", {"q": "Volcano?"}).status_code == 200
    limited = ask_api(client, "Volcano?")
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    assert client.get("/ask/", {"q": "Volcano?"}).status_code == 429
    # Another address has its own allowance.
    assert ask_api(client, "Volcano?", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_paid_members_get_more_and_staff_can_override(client, archive, settings, monkeypatch):
    from gaceta.core import ratelimit

    # The limits count in fixed windows: a clock that stands still keeps the four questions in
    # one window (a real one could cross a minute's end between the third and the fourth).
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    settings.GACETA_ASK_RATES = {"anonymous": "1/h", "free": "1/h", "paid": "3/h"}
    client.force_login(make_member("paid@example.org", paid=True))
    assert [ask_api(client, "Volcano?").status_code for _ in range(4)] == [200, 200, 200, 429]
    client.logout()
    overrides = AskSettings.load()
    overrides.rate_anonymous = "3/m"
    overrides.save()
    assert [ask_api(client, "Volcano?").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_rate_setting_is_validated(db):
    settings_row = AskSettings(rate_anonymous="lots")
    with pytest.raises(Exception, match="questions per period"):
        settings_row.full_clean()


# --- For editors -----------------------------------------------------------------------------

def test_editors_see_questions_per_week_and_unanswered(client, archive, admin_user):
    ask_api(client, "Where did Cindy Sheehan hold a news conference?")
    ask_api(client, "Who won the 2010 FIFA World Cup final in Johannesburg?")
    ask_api(client, "Who won the 2010 FIFA World Cup final in Johannesburg?", REMOTE_ADDR="198.51.100.4")  # another reader
    client.force_login(admin_user)
    html = client.get("/admin/asked-questions/").content.decode()
    assert "Questions per week" in html and "Most asked, not answered" in html
    assert "Who won the 2010 FIFA World Cup final in Johannesburg? <span class=\"w-text-grey-400\">(2×)" in html
    assert "<td>3</td><td>2</td>" in html  # this week: 3 asked, 2 unanswered
    assert client.get("/admin/asked-questions/?answered=false").status_code == 200


def test_the_report_s_title_and_menu_use_one_name(client, db, admin_user):
    client.force_login(admin_user)
    html = client.get("/admin/asked-questions/").content.decode()
    assert "<title>Asked questions" in html and '"label": "Asked questions"' in html.replace("&quot;", '"')
    assert "Reader questions" not in html


# --- With a language model ---------------------------------------------------------------------

def test_model_answer_is_used_when_its_sentences_hold(client, archive, model):
    model.reply = "Cindy Sheehan held a news conference in Ottawa on Thursday [1]. She urged Canada to give refuge to deserters [1]."
    data = ask_api(client, "Where did Cindy Sheehan hold a news conference?").json()
    assert data["answered"]
    assert [s["text"] for s in data["sentences"]] == [
        "Cindy Sheehan held a news conference in Ottawa on Thursday.", "She urged Canada to give refuge to deserters."]
    assert data["citations"][0]["title"] == archive["sheehan"].title
    assert data["citations"][0]["quote"] in " ".join(SHEEHAN)
    # The model was given the retrieved passages and nothing the reader may not read.
    assert "Ottawa" in model.prompt and "4,200" not in model.prompt


def test_the_model_reads_the_same_whole_stories_as_the_extractive_reader(client, sections, model):
    """A paragraph that shares no word with the question is in the story all the same."""
    story = publish_article(sections["politics"], "Sonora farmers count losses",
                            paragraphs=["Farmers in Sonora lost their wheat to the drought.",
                                        "The harvest was the smallest since 1994, the state said."],
                            published_at=local(2024, 5, 1))
    model.reply = "The harvest was the smallest since 1994 [1]."
    data = ask_api(client, "What did Sonora farmers lose to the drought?").json()
    assert "smallest since 1994" in model.prompt and f"[1] {story.title}" in model.prompt
    assert data["answered"] and data["citations"][0]["title"] == story.title


def test_model_sentences_that_do_not_hold_fall_back_to_extracts(client, archive, model):
    model.reply = "Cindy Sheehan held a news conference in Toronto with 5,000 deserters [1]."
    data = ask_api(client, "Where did Cindy Sheehan hold a news conference?").json()
    assert data["answered"] and "Toronto" not in data["answer"]
    assert data["sentences"][0]["text"].startswith("As of May 2006, ")  # the extractive answer


def test_model_that_is_down_leaves_the_extractive_answer(client, archive, model):
    model.status = 500
    data = ask_api(client, "Where did Cindy Sheehan hold a news conference?").json()
    assert data["answered"] and "Ottawa" in data["sentences"][0]["text"]


def test_paid_text_is_never_sent_to_the_model_for_other_readers(client, sections, archive, model):
    publish_article(sections["politics"], "Tlaxcala council meets",
                    paragraphs=["The council of Tlaxcala met after the mayor resigned over missing tractors."])
    model.reply = "NOT IN ARCHIVE"
    ask_api(client, "How many tractors were missing when the mayor of Tlaxcala resigned?")
    assert "council of Tlaxcala met" in model.prompt  # what the reader may read is sent
    assert "4,200" not in model.prompt and "auditors" not in model.prompt


def test_stream_shows_sources_first_then_model_sentences_or_replaces_them(client, archive, model):
    def events(question):
        response = client.get("/ask/stream", {"q": question})
        return [(chunk.decode().split("\n", 1)[0].removeprefix("event: "),
                 json.loads(chunk.decode().split("data: ", 1)[1])) for chunk in response.streaming_content]

    model.reply = "Cindy Sheehan held a news conference in Ottawa on Thursday [1]."
    stream = events("Where did Cindy Sheehan hold a news conference?")
    assert [name for name, _ in stream] == ["sources", "sentence", "done"]
    assert stream[0][1]["citations"][0]["title"] == archive["sheehan"].title
    assert stream[1][1] == {"text": "Cindy Sheehan held a news conference in Ottawa on Thursday.", "citations": [1]}

    model.reply = "Cindy Sheehan met the Pope in Rome [1]."
    stream = events("Where did Cindy Sheehan hold a news conference?")
    assert [name for name, _ in stream] == ["sources", "replace", "done"]
    assert "Ottawa" in stream[1][1]["sentences"][0]["text"]


def test_a_reload_is_not_a_new_question_in_the_report(client, archive):
    """One question per reader and day: the page reloaded, or asked again through the API, is
    counted once and keeps its vote ticket; another reader, or the next day, counts anew."""
    import time_machine

    question = "Where did the Popocatépetl volcano erupt?"
    first = client.get("/ask/", {"q": question}, REMOTE_ADDR="203.0.113.9")
    again = client.get("/ask/", {"q": f"  {question.lower()} "}, REMOTE_ADDR="203.0.113.9")
    api = ask_api(client, question, REMOTE_ADDR="203.0.113.9")
    from django.core import signing

    from gaceta.answers.services import VOTE_SALT

    tickets = [first.context["vote_token"], again.context["vote_token"], api.json()["vote_token"]]
    # Signed with the time: the same answer's tickets differ from one second to the next.
    assert {signing.loads(ticket, salt=VOTE_SALT) for ticket in tickets} == {AskedQuestion.objects.get().pk}
    assert AskedQuestion.objects.count() == 1
    client.get("/ask/", {"q": question}, REMOTE_ADDR="198.51.100.4")
    assert AskedQuestion.objects.count() == 2
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.get("/ask/", {"q": question}, REMOTE_ADDR="203.0.113.9")
    assert AskedQuestion.objects.count() == 3


@pytest.mark.slow
def test_the_box_s_example_question_is_answered_from_the_demo_archive(client, db):
    """The example under the Ask box (the demo sets it in Ask's settings), asked as it is written
    (curly apostrophe and all) of the whole demo newsroom, by a reader without an account."""
    import re
    from html import unescape

    from django.core.cache import cache

    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    cache.clear()
    example = unescape(re.search(r'For example: <a href="/ask/\?q=[^"]+">([^<]+)</a>', client.get("/ask/").text)[1])
    answer = ask_api(client, example).json()
    assert answer["answered"] and answer["citations"], (example, answer)


@pytest.mark.django_db
def test_staff_choose_the_example_question_and_a_reader_s_visit_writes_no_settings(client):
    from gaceta.answers.models import AskSettings

    page = client.get("/ask/").text
    assert "For example" not in page and not AskSettings.objects.exists()  # none until staff pick one
    assert 'id="ask-box-q"' not in page and page.count('name="q"') == 2  # its own box and the search, not the footer's
    AskSettings.objects.create(example_question="Who won the 2006 World Cup?")
    page = client.get("/ask/").text
    assert 'For example: <a href="/ask/?q=Who%20won%20the%202006%20World%20Cup%3F">Who won the 2006 World Cup?</a>' in page
    assert "For example" not in client.get("/ask/", {"q": "Who won?"}).text
