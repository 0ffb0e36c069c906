"""ShapesWorld: the built-in captioned-scene world (``shared/spec/shapes-world.md``).

Rendered scenes of coloured shapes with English captions, exact scene graphs and a small
encyclopedic corpus of invented concepts; deterministic splits by seed.
"""

from shapes_world.captions import CaptionGraph, StatedObject, write_caption
from shapes_world.concepts import CONCEPTS, TRAIN_CONCEPTS, ZERO_SHOT_CONCEPTS, Concept
from shapes_world.dataset import SPLITS, Example, Split, iter_split, make_example
from shapes_world.render import render, render_array
from shapes_world.scene import Relation, Scene, SceneObject

__all__ = [
    "CONCEPTS",
    "SPLITS",
    "TRAIN_CONCEPTS",
    "ZERO_SHOT_CONCEPTS",
    "CaptionGraph",
    "Concept",
    "Example",
    "Relation",
    "Scene",
    "SceneObject",
    "Split",
    "StatedObject",
    "iter_split",
    "make_example",
    "render",
    "render_array",
    "write_caption",
]
