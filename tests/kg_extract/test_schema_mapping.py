"""Schema mappings: kg2img predicates renamed into a user's vocabulary, with direction."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_extract.facts import Fact, Node
from kg_extract.schema_mapping import MappingError, SchemaMapping

DBO = "http://dbpedia.org/ontology/"


def fact(subject: Node, predicate: str, obj: Node) -> Fact:
    return Fact(subject, predicate, obj, 0, 0, 10, "test")


def test_shipped_dbpedia_mapping_renames_and_turns_role_nouns_around():
    mapping = SchemaMapping.load("dbpedia")
    jacob, aarhus = Node("entity", "Jacob"), Node("entity", "Aarhus")
    mapped = mapping.apply(fact(jacob, "leader_of", aarhus))
    assert (mapped.subject, mapped.predicate, mapped.object) == (aarhus, DBO + "leader", jacob)
    born = mapping.apply(fact(jacob, "born_in", aarhus))
    assert (born.subject, born.predicate) == (jacob, DBO + "birthPlace")


def test_unmapped_predicates_and_literal_objects_of_inverse_entries_are_kept():
    mapping = SchemaMapping.from_dict(
        {
            "namespace": "https://schema.org/",
            "predicates": {"own": {"property": "owns", "inverse": True}},
        }
    )
    a, year = Node("entity", "A"), Node("literal", "1999", entity_type="gYear")
    untouched = fact(a, "ride", Node("entity", "B"))
    assert mapping.apply(untouched) == untouched
    assert mapping.apply(fact(a, "own", year)).predicate == "own"  # a literal cannot be a subject


def test_user_mapping_file_is_read(tmp_path: Path):
    path = tmp_path / "mine.toml"
    path.write_text('namespace = "https://schema.org/"\n[predicates]\nborn_in = "birthPlace"\n')
    assert SchemaMapping.load(path).targets["born_in"].iri == "https://schema.org/birthPlace"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("namespace = 3", "namespace"),
        ('namespace = "http://x/"\n[predicates]\ntype = "a"', "cannot be mapped"),
        ('namespace = "http://x/"\n[predicates]\nborn_in = { property = "b c" }', "bad property"),
        (
            'namespace = "http://x/"\n[predicates]\nborn_in = { property = "b", inverse = 1 }',
            "inverse",
        ),
        ("namespace = [", "not TOML"),
        (
            'namespace = "http://x/"\n[predicates]\nrun = { property = "a", '
            'subject_kinds = { "two words" = "b" } }',
            "subject_kinds",
        ),
        (
            'namespace = "http://x/"\n[predicates]\nrun = { property = "a", '
            'subject_kinds = { port = "b c" } }',
            "bad property",
        ),
        ('namespace = "http://x/"\n[object_names.language]\nexcept = ["Latin"]', "suffix"),
        ('namespace = "http://x/"\n[object_names.language]\nsuffix = " l"\nkeep = 1', "suffix"),
        ('namespace = "http://x/"\n[object_names.language]\nsuffix = " l"\nexcept = "L"', "except"),
        ('namespace = "http://x/"\n[type_properties]\ncourse = "dessert"', "type_properties"),
        (
            'namespace = "http://x/"\n[type_properties]\ncourse = ["dessert", " "]',
            "type_properties",
        ),
        ('namespace = "http://x/"\n[type_properties]\n"a b" = ["dessert"]', "type_properties"),
    ],
)
def test_bad_mapping_files_fail_with_the_file_named(tmp_path: Path, text: str, problem: str):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(MappingError, match=rf"bad\.toml.*{problem}"):
        SchemaMapping.load(path)


def test_missing_mapping_names_the_shipped_ones(tmp_path: Path):
    with pytest.raises(MappingError, match="shipped: dbpedia"):
        SchemaMapping.load(tmp_path / "nope.toml")


def test_noun_properties_can_follow_the_vocabularys_camel_case():
    mapping = SchemaMapping.from_dict(
        {"namespace": DBO, "noun_properties": "camelCase", "predicates": {}}
    )
    airport, length = Node("entity", "Aarhus Airport"), Node("literal", "2776.0")
    noun = Fact(airport, "runway_length", length, 0, 0, 10, "have-of")
    verb = Fact(airport, "serve_by", length, 0, 0, 10, "verb-prep")
    assert mapping.apply(noun).predicate == DBO + "runwayLength"
    assert mapping.apply(verb).predicate == "serve_by"  # only nouns the text uses as properties
    book, isbn = Node("entity", "Dune"), Node("literal", "0-441-17271-7")
    identifier = Fact(book, "isbn_number", isbn, 0, 0, 10, "identifier")
    assert mapping.apply(identifier).predicate == DBO + "isbnNumber"
    with pytest.raises(MappingError, match="noun_properties"):
        SchemaMapping.from_dict({"namespace": DBO, "noun_properties": "snake"})


def test_a_subject_of_a_named_kind_takes_that_kinds_property():
    mapping = SchemaMapping.load("dbpedia")
    agency = Node("entity", "Nordic Space Agency")
    probe, port = Node("entity", "Vega 3"), Node("entity", "Tromso Airport", label="Tromso Airport")
    to_probe = mapping.apply(fact(agency, "operate", probe))
    assert (to_probe.subject, to_probe.predicate) == (probe, DBO + "operator")
    to_port = mapping.apply(fact(agency, "operate", port))
    assert (to_port.subject, to_port.predicate) == (port, DBO + "operatingOrganisation")


def test_one_word_objects_of_a_property_take_the_vocabularys_title():
    mapping = SchemaMapping.from_dict(
        {
            "namespace": DBO,
            "predicates": {"write_in": "language"},
            "object_names": {"language": {"suffix": " language", "except": ["Latin"]}},
        }
    )
    book = Node("entity", "Salt Roads")

    def written_in(name: str, kind: str = "entity") -> Node:
        return mapping.apply(fact(book, "write_in", Node(kind, name, label=name))).object

    assert written_in("Tagalog") == Node("entity", "Tagalog language")
    assert written_in("tagalog").label == "Tagalog language"
    assert written_in("Latin").key == "Latin"  # titled bare in the vocabulary
    assert written_in("Old Norse").key == "Old Norse"  # a name of its own
    assert written_in("Estonia").key == "Estonia"  # a country, not its language
    assert written_in("verse", kind="concept").key == "verse"
    other = mapping.apply(fact(book, "born_in", Node("entity", "Tagalog")))
    assert other.object.key == "Tagalog"  # other properties keep their objects' names


def test_a_type_whose_class_has_a_listed_word_also_states_the_vocabularys_property():
    mapping = SchemaMapping.from_dict(
        {
            "namespace": DBO,
            "type_properties": {"occupation": ["pilot"], "background": ["solo singer"]},
        }
    )
    see = Node("entity", "Elliot See")

    def stated(name: str, subject: Node = see, predicate: str = "type") -> Fact | None:
        return mapping.stated_property(fact(subject, predicate, Node("concept", name, name)))

    test_pilot = stated("test pilot")
    assert test_pilot is not None
    assert (test_pilot.subject, test_pilot.predicate) == (see, DBO + "occupation")
    assert test_pilot.object == Node("concept", "test pilot")
    assert mapping.apply(fact(see, "type", Node("concept", "test pilot"))).predicate == "type"
    pilot_cut = stated("Pilot officer")
    assert pilot_cut is not None and pilot_cut.object.key == "Pilot"  # up to the listed word
    singer = stated("famous solo singer")
    assert singer is not None and singer.predicate == DBO + "background"
    assert stated("autopilot") is None  # whole words only
    assert stated("singer") is None  # the phrase, not one of its words
    assert stated("pilot", subject=Node("instance", "0")) is None  # a scene's object
    assert stated("pilot", predicate="subclass_of") is None
    assert (
        SchemaMapping.from_dict({"namespace": DBO}).stated_property(
            fact(see, "type", Node("concept", "pilot"))
        )
        is None
    )


def test_a_relation_as_or_in_a_listed_kind_becomes_the_kinds_property():
    mapping = SchemaMapping.from_dict(
        {
            "namespace": DBO,
            "predicates": {"serve_as": "occupation"},
            "type_properties": {"course": ["dessert"], "mediaType": ["hardcover"]},
        }
    )
    bionico, shepard = Node("entity", "Bionico"), Node("entity", "Alan Shepard")
    served = mapping.apply(fact(bionico, "serve_as", Node("concept", "dessert")))
    assert (served.subject, served.predicate, served.object.key) == (
        bionico,
        DBO + "course",
        "dessert",
    )
    published = mapping.apply(fact(bionico, "publish_in", Node("concept", "hardcover")))
    assert published.predicate == DBO + "mediaType"
    # other kinds keep the verb's own entry, and other prepositions are no kind
    assert mapping.apply(fact(shepard, "serve_as", Node("concept", "pilot"))).predicate == (
        DBO + "occupation"
    )
    assert mapping.apply(fact(bionico, "eat_with", Node("concept", "dessert"))).predicate == (
        "eat_with"
    )
    # the type keeps its place; the property comes beside it
    assert mapping.stated_property(fact(bionico, "serve_as", Node("concept", "dessert"))) is None


def test_the_dbpedia_mapping_gives_a_team_played_for_formerly_as_a_former_team(facts_of):
    mapping = SchemaMapping.load("dbpedia")
    kerr, falcons = Node("entity", "Brian Kerr"), Node("entity", "Leeds Falcons")
    assert mapping.apply(fact(kerr, "formerly_plays_for", falcons)).predicate == (
        DBO + "formerTeam"
    )
    assert ("Brian Kerr", "formerly_plays_for", "Leeds Falcons") in facts_of(
        "Brian Kerr previously played for the Leeds Falcons."
    )


def test_the_dbpedia_mapping_gives_a_band_played_for_as_an_associated_band_and_a_temperature():
    mapping = SchemaMapping.load("dbpedia")
    kim, pixies = Node("entity", "Kim Deal"), Node("entity", "Pixies")
    assert mapping.apply(fact(kim, "plays_in_band", pixies)).predicate == DBO + "associatedBand"
    soup, cold = Node("entity", "Gazpacho"), Node("literal", "cold")
    assert mapping.apply(fact(soup, "serving_temperature", cold)).predicate == (
        DBO + "servingTemperature"
    )


def test_the_dbpedia_mapping_titles_languages_as_dbpedia_does():
    mapping = SchemaMapping.load("dbpedia")
    book = Node("entity", "Salt Roads")
    mapped = mapping.apply(fact(book, "write_in", Node("entity", "Portuguese")))
    assert (mapped.predicate, mapped.object.key) == (DBO + "language", "Portuguese language")
    noun = Fact(book, "language", Node("entity", "Arabic"), 0, 0, 10, "property-of")
    assert mapping.apply(noun).object.key == "Arabic"


def test_a_country_object_keeps_the_country_property_whatever_the_subjects_kind():
    mapping = SchemaMapping.from_dict(
        {
            "namespace": "https://example.org/",
            "predicates": {
                "located_in": {
                    "property": "location",
                    "country": "country",
                    "subject_kinds": {"university": "city"},
                }
            },
        }
    )
    university = Node("entity", "Aarhus University")
    city, country = Node("entity", "Aarhus"), Node("entity", "Denmark")
    assert mapping.apply(fact(university, "located_in", city)).predicate.endswith("/city")
    assert mapping.apply(fact(university, "located_in", country)).predicate.endswith("/country")
    assert mapping.apply(fact(Node("entity", "Dokk1"), "located_in", city)).predicate.endswith(
        "/location"
    )


def test_an_entry_with_only_a_country_maps_country_objects_and_keeps_the_rest():
    mapping = SchemaMapping.from_dict(
        {"namespace": "https://example.org/", "predicates": {"publish_in": {"country": "country"}}}
    )
    book, uk = Node("entity", "A Book"), Node("entity", "United Kingdom")
    year = Node("literal", "1990", entity_type="gYear")
    assert mapping.apply(fact(book, "publish_in", uk)).predicate == "https://example.org/country"
    assert mapping.apply(fact(book, "publish_in", year)).predicate == "publish_in"
    with pytest.raises(MappingError, match="needs a property"):
        SchemaMapping.from_dict(
            {
                "namespace": "https://example.org/",
                "predicates": {"publish_in": {"country": "country", "inverse": True}},
            }
        )


def test_a_year_entry_maps_a_year_object_and_keeps_dates_on_the_property():
    mapping = SchemaMapping.load("dbpedia")
    shepard = Node("entity", "Alan Shepard")
    year = Node("literal", "1923", entity_type="gYear")
    date = Node("literal", "1923-11-18", entity_type="date")
    assert mapping.apply(fact(shepard, "born_on", year)).predicate == DBO + "birthYear"
    assert mapping.apply(fact(shepard, "born_on", date)).predicate == DBO + "birthDate"
