"""Deterministic ShapesWorld splits and export.

Example ``i`` of a split is a pure function of ``(seed, split, i)``, so any example can be
regenerated on its own, training can stream an endless train split, and two machines with
the same seed see the same data. Writing examples to disk is ``pipeline.shapes_export``.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from shapes_world import spec
from shapes_world.captions import CaptionGraph, write_caption
from shapes_world.concepts import CONCEPTS, TRAIN_CONCEPTS, ZERO_SHOT_CONCEPTS, knowledge_corpus
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

    """

    id: str
    scene: Scene
    caption: str
    graph: CaptionGraph

    def to_json(self) -> dict[str, Any]:
        """The ``captions.jsonl`` record (without the image)."""
        return {
            "id": self.id,
            "caption": self.caption,
            "graph": self.graph.to_json(),
            "scene": self.scene.to_json(),
        }


def _rng(seed: int, split: str, index: int) -> random.Random:
    digest = hashlib.sha256(f"shapes-world/{seed}/{split}/{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _draw_attributes(
    rng: random.Random, concepts: tuple[str, ...], concept_rate: float, force_concept: bool
) -> list[tuple[str, str, str, str | None]]:
    n = rng.randint(spec.MIN_OBJECTS, spec.MAX_OBJECTS)
    while True:
        drawn: list[tuple[str, str, str, str | None]] = []
        for k in range(n):
            concept = None
            if (force_concept and k == 0) or rng.random() < concept_rate:
                concept = rng.choice(concepts)
            fixed = CONCEPTS[concept].fixed() if concept else {}
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


def make_example(seed: int, split: Split, index: int) -> Example:
    """Example ``index`` of ``split`` for ``seed``.

    Train, val and test scenes use only training concepts; every zero-shot scene holds at
    least one held-out concept and no training concept.
    """
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    rng = _rng(seed, split, index)
    if split == "zero-shot":
        attributes = _draw_attributes(rng, ZERO_SHOT_CONCEPTS, 0.3, force_concept=True)
    else:
        attributes = _draw_attributes(rng, TRAIN_CONCEPTS, CONCEPT_RATE, force_concept=False)
    scene = Scene.from_objects(place_objects(attributes, rng))
    caption, graph = write_caption(scene, rng)
    return Example(f"{split}-{seed}-{index}", scene, caption, graph)


def iter_split(seed: int, split: Split, n: int, start: int = 0) -> Iterator[Example]:
    """Examples ``start … start+n-1`` of a split."""
    for i in range(start, start + n):
        yield make_example(seed, split, i)


def split_knowledge(split: Split) -> str:
    """The knowledge corpus that goes with a split (held-out concepts only for zero-shot)."""
    names = ZERO_SHOT_CONCEPTS if split == "zero-shot" else TRAIN_CONCEPTS
    return knowledge_corpus(names)
