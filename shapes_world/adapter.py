"""ShapesWorld as annotated images: the adapter from the world to the generic schema.

Each object's category is its shape; its attributes are ``colour`` and ``size``; its box
is the shape's tight bounding box; an object that instantiates a concept ("a glorp")
carries the concept's name, so the caption's word can be matched to it. Relations are
every spatial relation that holds. The model defaults ask for the spec's 64-px canvas and
palette snapping (ShapesWorld images are flat palette colours on black).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.annotations import AnnotatedDataset, AnnotatedImage, AnnotatedObject
from pipeline.annotations import AnnotatedRelation as Related
from shapes_world import spec
from shapes_world.dataset import Example, Split, iter_split, split_knowledge
from shapes_world.render import render_array
from shapes_world.scene import Scene, SceneObject


def object_box(obj: SceneObject) -> tuple[float, float, float, float]:
    """The tight ``(x0, y0, x1, y1)`` box of a shape (fractions of the canvas)."""
    r = obj.radius
    if obj.shape == "square":
        half = spec.SQUARE_HALF_SIDE * r
        return (obj.x - half, obj.y - half, obj.x + half, obj.y + half)
    if obj.shape == "triangle":
        half = spec.TRIANGLE_HALF_BASE * r
        return (obj.x - half, obj.y - r, obj.x + half, obj.y + spec.TRIANGLE_BASE_DROP * r)
    return (obj.x - r, obj.y - r, obj.x + r, obj.y + r)


def annotate(example: Example) -> AnnotatedImage:
    """One example in the generic schema."""
    objects = tuple(
        AnnotatedObject(
            category=o.shape,
            box=object_box(o),
            attributes=(("colour", o.colour), ("size", o.size)),
            names=(o.concept,) if o.concept else (),
        )
        for o in example.scene.objects
    )
    relations = tuple(Related(r.subject, r.predicate, r.object) for r in example.scene.relations)
    return AnnotatedImage(
        id=example.id,
        caption=example.caption,
        objects=objects,
        relations=relations,
        knowledge=example.definitions or "",
    )


def model_defaults() -> dict[str, Any]:
    """What a model of ShapesWorld is asked for.

    The spec canvas, palette snapping, and concept names always hidden from the encoder:
    a concept's look must come from its definition, so unseen concepts can be drawn.
    """
    return {
        "encoder": {"concept_label_dropout": 1.0},
        "output": {
            "size": spec.CANVAS_SIZE,
            "palette": [list(spec.PALETTE[c]) for c in spec.COLOURS],
        },
    }


def shapes_dataset(
    seed: int = 0, split: Split = "train", n: int = 6000, fresh_concept_rate: float = 0.0
) -> AnnotatedDataset:
    """``n`` examples of a split as an :class:`AnnotatedDataset` (images rendered on demand).

    Args:
        seed: Data seed.
        split: ``train``, ``val``, ``test`` or ``zero-shot``.
        n: Number of examples.
        fresh_concept_rate: Share of concept objects that instantiate a newly invented
            concept defined in the example's knowledge (training augmentation).
    """
    examples = list(iter_split(seed, split, n, 0, fresh_concept_rate))
    scenes: dict[str, Scene] = {e.id: e.scene for e in examples}

    def render(record: AnnotatedImage) -> np.ndarray:
        return render_array(scenes[record.id])

    return AnnotatedDataset(
        images=[annotate(e) for e in examples],
        knowledge=[split_knowledge(split)],
        render=render,
        model_defaults=model_defaults(),
    )
