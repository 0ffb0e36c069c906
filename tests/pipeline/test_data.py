"""Matching extracted objects to the scene they describe (training data)."""

from rdflib import Graph

from kg_extract.scene_graph import read_scene_graph
from pipeline.data import CaptionedScene, match_objects
from shapes_world.scene import Scene, SceneObject


def _extracted(extractor, text):
    (doc,) = list(extractor.extract_texts([text]))
    graph = Graph()
    for s, p, o, _ in extractor.quads(doc):
        graph.add((s, p, o))
    return read_scene_graph(graph)


def _scene(*objects):
    scene = Scene.from_objects(tuple(SceneObject(*o) for o in objects))
    stated = tuple((None, o.shape, o.colour, o.size) for o in scene.objects)
    return scene, stated


def test_objects_described_alike_are_told_apart_by_their_relations(extractor):
    # Scene object 0 is on the right: the circle the caption names first is object 1.
    scene, stated = _scene(
        ("circle", "red", "small", 0.7, 0.5), ("circle", "red", "small", 0.3, 0.5)
    )
    item = CaptionedScene("x", "", scene, stated)
    assert match_objects(
        _extracted(extractor, "A small red circle is left of a small red circle."), item
    ) == [1, 0]
    assert match_objects(
        _extracted(extractor, "A small red circle is right of a small red circle."), item
    ) == [0, 1]


def test_two_alike_objects_from_a_count_match_and_a_missing_one_does_not(extractor):
    scene, stated = _scene(
        ("square", "blue", "large", 0.5, 0.8),
        ("circle", "red", "small", 0.3, 0.3),
        ("circle", "red", "small", 0.7, 0.3),
    )
    item = CaptionedScene("x", "", scene, stated)
    order = match_objects(
        _extracted(extractor, "Two small red circles are above a large blue square."), item
    )
    assert order is not None and sorted(order) == [0, 1, 2] and order[-1] == 0
    assert (
        match_objects(
            _extracted(extractor, "A small red circle is above a large blue square."), item
        )
        is None
    )
