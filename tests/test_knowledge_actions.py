"""Reading actions from speech: hand-written sentences for the extractor, negation and grouping.

Each sentence is the kind of thing interviewees say; the expected phrase is
what a reader would call the action in the speaker's words.
"""

from __future__ import annotations

import pytest

from graph.knowledge.actions import MAX_PHRASE_CHARS, best_action, is_english, read_actions, tokens
from graph.knowledge.grouping import representative, said_id


def phrases(sentence: str) -> list[str]:
    return [a.phrase for a in read_actions(sentence)]


@pytest.mark.parametrize(
    "sentence, phrase",
    [
        ("Um, most of the times we just dropped the, uh, the record.", "dropped the record"),
        ("What we did was to remove the whole record.", "remove the whole record"),
        ("We solved the issue by, uh, retraining the model every week.", "retraining the model every week"),
        ("Yeah, use fewer features.", "use fewer features"),
        ("So we switched to another API provider.", "switched to another API provider"),
        ("I'll check a sample of 50 labels by hand.", "check a sample of 50 labels by hand"),
        ("We have to rely on, uh, vectorized operations.", "rely on vectorized operations"),
        ("We moved the preprocessing into the calling application.", "moved the preprocessing into the calling application"),
        ("We should retrain every week.", "retrain every week"),
        ("It should be shipped to a service with an SLA.", "shipped to a service with an SLA"),
        ("We check whether the labels of the two annotators agree.", "check whether the labels of the two annotators agree"),
        ("So we deduplicate the records before training.", "deduplicate the records before training"),
        ("We have a script that cleans the labels.", "have a script that cleans the labels"),
        ("We use a schedule and there's a lot of layers.", "use a schedule"),
        ("I've written a parser for the logs.", "written a parser for the logs"),
    ],
)
def test_the_action_in_the_speakers_words(sentence, phrase):
    action = best_action(sentence)
    assert action is not None and action.phrase == phrase


def test_coordinated_actions_are_read_each():
    found = phrases("We'll take the same customer and manipulate a couple of variables.")
    assert found == ["take the same customer", "manipulate a couple of variables"]
    # The weak "take" does not state the practice; the coordinated verb does.
    assert best_action("We'll take the same customer and manipulate a couple of variables.").phrase.startswith("manipulate")


@pytest.mark.parametrize(
    "sentence",
    [
        "How do you clean the data?",  # a question
        "I think it is a hard problem.",  # no action
        "The data is often corrupted because people misspell things.",  # a problem, not a fix
        "That's how we address the issue.",  # names the problem, not the means
        "If you load the frame in pandas, this will take longer.",  # a condition
        "It depends on the frequency that they switch jobs.",  # an embedded clause
        "Yeah, don't worry.",
        "I was predicting whether a customer was going to leave.",  # a task, not a practice
        "I've, I have a, a lot of experience in data analysis.",  # having, not doing
        "That is the project I'm talking about with the end users.",
    ],
)
def test_no_strategy_where_none_is_said(sentence):
    assert best_action(sentence) is None


def test_a_tag_question_still_states_an_action():
    assert best_action("We use ETL tools to assess the incoming data, right?").phrase.startswith("use ETL tools")


def test_negations_are_read_and_kept_apart():
    negated = best_action("We decided not to use out-of-the-box tools for the cleaning.")
    positive = best_action("We use out-of-the-box tools for the cleaning.")
    assert negated.negated and negated.phrase.startswith("not use")
    assert not positive.negated
    assert said_id(negated.key) != said_id(positive.key)
    yet = read_actions("For that data cleaning, we have yet to use any general tools.")
    assert yet and all(a.negated for a in yet)


def test_paraphrases_share_a_key_opposites_do_not():
    keys = {said_id(best_action(s).key) for s in (
        "we just dropped the whole record", "we remove the records", "what we did was to delete the record",
    )}
    assert len(keys) == 1
    assert said_id(best_action("we added the records").key) not in keys


def test_a_group_is_named_by_its_most_representative_phrase():
    said = ["dropped the record", "drop the records", "dropped the record", "removed the whole incomplete record"]
    assert representative(said) == "dropped the record"
    assert representative(list(reversed(said))) == "dropped the record"  # order does not matter


def test_phrases_are_short_and_in_the_speakers_words():
    long = ("we created a couple of simple regressions to map the timing of the jobs of every single person "
            "in the database")
    action = best_action(long)
    assert len(action.phrase) <= MAX_PHRASE_CHARS
    assert action.phrase.startswith("created a couple of simple regressions")


def test_speech_noise_is_read_through():
    # Fillers take their commas along; stutters are said once; contractions are words.
    assert [t.low for t in tokens("we, we, we've, uh, loaded it")] == ["we", "have", "loaded", "it"]
    assert is_english(tokens("we loaded an alternate data source"))
    assert not is_english(tokens("on va les categoriser ensemble dans une table"))
