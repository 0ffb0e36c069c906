"""Numbers, dates and quantities become typed literals on a property named from the text."""

from __future__ import annotations

import pytest
import rdflib

from kg_extract import ExtractConfig, Extractor
from kg_extract.values import date, number
from kg_extract.vocab import KG


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2,776.0", ("2776.0", "decimal")), ("27,400", ("27400", "integer")), ("12a", None)],
)
def test_numbers_lose_their_thousands_separators(text, expected):
    assert number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("October 13, 1964", ("1964-10-13", "date")),
        ("13 October 1964", ("1964-10-13", "date")),
        ("November 18th, 1923", ("1923-11-18", "date")),
        ("1964", ("1964", "gYear")),
        ("June 2009", ("2009-06", "gYearMonth")),
        ("last week", None),
    ],
)
def test_dates_are_written_in_iso_form(text, expected):
    assert date(text) == expected


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ExtractConfig())


def facts(extractor: Extractor, text: str) -> set[tuple[str, str, str, str | None]]:
    (doc,) = extractor.extract_texts([text])
    return {
        (f.subject.label or f.subject.key, f.predicate, f.object.key, f.object.entity_type)
        for f in doc.facts.facts
        if f.predicate != "type"
    }


def test_a_stated_value_is_a_typed_property_not_a_have_edge(extractor):
    found = facts(extractor, "Aarhus Airport has a runway length of 2,776.0 metres.")
    assert found == {("Aarhus Airport", "runway_length", "2776.0", "decimal")}


def test_a_count_names_its_property(extractor):
    found = facts(extractor, "The University of Burgundy has 27,400 students.")
    assert ("University of Burgundy", "number_of_students", "27400", "integer") in found


@pytest.mark.parametrize(
    "text",
    ["The leader of Aarhus is Jacob Bundsgaard.", "Aarhus's leader is Jacob Bundsgaard."],
)
def test_the_noun_of_an_entity_is_its_property(extractor, text):
    assert ("Aarhus", "leader", "Jacob Bundsgaard", "PERSON") in facts(extractor, text)


def test_a_place_named_with_its_state_is_one_node_and_a_country_after_it_is_read(extractor):
    found = facts(extractor, "Amarillo, Texas is located in Potter County, United States.")
    assert ("Amarillo, Texas", "located_in", "Potter County", "GPE") in found
    assert ("Amarillo, Texas", "located_in", "United States", "GPE") in found
    assert not any(s == "Texas" for s, *_ in found)


def test_typed_literals_reach_rdf_with_their_datatype(extractor):
    (doc,) = extractor.extract_texts(["Alan Shepard was born on November 18th, 1923."])
    graph = extractor.fact_graph(doc)
    assert rdflib.Literal("1923-11-18", datatype=rdflib.XSD.date) in set(graph.objects())


@pytest.mark.parametrize(
    ("text", "prop", "value", "unit"),
    [
        ("1099 Figneria has a mass of 2.7kg.", "mass", "2.7", "kilograms"),
        ("101 Helena has a mass of 3.0 kgs.", "mass", "3.0", "kilograms"),
        ("The escape velocity of 1089 Tama is 0.0068 km/sec.", "escape_velocity", "0.0068",
         "kilometres per second"),
        ("The comet has an average speed of 16.86 km per sec.", "average_speed", "16.86",
         "kilometres per second"),
        ("The population density of Ann Arbor is 1580.7 inhabitants per sq km.",
         "population_density", "1580.7", "inhabitants per square kilometre"),
        # a rate is any form of one unit "per" (or "/") any form of the other
        ("The alloy has a density of 7.9 gram per cubic centimeters.", "density", "7.9",
         "grams per cubic centimetre"),
        ("The probe has an escape velocity of 11.2 km per secs.", "escape_velocity", "11.2",
         "kilometres per second"),
        ("The temperature of 1036 Ganymed is 160 kelvins.", "temperature", "160", "kelvins"),
        ("The ship is 253260.0 millimetres in length.", "length", "253260.0", "millimetres"),
        ("Brad Jones is 1.905 m tall.", "height", "1.905", "metres"),
        ("The University of Burgundy has 27,400 students.", "number_of_students", "27400",
         None),
    ],
)  # fmt: skip
def test_a_measure_keeps_its_unit_by_its_canonical_name(extractor, text, prop, value, unit):
    (doc,) = extractor.extract_texts([text])
    found = {
        (f.predicate, f.object.key, f.object.unit)
        for f in doc.facts.facts
        if f.object.kind == "literal"
    }
    assert (prop, value, unit) in found


def test_a_unit_reaches_rdf_on_the_evidence_of_its_fact(extractor):
    (doc,) = extractor.extract_texts(["The mass of 1099 Figneria is 2.7 kg."])
    graph = rdflib.Graph()
    for s, p, o, _ in extractor.quads(doc):
        graph.add((s, p, o))
    value = rdflib.Literal("2.7", datatype=rdflib.XSD.decimal)
    (evidence,) = graph.subjects(KG.object, value)
    assert set(graph.objects(evidence, KG.unit)) == {rdflib.Literal("kilograms")}
    assert not set(graph.subjects(KG.unit, None)) - {evidence}  # no other fact has a unit


def test_a_unit_survives_the_trip_from_a_worker_process():
    from kg_extract.extraction import _SegmentFacts
    from kg_extract.facts import Fact, Node

    value = Node("literal", "2.7", label="2.7 kg", entity_type="decimal", unit="kilograms")
    fact = Fact(Node("entity", "Figneria"), "mass", value, 0, 0, 10, "property-of")
    segment = _SegmentFacts([(0, 10)], [fact], 0, [], [])
    (back,) = _SegmentFacts.from_plain(segment.to_plain()).facts
    assert back.object.unit == "kilograms"
    assert back == fact


def test_money_has_no_unit(extractor):
    # "m" after a number is metres, but "$5 m" is money
    (doc,) = extractor.extract_texts(["The fund raised $5 m last year."])
    units = {f.object.unit for f in doc.facts.facts if f.object.kind == "literal"}
    assert units == {None}


def test_a_surname_alone_is_the_person_named_in_full_earlier(extractor):
    (doc,) = extractor.extract_texts(
        ["Rosalind Franklin was born in London. Franklin studied at Cambridge."]
    )
    subjects = {f.subject.key for f in doc.facts.facts if f.predicate != "type"}
    assert subjects == {"Rosalind Franklin"}


def test_superscript_digits_do_not_stop_extraction_or_become_values(extractor):
    # "0²".isdigit() is true, but it is no number int() can read.
    (doc,) = extractor.extract_texts(["0² circles and 12³ squares."])
    assert all(f.object.key not in ("0²", "12³") for f in doc.facts.facts)


@pytest.mark.parametrize(
    "text", ["My sister's husband is a doctor.", "The capital of France is a beautiful city."]
)
def test_an_indefinite_noun_after_is_a_class_not_a_property_value(extractor, text):
    assert facts(extractor, text) == set()  # only its type facts: husband type doctor


def test_the_man_in_the_car_is_not_the_cars_property(extractor):
    assert not any(p == "man" for _, p, _, _ in facts(extractor, "The man in the car is John."))


@pytest.mark.parametrize(
    ("text", "subject", "prop"),
    [
        ("The population of Paris is about 2.1 million.", "Paris", "population"),
        ("Brazil has a population of 2,100,000 people.", "Brazil", "population"),
    ],
)
def test_scale_words_and_counted_nouns_give_the_number(extractor, text, subject, prop):
    assert (subject, prop, "2100000", "integer") in facts(extractor, text)


def test_a_place_named_with_its_state_as_the_subject_is_the_place(extractor):
    found = facts(extractor, "Amarillo, Texas is part of the United States.")
    assert ("Amarillo, Texas", "part_of", "United States", "GPE") in found


def test_a_passive_verb_with_an_object_relates_the_subject_to_it(extractor):
    found = facts(extractor, "Bill Everett has been awarded the Eisner Award.")
    assert {(s, p) for s, p, *_ in found} == {("Bill Everett", "award")}
    # Not when the passive subject is inherited: the bag does not feed an animal.
    found = facts(extractor, "A nosebag is a canvas bag that is used to feed an animal.")
    assert not any(p == "feed" for _, p, _, _ in found)


@pytest.mark.parametrize(
    "text", ["The language spoken in Greece is Greek.", "Greek is the language spoken in Greece."]
)
def test_a_named_adjective_or_a_participle_owner_gives_a_property(extractor, text):
    assert ("Greece", "language", "Greek", "NORP") in facts(extractor, text)


def test_a_capitalised_first_word_tagged_a_common_noun_stays_in_the_name(extractor):
    found = facts(extractor, "Alfons Gorbach was born in the state of Tyrol in Austria.")
    assert ("Alfons Gorbach", "born_in", "Tyrol", "ORG") in found
    found = facts(extractor, "Auburn, Alabama is located in the United States.")
    assert ("Auburn, Alabama", "located_in", "United States", "GPE") in found
    found = facts(extractor, "107 Camilla was discovered by F. Vilas.")
    assert ("F. Vilas", "discovered", "107 Camilla", "ORG") in found  # the number parsed apart


@pytest.mark.parametrize(
    ("text", "owner", "values"),
    [
        ("Bhajji comes from India where the leader is Sumitra Mahajan.", "India", 1),
        (
            "Bhajji comes from India, where two of the leaders are Narendra Modi and T.S. Thakur.",
            "India",
            2,
        ),
    ],
)
def test_a_where_clause_names_the_place_before_it_as_owner(extractor, text, owner, values):
    leaders = {(s, o) for s, p, o, _ in facts(extractor, text) if p == "leader"}
    assert len(leaders) == values and {s for s, _ in leaders} == {owner}


def test_a_relation_noun_after_is_is_no_property_value(extractor):
    found = facts(extractor, "The city of Albany is part of Linn County.")
    assert ("Albany", "part_of", "Linn County", "GPE") in found
    assert not any(p == "city" for _, p, _, _ in found)


def test_a_possessive_pronoun_names_the_owner_of_a_property(extractor):
    found = facts(
        extractor, "Aleksandr Prudnikov was born in Smolensk and his club is FC Spartak Moscow."
    )
    assert ("Aleksandr Prudnikov", "club", "FC Spartak Moscow") in {f[:3] for f in found}


def test_a_name_in_a_named_place_is_located_there(extractor):
    found = facts(extractor, "3Arena in Dublin is owned by Live Nation Entertainment.")
    assert ("3Arena", "located_in", "Dublin", "GPE") in found
    assert not any(
        p == "located_in" for _, p, _, _ in facts(extractor, "The man in the car is John.")
    )


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        # A date without its preposition reads as "on".
        ("Ace Wilder was born July 23, 1982.", ("Ace Wilder", "born_on", "1982-07-23", "date")),
        # The noun "in" a named place is its property; a superlative is part of the name.
        ("The largest city in Bavaria is Munich.", ("Bavaria", "largest_city", "Munich", "GPE")),
        # A place written with its province is one node.
        (
            "Drew Caldwell is the leader of Brandon, Manitoba.",
            ("Drew Caldwell", "leader_of", "Brandon, Manitoba", "GPE"),
        ),
        # A name keeps its first reading in a sentence (not re-read as a surname).
        (
            "Asunción is a part of Gran Asunción.",
            ("Asunción", "part_of", "Gran Asunción", "PERSON"),
        ),
    ],
)
def test_sentence_shapes_read_as_the_fact_they_state(extractor, text, fact):
    assert fact in facts(extractor, text)


@pytest.mark.parametrize(
    ("text", "found", "place"),
    [
        ("Batchoy comes from the Philippines, where you can find Manila.", "Manila", "Philippines"),
        ("In Romania we can find the Palace of the Parliament.", "Palace", "Romania"),
    ],
)
def test_what_the_reader_can_find_somewhere_is_located_there(extractor, text, found, place):
    located = {(s, o) for s, p, o, _ in facts(extractor, text) if p == "located_in"}
    assert any(found in s and place in o for s, o in located), located


@pytest.mark.parametrize(
    "text",
    ["Nobody can find Atlantis in Greece.", "No explorer has found Atlantis in Greece."],
)
def test_a_denying_subject_asserts_nothing(extractor, text):
    assert not facts(extractor, text)
