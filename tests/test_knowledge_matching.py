"""Normalising speech and matching the vocabularies' phrases and patterns."""

from __future__ import annotations

import pytest

from graph.knowledge.catalog import CatalogError, load_catalog
from graph.knowledge.lemmas import lemma_text
from graph.knowledge.phrases import PatternError, compile_pattern, compile_phrase, longest_matches
from graph.knowledge.textnorm import clean, stem_text, words
from graph.knowledge.transcript import INTERVIEWEE, INTERVIEWER, OTHER, speaker_role

CATEGORIES = {"data", "model quality", "evaluation", "maintenance", "platform", "deployment", "training", "other"}


def test_fillers_and_stutters_are_removed():
    text = "Uh, we try to, to provide, um, more samples. I mean the, the client's opinion, in the, in the shelf. I, I, I had"
    assert words(text) == "we try to provide more samples the client opinion in the shelf i had".split()


def test_clean_keeps_case_and_punctuation():
    assert clean("Uh, what, what we did was to remove the whole, the whole record.") == (
        "What we did was to remove the whole record."
    )


def test_stemming_joins_word_forms():
    assert compile_phrase("data augmentation").spans(stem_text("data augmenting"))
    assert compile_phrase("augment data").spans(stem_text("we augmented data"))
    assert compile_phrase("reproducibility").regex.search(stem_text("hard to reproduce"))


def test_pattern_operators():
    gap = compile_pattern("remove|drop ... record")
    assert gap.spans(stem_text("we had to remove the whole, the whole record"))
    assert not gap.spans(stem_text("remove one two three four five six record"))
    optional = compile_pattern("[the] client opinion")
    assert optional.spans(stem_text("the client's opinion")) and optional.spans(stem_text("client opinion"))
    assert not compile_phrase("net").spans(stem_text("network"))  # whole words only


@pytest.mark.parametrize("bad", ["...", "... data", "data ...", "[]", "a||", "[the] [a]"])
def test_malformed_patterns_are_rejected(bad):
    with pytest.raises(PatternError):
        compile_pattern(bad)


def test_longest_match_wins():
    vocabulary = {"cv": (compile_phrase("image"),), "vq": (compile_phrase("image quality"),)}
    assert longest_matches(vocabulary, stem_text("the image quality of the image")) == [
        ("vq", "imag qualiti"),
        ("cv", "imag"),
    ]


def test_speaker_roles():
    for speaker in ("Interviewee", "interviewee", "Interviewee1"):
        assert speaker_role(speaker) == INTERVIEWEE
    for speaker in ("Interviewer 1", "Interviewer1", "interviewer", "interviewr", "Interviewer2 2"):
        assert speaker_role(speaker) == INTERVIEWER
    assert speaker_role("Ana") == OTHER


def test_shipped_catalog_is_complete():
    catalog = load_catalog()
    assert len(catalog.strategies) >= 40
    for strategy in catalog.strategies.values():
        assert strategy.name and strategy.description and strategy.matchers
        assert set(strategy.families) <= CATEGORIES, strategy.id


@pytest.mark.parametrize(
    "speech, strategy",
    [
        ("and also to create out an data mutation in order to", "data-augmentation"),
        ("Yeah, I like mobile net.", "efficient-architecture"),
        ("we moved to MobileNet", "efficient-architecture"),
        ("we try to, to provide more samples of that condition", "collect-more-data"),
        ("we use, uh, GitHub for, uh, control versions of the code", "version-control"),
        ("what we did was to remove the whole, the whole record", "drop-incomplete-records"),
        ("we track every run in ML flow", "experiment-tracking"),
        ("we put a, a model card with it", "documentation"),
    ],
)
def test_catalog_recognises_noisy_speech(speech, strategy):
    assert strategy in {s.id for s in load_catalog().named_in(lemma_text(speech))}


@pytest.mark.parametrize(
    "speech",
    ["we found some inconsistencies", "the adjustment of the hyper parameters, that's an issue", "a lot of data"],
)
def test_catalog_stays_quiet_on_problem_talk(speech):
    assert load_catalog().named_in(lemma_text(speech)) == []


def test_user_catalog_extends_and_overrides(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "mitigations:\n"
        "  data-augmentation:\n    phrases: [synthetic jitter]\n"
        "  shadow-labelling:\n    name: shadow labelling\n    description: A second team labels blind.\n"
        "    families: [data]\n    patterns: ['second|another team ... label']\n",
        encoding="utf-8",
    )
    catalog = load_catalog(path)
    assert len(catalog.strategies) == len(load_catalog().strategies) + 1
    named = {s.id for s in catalog.named_in(lemma_text("another team labelled it, with synthetic jitter"))}
    assert named == {"shadow-labelling", "data-augmentation"}
    assert catalog.named_in(lemma_text("data mutation"))  # shipped phrases are kept


@pytest.mark.parametrize(
    "text, message",
    [
        ("mitigations: [a]", "map strategy ids"),
        ("mitigations:\n  Bad Id: {}\n", "ids are lower-case"),
        ("mitigations:\n  new-one:\n    name: x\n    description: y\n    families: [data]\n", "needs phrases"),
        ("mitigations:\n  new-one:\n    name: x\n", "missing description, families"),
        ("mitigations:\n  data-augmentation:\n    patterns: ['... x']\n", "gap must sit"),
        ("mitigations:\n  data-augmentation:\n    colour: red\n", "unknown fields"),
        ("other: 1\n", "one key"),
        ("mitigations: {a: [\n", "not valid YAML"),
    ],
)
def test_bad_user_catalogs_name_file_and_entry(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as error:
        load_catalog(path)
    assert str(path) in str(error.value)
