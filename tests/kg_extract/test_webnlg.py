"""The WebNLG 2020 scorer: the challenge's definition of exact/strict/partial/ent_type."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from kg_extract.facts import Fact, Node
from kg_extract.webnlg import (
    _best_pairing,
    _hungarian,
    candidate_triples,
    normalise,
    read_webnlg,
    score,
    score_pair,
    tokens,
)


def f1s(reference: str, candidate: str) -> dict[str, float]:
    return {level: round(s["f1"], 4) for level, s in score_pair(reference, candidate).items()}


def test_identical_triples_score_one_on_every_level():
    assert f1s("aarhus | leader name | jacob", "aarhus | leader name | jacob") == {
        "exact": 1.0, "strict": 1.0, "partial": 1.0, "ent_type": 1.0,
    }  # fmt: skip


def test_a_shorter_predicate_is_a_partial_match():
    # "leader" covers part of "leader name": exact/strict 2 of 3, partial half credit.
    assert f1s("aarhus | leader name | jacob", "aarhus | leader | jacob") == {
        "exact": 0.6667, "strict": 0.6667, "partial": 0.8333, "ent_type": 1.0,
    }  # fmt: skip


def test_swapped_subject_and_object_count_for_exact_but_not_strict():
    assert f1s("a | p | b", "b | p | a") == {
        "exact": 1.0, "strict": 0.3333, "partial": 1.0, "ent_type": 0.3333,
    }  # fmt: skip


def test_missing_and_extra_triples_cost_a_whole_pair():
    good = ("Aarhus", "leaderName", "Jacob")
    extra = ("Aarhus", "country", "Denmark")
    assert score([[good, extra]], [[good]])["exact"]["f1"] == 0.5
    assert score([[]], [[good]])["exact"]["f1"] == 0.0
    assert score([[good]], [[good, extra]])["exact"]["f1"] == 0.5


def test_pairing_is_found_whatever_the_candidate_order():
    refs = [("A", "p", "B"), ("C", "q", "D")]
    assert score([list(reversed(refs))], [refs])["strict"]["f1"] == 1.0


def test_normalisation_splits_camel_case_and_drops_a_trailing_parenthesis():
    assert normalise(("Alan_Shepard", "birthPlace", "New_Hampshire_(state)")) == [
        "alan shepard", "birth place", "new hampshire",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("harrietstown, new york", ["harrietstown", ",", "new", "york"]),
        ("14r/32l", ["14r/32l"]),
        ("madrid–barajas airport", ["madrid", "–", "barajas", "airport"]),
        ("don't stop.", ["do", "n't", "stop", "."]),
        ('"18r/36l"', ["``", "18r/36l", "''"]),
        ("9,833,520 km", ["9,833,520", "km"]),
    ],
)
def test_tokens_follow_the_treebank_rules(text, expected):
    assert tokens(text) == expected


def test_hungarian_pairing_finds_the_brute_force_optimum():
    rng = random.Random(3)
    for n in (2, 5, 7):
        table = [[rng.random() for _ in range(n)] for _ in range(n)]
        best = max(
            sum(table[c][r] for c, r in enumerate(order))
            for order in itertools.permutations(range(n))
        )
        order = _hungarian([[-x for x in row] for row in table])
        assert sorted(order) == list(range(n))
        assert sum(table[c][r] for c, r in enumerate(order)) == pytest.approx(best)
        assert sum(table[c][r] for c, r in enumerate(_best_pairing(table))) == pytest.approx(best)


def test_read_webnlg_pairs_each_text_with_its_triples(tmp_path: Path):
    (tmp_path / "a.xml").write_text(
        "<benchmark><entries><entry category='City' size='1'>"
        "<modifiedtripleset><mtriple>Aarhus | leaderName | Jacob_Bundsgaard</mtriple>"
        "</modifiedtripleset><lex>The leader of Aarhus is Jacob Bundsgaard.</lex>"
        "<lex>Jacob  Bundsgaard leads Aarhus.</lex></entry></entries></benchmark>",
        encoding="utf-8",
    )
    entries = read_webnlg(tmp_path)
    assert [e.text for e in entries] == [
        "The leader of Aarhus is Jacob Bundsgaard.", "Jacob Bundsgaard leads Aarhus.",
    ]  # fmt: skip
    assert entries[0].triples == (("Aarhus", "leaderName", "Jacob_Bundsgaard"),)


def test_read_webnlg_names_a_broken_file(tmp_path: Path):
    (tmp_path / "bad.xml").write_text("<benchmark><entries>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.xml"):
        read_webnlg(tmp_path)


def test_candidate_triples_write_labels_values_and_webnlgs_own_property_names():
    dbo = "http://dbpedia.org/ontology/"
    band, singer = Node("entity", "Abradab"), Node("entity", "magik", label="Magik")
    isbn = Node("literal", "0-441-17271-7", label="0-441-17271-7")
    facts = [
        Fact(band, dbo + "associatedMusicalArtist", singer, 0, 0, 5, "verb-prep"),
        Fact(band, "type", Node("concept", "band"), 0, 0, 5, "copula"),
        Fact(band, dbo + "isbnNumber", isbn, 0, 0, 5, "identifier"),
        Fact(band, dbo + "isbnNumber", isbn, 1, 6, 9, "identifier"),
        Fact(Node("instance", "0"), "left_of", band, 0, 0, 5, "scene"),
    ]
    assert candidate_triples(facts) == [
        ("Abradab", "associatedBand/associatedMusicalArtist", "Magik"),
        ("Abradab", "isbnNumber", "0-441-17271-7"),
    ]
