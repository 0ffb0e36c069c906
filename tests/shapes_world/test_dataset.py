import json
import math

import pytest

from shapes_world import (
    CONCEPTS,
    TRAIN_CONCEPTS,
    ZERO_SHOT_CONCEPTS,
    iter_split,
    spec,
)
from shapes_world.captions import graph_holds_in, stated_object
from shapes_world.concepts import SHAPE_ADJECTIVE
from shapes_world.render import object_mask


def test_scene_sampler_respects_spec_bounds_and_counts():
    counts = set()
    for e in iter_split(1, "train", 500):
        counts.add(len(e.scene.objects))
        for o in e.scene.objects:
            assert spec.CENTRE_MIN <= o.x <= spec.CENTRE_MAX
            assert spec.CENTRE_MIN <= o.y <= spec.CENTRE_MAX
        objs = e.scene.objects
        for i in range(len(objs)):
            for j in range(i + 1, len(objs)):
                d = math.hypot(objs[i].x - objs[j].x, objs[i].y - objs[j].y)
                assert d > objs[i].radius + objs[j].radius + spec.GAP
    assert counts == {1, 2, 3}


def _pixel_centroid(obj):
    mask = object_mask(obj, 64)
    ys, xs = mask.nonzero()
    return xs.mean() + 0.5, ys.mean() + 0.5


def test_stated_relations_hold_in_pixel_coordinates():
    checked = 0
    for e in iter_split(2, "train", 400):
        assert graph_holds_in(e.graph, e.scene)
        for r in e.graph.relations:
            a, b = e.scene.objects[r.subject], e.scene.objects[r.object]
            m = spec.RELATION_MARGIN * 64
            (ax, ay), (bx, by) = (a.x * 64, a.y * 64), (b.x * 64, b.y * 64)
            holds = {
                "left_of": ax < bx - m,
                "right_of": ax > bx + m,
                "above": ay < by - m,
                "below": ay > by + m,
            }[r.predicate]
            assert holds
            # The drawn shapes sit where the centres say: same side in pixel space.
            (pax, pay), (pbx, pby) = _pixel_centroid(a), _pixel_centroid(b)
            pixel_side = {
                "left_of": pax < pbx,
                "right_of": pax > pbx,
                "above": pay < pby,
                "below": pay > pby,
            }[r.predicate]
            assert pixel_side
            checked += 1
    assert checked > 200


def test_scene_graph_holds_exactly_the_true_relations():
    for e in iter_split(4, "test", 200):
        objs = e.scene.objects
        for r in e.scene.relations:
            assert r.inverse() in e.scene.relations
        n_pairs_with_x = sum(
            1
            for i in range(len(objs))
            for j in range(len(objs))
            if i != j and objs[i].x < objs[j].x - spec.RELATION_MARGIN
        )
        assert sum(r.predicate == "left_of" for r in e.scene.relations) == n_pairs_with_x


def test_caption_mentions_every_object_with_open_attributes():
    for e in iter_split(5, "train", 300):
        for obj, stated in zip(e.scene.objects, e.graph.objects, strict=True):
            assert stated == stated_object(obj)
            words = e.caption.lower()
            if stated.concept:
                assert stated.concept in words
            if stated.colour:
                assert stated.colour in words
            if stated.shape:
                noun_or_adjective = (
                    SHAPE_ADJECTIVE[stated.shape] if stated.concept else stated.shape
                )
                assert noun_or_adjective in words


def test_caption_concepts_complete_the_attributes():
    for e in iter_split(6, "train", 300):
        for obj, stated in zip(e.scene.objects, e.graph.objects, strict=True):
            fixed = CONCEPTS[stated.concept].fixed() if stated.concept else {}
            for attr in ("shape", "colour", "size"):
                assert (getattr(stated, attr) or fixed[attr]) == getattr(obj, attr)


def test_captions_use_many_surface_forms():
    captions = [e.caption for e in iter_split(7, "train", 500)]
    markers = [
        "to the left of", "on the left of", "left of", "right of", "above", "over",
        "below", "under", "beneath", "little", "big", "There is", ", which is", " and ",
        "The circle is", "The square is", "The triangle is",
    ]  # fmt: skip
    for marker in markers:
        assert any(marker in c for c in captions), marker


@pytest.mark.parametrize("split", ["train", "val", "test"])
def test_zero_shot_concepts_never_occur_outside_zero_shot_split(split):
    for e in iter_split(0, split, 1000):
        assert all(o.concept not in ZERO_SHOT_CONCEPTS for o in e.scene.objects)
        words = set(e.caption.lower().replace(".", " ").replace(",", " ").split())
        assert not words & ({c for c in ZERO_SHOT_CONCEPTS} | {c + "s" for c in ZERO_SHOT_CONCEPTS})


def test_zero_shot_split_always_uses_held_out_concepts_only():
    for e in iter_split(0, "zero-shot", 300):
        concepts = {o.concept for o in e.scene.objects} - {None}
        assert concepts and concepts <= set(ZERO_SHOT_CONCEPTS)
    assert set(TRAIN_CONCEPTS).isdisjoint(ZERO_SHOT_CONCEPTS)


def test_splits_have_disjoint_ids_and_scenes():
    seen = {}
    for split in ("train", "val", "test", "zero-shot"):
        for e in iter_split(0, split, 200):
            key = json.dumps(e.scene.to_json(), sort_keys=True)
            assert key not in seen, (split, seen.get(key))
            seen[key] = split


def test_examples_are_deterministic_by_seed():
    a = [e.to_json() for e in iter_split(11, "val", 50)]
    b = [e.to_json() for e in iter_split(11, "val", 50)]
    c = [e.to_json() for e in iter_split(12, "val", 50)]
    assert a == b
    assert a != c


def test_concept_definitions_state_fixed_attributes():
    from shapes_world.concepts import knowledge_corpus

    text = knowledge_corpus()
    for name, concept in CONCEPTS.items():
        paragraph = next(
            p
            for p in text.split("\n\n")
            if p.lower().startswith(("a " + name, "every " + name, name))
        )
        for value in concept.fixed().values():
            synonyms = {"small": ("small", "little"), "large": ("large", "big")}.get(
                value, (value, SHAPE_ADJECTIVE.get(value, value))
            )
            assert any(s in paragraph for s in synonyms), (name, value)
