"""Deterministic ShapesWorld splits and export.

Example ``i`` of a split is a pure function of ``(seed, split, i)``, so any example can be
regenerated on its own, training can stream an endless train split, and two machines with
the same seed see the same data. Writing examples to disk is ``shapes_world.export``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from shapes_world import spec
from shapes_world.captions import CaptionGraph, write_caption
from shapes_world.concepts import (
    CONCEPTS,
    TRAIN_CONCEPTS,
    ZERO_SHOT_CONCEPTS,
    Concept,
    define,
    fresh_concept,
    knowledge_corpus,
)
from shapes_world.scene import Scene, place_objects

Split = Literal["train", "val", "test", "zero-shot"]
SPLITS: tuple[Split, ...] = ("train", "val", "test", "zero-shot")
#: Chance that an object of a train/val/test scene instantiates a (training) concept.
CONCEPT_RATE = 0.3


@dataclass(frozen=True)
class Example:
    """One captioned scene.

    Attributes:
        id: Stable identifier, ``"<split>-<seed>-<index>"``.
        scene: The exact scene (positions and every relation that holds).
        caption: English text.
        graph: What the caption states (a subset of the scene graph).
        definitions: Knowledge text defining the example's invented concepts, when it
            uses concepts outside the fixed inventory (training augmentation only).
    """

    id: str
    scene: Scene
    caption: str
    graph: CaptionGraph
    definitions: str = ""

    def to_json(self) -> dict[str, Any]:
        """The ``captions.jsonl`` record (without the image)."""
        record = {
            "id": self.id,
            "caption": self.caption,
            "graph": self.graph.to_json(),
            "scene": self.scene.to_json(),
        }
        if self.definitions:
            record["definitions"] = self.definitions
        return record


def _rng(seed: int, split: str, index: int) -> random.Random:
    digest = hashlib.sha256(f"shapes-world/{seed}/{split}/{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _draw_attributes(
    rng: random.Random,
    concepts: tuple[str, ...],
    concept_rate: float,
    force_concept: bool,
    fresh_rate: float,
    inventory: dict[str, Concept],
) -> list[tuple[str, str, str, str | None]]:
    n = rng.randint(spec.MIN_OBJECTS, spec.MAX_OBJECTS)
    while True:
        drawn: list[tuple[str, str, str, str | None]] = []
        for k in range(n):
            concept = None
            if (force_concept and k == 0) or rng.random() < concept_rate:
                if fresh_rate > 0 and rng.random() < fresh_rate:
                    invented = fresh_concept(rng, set(inventory))
                    inventory[invented.name] = invented
                    concept = invented.name
                else:
                    concept = rng.choice(concepts)
            fixed = inventory[concept].fixed() if concept else {}
            drawn.append(
                (
                    fixed.get("shape") or rng.choice(spec.SHAPES),
                    fixed.get("colour") or rng.choice(spec.COLOURS),
                    fixed.get("size") or rng.choice(spec.SIZES),
                    concept,
                )
            )
        # Captions refer back to objects by description, so no two may be described alike.
        if len(set(drawn)) == len(drawn):
            rng.shuffle(drawn)
            return drawn


def make_example(seed: int, split: Split, index: int, fresh_concept_rate: float = 0.0) -> Example:
    """Example ``index`` of ``split`` for ``seed``.

    Train, val and test scenes use only training concepts; every zero-shot scene holds at
    least one held-out concept and no training concept.

    Args:
        seed: Data seed.
        split: Which split.
        index: Example number.
        fresh_concept_rate: Train split only: the chance that a concept object instead
            instantiates a newly invented concept, defined in ``Example.definitions``.
            Training on many definitions teaches a model to read definitions rather than
            to learn a fixed set of concepts; 0 keeps the split exactly as published.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    if fresh_concept_rate and split != "train":
        raise ValueError("fresh concepts are a training augmentation (split 'train' only)")
    rng = _rng(seed, split, index)
    inventory = dict(CONCEPTS)
    if split == "zero-shot":
        attributes = _draw_attributes(rng, ZERO_SHOT_CONCEPTS, 0.3, True, 0.0, inventory)
    else:
        attributes = _draw_attributes(
            rng, TRAIN_CONCEPTS, CONCEPT_RATE, False, fresh_concept_rate, inventory
        )
    scene = Scene.from_objects(place_objects(attributes, rng))
    caption, graph = write_caption(scene, rng, inventory)
    fresh = sorted({o.concept for o in scene.objects if o.concept and o.concept not in CONCEPTS})
    definitions = " ".join(define(inventory[name], rng) for name in fresh)
    return Example(f"{split}-{seed}-{index}", scene, caption, graph, definitions)


def iter_split(
    seed: int, split: Split, n: int, start: int = 0, fresh_concept_rate: float = 0.0
) -> Iterator[Example]:
    """Examples ``start … start+n-1`` of a split (see :func:`make_example`)."""
    for i in range(start, start + n):
        yield make_example(seed, split, i, fresh_concept_rate)


def split_knowledge(split: Split) -> str:
    """The knowledge corpus that goes with a split (held-out concepts only for zero-shot)."""
    names = ZERO_SHOT_CONCEPTS if split == "zero-shot" else TRAIN_CONCEPTS
    return knowledge_corpus(names)
