import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from gaceta.core.text import split_sentences, summarise
from gaceta.demo.text import place_tags
from gaceta.search.text import content_stems, fold
from gaceta.demo.wikinews import WikinewsArticle, clean_body, clean_opening, clean_paragraph


def test_sentences_keep_abbreviations_whole():
    text = "The U.S. House voted on Nov. 24 with Gen. Smith present. It passed. Mr. Ruiz left."
    assert split_sentences(text) == [
        "The U.S. House voted on Nov. 24 with Gen. Smith present.",
        "It passed.",
        "Mr. Ruiz left.",
    ]


def test_summary_is_the_first_sentence_cut_at_a_word():
    assert summarise("Short one. Another.") == "Short one."
    long = "word " * 100
    cut = summarise(long, limit=50)
    assert len(cut) <= 50 and cut.endswith("…") and not cut.endswith(" …")


def test_place_tags_know_new_mexico_is_not_mexico():
    assert place_tags("Flight diverted to New Mexico") == []
    assert place_tags("Oil spill in the Gulf of Mexico") == []
    assert place_tags("Mexico and the U.S. sign a deal") == ["Mexico", "United States"]


def test_wiki_leftovers_are_removed_from_the_opening():
    assert clean_opening("__NOTOC__ The centrist party won.") == ("", "The centrist party won.")
    assert clean_opening("OntarioProvincialElection2007 Brian Jackson is running.") == ("", "Brian Jackson is running.")
    assert clean_opening("Indonesia The three militants were executed.") == ("Indonesia", "The three militants were executed.")
    assert clean_opening(", a limousine outside.]] The US Secret Service said.") == ("", "The US Secret Service said.")
    assert clean_paragraph("rwanda infobox More than half of the convoy.") == "More than half of the convoy."
    # A sentence that merely starts with a capitalised run is left alone.
    assert clean_opening("Results are coming in for the election.") == ("", "Results are coming in for the election.")


def test_tables_are_dropped_and_spaces_folded():
    topic, paragraphs = clean_body("Iraq The vote  was held.\n\n{| class=wikitable\n\nSecond   paragraph.")
    assert topic == "Iraq"
    assert paragraphs == ["The vote was held.", "Second paragraph."]


def test_tables_flattened_into_a_paragraph_are_removed():
    _, paragraphs = clean_body("Leaders joined the parade. {| border=2 |- | Berlin | 200,000 |} Police counted 1.9 million.")
    assert paragraphs == ["Leaders joined the parade. Police counted 1.9 million."]


def test_link_and_spacing_leftovers_are_removed_anywhere():
    assert clean_paragraph("about [http://mst.org.br/a.htm 632 camps] in Brazil [http://x.org/b].") == "about 632 camps in Brazil ."
    assert clean_paragraph("Israel 's nuclear plans, the Denver -based miner") == "Israel's nuclear plans, the Denver-based miner"
    assert clean_paragraph("Australia n and Iraq i troops, Japan ese and Iran ian leaders") == (
        "Australian and Iraqi troops, Japanese and Iranian leaders"
    )
    assert clean_paragraph("an envoy to the,, and governments") == "an envoy to the, and governments"
    assert clean_paragraph("Unconfirmed reports. 2005 London bombing infobox Police said.") == "Unconfirmed reports. Police said."
    assert clean_paragraph("The Prawo i Sprawiedliwość party") == "The Prawo i Sprawiedliwość party"  # Polish "and"


def test_a_place_label_before_the_first_sentence_is_removed():
    assert clean_opening("Brazil Hu Jintao, the President of China, had lunch.") == ("Brazil", "Hu Jintao, the President of China, had lunch.")
    assert clean_opening("Canada Canadian troops left.") == ("Canada", "Canadian troops left.")
    # An office after the place belongs to the sentence.
    assert clean_opening("United States President George W. Bush spoke.") == ("", "United States President George W. Bush spoke.")
    assert clean_opening("UK Home Secretary John Reid spoke.") == ("", "UK Home Secretary John Reid spoke.")


def test_layout_templates_are_not_paragraphs():
    _, paragraphs = clean_body("The vote was held.\n\nClear")
    assert paragraphs == ["The vote was held."]


def test_the_body_leaves_out_the_sentence_the_summary_gives():
    story = WikinewsArticle(ref="w-1", title="Vote held", published=date(2006, 1, 1), url="", section="",
                            paragraphs=["Voters went to the polls. Turnout was high.", "Results on Wednesday."], topic="", tags=[])
    assert story.summary == "Voters went to the polls."
    assert story.body_after_summary() == ["Turnout was high.", "Results on Wednesday."]
    alone = WikinewsArticle(ref="w-2", title="Peso falls", published=date(2006, 1, 1), url="", section="",
                            paragraphs=["The peso fell 5% on Friday."], topic="", tags=[])
    assert alone.body_after_summary() == ["The peso fell 5% on Friday."]  # a story of one sentence keeps it


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_folding_ascii_text_by_its_fast_path_is_the_same_as_by_unicode_decomposition(text):
    decomposed = unicodedata.normalize("NFKD", text.lower())
    assert fold(text) == "".join(char for char in decomposed if not unicodedata.combining(char))


def test_folding_drops_accents_and_case():
    assert fold("Piñera en MÉXICO") == "pinera en mexico"


def test_stems_are_cached_per_text_but_each_caller_gets_its_own_list():
    first = content_stems("The councils voted on Monday")
    first.append("changed")
    assert content_stems("The councils voted on Monday") == ["council", "vote", "monday"]
