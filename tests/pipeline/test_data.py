"""Training data: extracted objects matched to annotations, graphs from annotations."""

import pytest

from kg_embed.convert import content_triples
from kg_extract.scene_graph import read_scene_graph
from pipeline.annotations import (
    AnnotatedDataset,
    AnnotatedImage,
    AnnotatedObject,
    AnnotatedRelation,
)
from pipeline.data import (
    annotation_graph,
    conditioning_graphs,
    match_objects,
    relation_vocabulary,
)
from pipeline.vocabulary import DataVocabulary


def _caption_graph(extractor, text):
    (doc,) = list(extractor.extract_texts([text]))
    return extractor.fact_graph(doc)


def _object(category, cx, cy, names=(), **attributes):
    box = (cx - 0.05, cy - 0.05, cx + 0.05, cy + 0.05)
    return AnnotatedObject(category, box, tuple(sorted(attributes.items())), tuple(names))


def _match(extractor, text, record):
    graph = _caption_graph(extractor, text)
    words = DataVocabulary.from_images([record]).words()
    return match_objects(read_scene_graph(graph), graph, record, words)


def test_objects_described_alike_are_told_apart_by_their_relations(extractor):
    # Object 0 is on the right: the circle the caption names first is object 1.
    objects = (
        _object("circle", 0.7, 0.5, colour="red", size="small"),
        _object("circle", 0.3, 0.5, colour="red", size="small"),
    )
    record = AnnotatedImage("x", "", objects)
    assert _match(extractor, "A small red circle is left of a small red circle.", record) == [1, 0]
    assert _match(extractor, "A small red circle is right of a small red circle.", record) == [0, 1]


def test_two_alike_objects_from_a_count_match_and_a_missing_one_does_not(extractor):
    record = AnnotatedImage(
        "x",
        "",
        (
            _object("square", 0.5, 0.8, colour="blue", size="large"),
            _object("circle", 0.3, 0.3, colour="red", size="small"),
            _object("circle", 0.7, 0.3, colour="red", size="small"),
        ),
    )
    order = _match(extractor, "Two small red circles are above a large blue square.", record)
    assert order is not None and sorted(order) == [0, 1, 2] and order[-1] == 0
    assert _match(extractor, "A small red circle is above a large blue square.", record) is None


def test_a_contradicting_word_prevents_a_match_and_an_unknown_word_does_not(extractor):
    record = AnnotatedImage(
        "x",
        "",
        (_object("person", 0.3, 0.5), _object("horse", 0.7, 0.5, colour="brown")),
    )
    # "man" is no word of the data: it may be the person; "horse" fixes the other.
    assert _match(extractor, "A man stands left of a brown horse.", record) == [0, 1]
    # "red" is not the horse's colour, and nothing else is red.
    assert _match(extractor, "A man stands left of a red horse.", record) is None


def test_a_concept_name_matches_the_object_that_carries_it(extractor):
    record = AnnotatedImage(
        "x",
        "",
        (
            _object("circle", 0.3, 0.5, names=("glorp",), colour="red", size="small"),
            _object("square", 0.7, 0.5, names=("wug",), colour="blue", size="large"),
        ),
    )
    assert _match(extractor, "There is a wug and a glorp.", record) == [1, 0]


def test_annotation_graph_speaks_the_extractors_vocabulary(extractor):
    record = AnnotatedImage(
        "x",
        "",
        (
            _object("circle", 0.3, 0.5, colour="red", size="small", material="wooden"),
            _object("dog", 0.7, 0.5),
        ),
        (AnnotatedRelation(0, "left_of", 1), AnnotatedRelation(1, "chases", 0)),
    )
    from_annotation = annotation_graph(record, extractor, "a")
    names = {name for _, name, _ in content_triples(from_annotation)}
    assert {"shape", "colour", "size", "attribute", "left_of", "type", "chases"} <= names
    caption = _caption_graph(extractor, "A small red circle is left of a dog.")
    scene = read_scene_graph(from_annotation)
    # The same words as a caption saying them: shape, colour and size values, a concept.
    assert (
        scene.objects[0].attributes()[1:] == read_scene_graph(caption).objects[0].attributes()[1:]
    )
    assert scene.objects[1].concept == "dog"


def test_unmatched_captions_fall_back_to_the_annotation_only_in_auto(extractor):
    record = AnnotatedImage("x", "Two dogs.", (_object("circle", 0.5, 0.5, colour="red"),))
    dataset = AnnotatedDataset([record])
    items, warnings = conditioning_graphs(dataset, extractor, None, 1, "caption")
    assert not items and "do not match" in warnings[0]
    items, warnings = conditioning_graphs(dataset, extractor, None, 1, "auto")
    assert len(items) == 1 and not items[0].from_caption and not warnings
    with pytest.raises(ValueError, match="graph source"):
        conditioning_graphs(dataset, extractor, None, 1, "guess")


def test_relation_vocabulary_keeps_names_used_often_enough(extractor):
    graph = _caption_graph(extractor, "A red circle is left of a blue square.")
    once = relation_vocabulary([graph])
    thrice = relation_vocabulary([graph] * 3)
    assert "other" in once and "left_of" not in once
    assert {"left_of", "colour", "shape", "other"} <= set(thrice)
    assert list(thrice) == sorted(thrice)


def test_vocabulary_targets_mark_missing_attributes():
    records = [
        AnnotatedImage("a", "", (_object("dog", 0.5, 0.5, colour="brown"),)),
        AnnotatedImage("b", "", (_object("cat", 0.5, 0.5, size="small"),)),
    ]
    vocabulary = DataVocabulary.from_images(records)
    assert vocabulary.heads == (
        ("category", ("cat", "dog")),
        ("colour", ("brown",)),
        ("size", ("small",)),
    )
    assert vocabulary.targets(records[0].objects[0]) == [1, 0, -1]
    assert DataVocabulary.from_json(vocabulary.to_json()) == vocabulary
