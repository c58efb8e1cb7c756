from gaceta.core.demo.text import place_tags, split_sentences, summarise
from gaceta.core.demo.wikinews import clean_body, clean_opening


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
    assert clean_opening("rwanda infobox More than half of the convoy.") == ("", "More than half of the convoy.")
    # A sentence that merely starts with a capitalised run is left alone.
    assert clean_opening("Results are coming in for the election.") == ("", "Results are coming in for the election.")


def test_tables_are_dropped_and_spaces_folded():
    topic, paragraphs = clean_body("Iraq The vote  was held.\n\n{| class=wikitable\n\nSecond   paragraph.")
    assert topic == "Iraq"
    assert paragraphs == ["The vote was held.", "Second paragraph."]


def test_tables_flattened_into_a_paragraph_are_removed():
    _, paragraphs = clean_body("Leaders joined the parade. {| border=2 |- | Berlin | 200,000 |} Police counted 1.9 million.")
    assert paragraphs == ["Leaders joined the parade. Police counted 1.9 million."]
