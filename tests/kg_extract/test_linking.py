"""Entity linking across a corpus (kg_extract.linking) and its place in extraction."""

import json

import pytest
from rdflib import OWL, Dataset

from kg_extract import ExtractConfig, Extractor, extract
from kg_extract.extraction import extract_corpus
from kg_extract.linking import EntityName, acronym, fold, link_entities, short_name
from kg_extract.store import OxigraphStore
from kg_extract.vocab import KG, IRIs

PERSON = frozenset({"PERSON"})
ORG = frozenset({"ORG"})
PLACE = frozenset({"GPE"})


def links(*names: EntityName) -> set[tuple[str, str, str]]:
    return {(link.variant, link.canonical, link.rule) for link in link_entities(names)}


def test_fold_ignores_case_accents_punctuation_and_a_leading_the():
    assert fold("The Sagrada Família") == fold("sagrada familia") == "sagrada familia"
    assert fold("J.R.R. Tolkien") == fold("J. R. R. Tolkien")


def test_short_names_and_acronyms_of_organisations():
    assert short_name("FC Barcelona") == "Barcelona"
    assert short_name("Apple, Inc.") == "Apple"
    assert short_name("Manchester United F.C.") == "Manchester United"
    assert short_name("Barcelona") is None
    assert acronym("Massachusetts Institute of Technology") == "MIT"
    assert acronym("Paris") == ""


def test_spelling_variants_link_to_the_accented_form():
    got = links(EntityName("Xavi Hernandez", PERSON, 3), EntityName("Xavi Hernández", PERSON, 1))
    assert got == {("Xavi Hernandez", "Xavi Hernández", "spelling")}


def test_initials_affixes_acronyms_and_surnames_link_to_the_full_name():
    got = links(
        EntityName("J. R. R. Tolkien", PERSON),
        EntityName("John Ronald Reuel Tolkien", PERSON),
        EntityName("Apple"),
        EntityName("Apple Inc.", ORG),
        EntityName("NASA", ORG),
        EntityName("National Aeronautics and Space Administration", ORG),
        EntityName("Einstein", PERSON),
        EntityName("Albert Einstein", PERSON),
    )
    assert got == {
        ("J. R. R. Tolkien", "John Ronald Reuel Tolkien", "initials"),
        ("Apple", "Apple Inc.", "affix"),
        ("NASA", "National Aeronautics and Space Administration", "acronym"),
        ("Einstein", "Albert Einstein", "surname"),
    }


def test_ambiguous_or_incompatible_short_forms_are_not_linked():
    got = links(
        EntityName("Obama", PERSON),
        EntityName("Barack Obama", PERSON),
        EntityName("Michelle Obama", PERSON),  # two people share the surname
        EntityName("Milan", PLACE),
        EntityName("AC Milan", ORG),  # a city is not a club
        EntityName("B"),
        EntityName("Serie B", PERSON),  # one letter is no surname
    )
    assert got == set()


def test_links_do_not_depend_on_the_order_of_names():
    names = [EntityName(n, PERSON) for n in ("Curie", "Marie Curie", "Marie Currie", "curie")]
    assert link_entities(names) == link_entities(reversed(names))


def mentions(extractor, text):
    (doc,) = list(extractor.extract_texts([text]))
    return [(text[m.start : m.end], m.node.key) for m in doc.facts.mentions]


def test_mentions_record_which_entity_each_name_and_pronoun_stands_for(extractor):
    got = mentions(
        extractor,
        "Lady Ada Lovelace wrote to Michael Faraday. Faraday admired her notes.",
    )
    assert ("Faraday", "Michael Faraday") in got
    assert ("her", "Ada Lovelace") in got  # the title shows her gender


@pytest.mark.parametrize(
    ("text", "mention", "entity"),
    [
        ("Xavi Hernandez was born in Terrassa. Xavi played for Al Sadd.", "Xavi", "Xavi Hernandez"),
        ("J. R. R. Tolkien wrote a book. Tolkien taught at Oxford.", "Tolkien", "J. R. R. Tolkien"),
        ("FC Barcelona won the league. Barcelona's coach was Xavi.", "Barcelona", "FC Barcelona"),
        (
            "The European Space Agency (ESA) was founded in 1975. ESA is based in Paris.",
            "ESA",
            "European Space Agency",
        ),
        ("Sir Alex Ferguson managed the club.", "Sir Alex Ferguson", "Alex Ferguson"),
    ],
)
def test_name_variants_within_a_document_are_one_node(extractor, text, mention, entity):
    (doc,) = list(extractor.extract_texts([text]))
    start = text.rindex(mention)  # the variant: the last place the text writes it
    end = start + len(mention)
    assert {m.node.key for m in doc.facts.mentions if m.start < end and m.end > start} == {entity}


def test_extract_states_links_with_their_rule_in_the_link_graph():
    dataset = extract(["Albert Einstein was born in Ulm.", "Einstein moved to Princeton."])
    iris = IRIs()
    graph = dataset.graph(iris.links())
    assert set(graph.triples((None, OWL.sameAs, None))) == {
        (iris.entity("Einstein"), OWL.sameAs, iris.entity("Albert Einstein"))
    }
    rules = {str(o) for o in graph.objects(None, KG.extractor)}
    assert rules == {"kg_extract/linking rule=surname"}


def test_linking_can_be_switched_off():
    dataset = extract(
        ["Albert Einstein was born in Ulm.", "Einstein moved to Princeton."],
        ExtractConfig(link_entities=False),
    )
    assert not list(dataset.quads((None, OWL.sameAs, None, None)))


def test_a_store_relinks_over_all_its_documents_on_each_run(tmp_path, nlp):
    (tmp_path / "a.txt").write_text("Albert Einstein was born in Ulm.\n")
    config = ExtractConfig()
    extractor = Extractor(config, nlp=nlp)
    store = OxigraphStore(tmp_path / "store")
    first = extract_corpus([str(tmp_path / "a.txt")], config, store=store, extractor=extractor)
    assert first.links == 0
    # A later run reads only the new document; the link joins it to the stored one.
    (tmp_path / "b.txt").write_text("Einstein moved to Princeton.\n")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    second = extract_corpus(paths, config, store=store, extractor=extractor)
    assert (second.unchanged, second.written, second.links) == (1, 1, 1)
    rows = store.query(f"SELECT ?a ?b WHERE {{ ?a {OWL.sameAs.n3()} ?b }}").rows
    assert [(str(a), str(b)) for a, b in rows] == [
        (str(IRIs().entity("Einstein")), str(IRIs().entity("Albert Einstein")))
    ]
    # Nothing changed: the links are not recomputed.
    assert extract_corpus(paths, config, store=store, extractor=extractor).links is None
    store.close()


def test_an_output_file_carries_its_links(tmp_path, nlp):
    (tmp_path / "c.jsonl").write_text(
        "\n".join(
            json.dumps({"id": str(i), "text": t})
            for i, t in enumerate(
                [
                    "NASA was founded in 1958.",
                    "The National Aeronautics and Space Administration launched Hubble.",
                ]
            )
        )
    )
    out = tmp_path / "kg.trig"
    config = ExtractConfig()
    summary = extract_corpus(
        [str(tmp_path / "c.jsonl")], config, out=out, extractor=Extractor(config, nlp=nlp)
    )
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert summary.links == 1
    assert len(list(dataset.quads((None, OWL.sameAs, None, None)))) == 1


def test_a_neighbourhood_takes_in_every_variant_of_a_name_as_one_node(tmp_path, nlp):
    from kg_extract.subgraph import neighbourhood

    (tmp_path / "a.txt").write_text("Albert Einstein was born in Ulm.\n")
    (tmp_path / "b.txt").write_text("Einstein moved to Princeton.\n")
    config = ExtractConfig()
    store = OxigraphStore(tmp_path / "store")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    extract_corpus(paths, config, store=store, extractor=Extractor(config, nlp=nlp))
    iris = IRIs()
    for label in ("Einstein", "Albert Einstein"):
        graph = neighbourhood(store, label, hops=1)
        objects = {o for s, p, o in graph if s == iris.entity("Albert Einstein")}
        assert {iris.entity("Ulm"), iris.entity("Princeton")} <= objects
        assert iris.entity("Einstein") not in set(graph.all_nodes())
        assert not list(graph.triples((None, OWL.sameAs, None)))
    store.close()


def test_an_object_pronoun_is_not_its_own_verbs_subject(extractor):
    got = mentions(extractor, "Marie Curie met Pierre Curie in Paris. Pierre Curie helped her.")
    assert got[-1] == ("her", "Marie Curie")


@pytest.mark.parametrize(
    "text",
    [
        "A backpack is a bag carried by a strap on your back or shoulder.",
        "Marie Curie worked in Paris. I admire her, and we visit the city.",
        "Marie Curie lived in Paris. Someone visited Warsaw.",
    ],
)
def test_first_and_second_person_and_indefinite_pronouns_stand_for_no_entity(extractor, text):
    unresolved = {"your", "i", "we", "someone"}
    (doc,) = list(extractor.extract_texts([text]))
    assert not [m for m in doc.facts.mentions if text[m.start : m.end].lower() in unresolved]
    assert "has_back" not in {f.predicate for f in doc.facts.facts}
    assert "visit" not in {f.predicate for f in doc.facts.facts}
