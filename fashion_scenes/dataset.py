"""FashionScenes splits: deterministic scenes by seed, in the project's annotation schema.

Train scenes draw photos from the 60,000 training items; ``val``, ``test`` and the
zero-shot splits from the 10,000 test items. In ``train`` an item is named by a
training-pool hyponym word (``fresh_word_rate`` of the time) so the encoder learns to
reach an unknown word's class through its is-a edges; ``zero-shot`` (``zero-shot-dev``)
names one item of every scene by a word of the test (development) list, which no
training caption uses.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np

from fashion_scenes import spec
from fashion_scenes.mnist import Items, default_source, read_items
from fashion_scenes.scene import Item, caption, place, relations, render
from fashion_scenes.wordnet import word_lists
from pipeline.annotations import AnnotatedDataset, AnnotatedImage, AnnotatedObject
from pipeline.annotations import AnnotatedRelation as Related

Split = Literal["train", "val", "test", "zero-shot", "zero-shot-dev", "single"]
SPLITS: Final = ("train", "val", "test", "zero-shot", "zero-shot-dev", "single")
#: Seed offsets keep the splits' random streams apart.
_SPLIT_SEEDS: Final = {s: i * 1_000_003 for i, s in enumerate(SPLITS)}
KNOWLEDGE_FILE: Final = Path(__file__).parent / "data" / "wordnet_knowledge.txt"


@dataclass(frozen=True)
class Scene:
    """One scene: its id, items, caption and the relations the caption states."""

    id: str
    items: tuple[Item, ...]
    caption: str
    stated: tuple[tuple[int, str, int], ...]


def knowledge_text() -> str:
    """The committed WordNet knowledge text (``kg2img knowledge wordnet`` writes it)."""
    return KNOWLEDGE_FILE.read_text(encoding="utf-8")


@functools.cache
def photos(source: str, part: str) -> Items:
    """The items of a part of the Fashion-MNIST folder ``source``, read once per process."""
    return read_items(Path(source), part)  # type: ignore[arg-type]


def iter_scenes(
    split: Split, n: int, seed: int = 0, fresh_word_rate: float = 0.3, items: Items | None = None
) -> Iterator[Scene]:
    """``n`` scenes of ``split``; the same arguments give the same scenes.

    Args:
        split: ``train``, ``val``, ``test``, ``zero-shot``, ``zero-shot-dev`` or ``single``
            (one large white item in the middle, its class name as the caption: the
            class-conditional setting of the seed's DCGAN).
        n: Number of scenes.
        seed: Data seed.
        fresh_word_rate: Share of training items named by a training-pool hyponym word.
        items: The photos to draw from (their part must suit the split).
    """
    if items is None:
        raise ValueError("iter_scenes needs the items of the split's part")
    rng = random.Random(seed + _SPLIT_SEEDS[split])
    by_label = [np.flatnonzero(items.labels == c) for c in range(10)]
    labels_present = [c for c in range(10) if len(by_label[c])]
    lists = word_lists()
    pools = {"train": lists["train"], "zero-shot": lists["test"], "zero-shot-dev": lists["dev"]}
    made = 0
    while made < n:
        if split == "single":
            label = rng.choice(labels_present)
            side = spec.SIZE_PIXELS["large"]
            corner = (spec.CANVAS_SIZE - side) // 2
            item = Item(label, int(rng.choice(by_label[label])), spec.DEFAULT_COLOUR, "large",
                        corner, corner, spec.CLASS_NAMES[label])  # fmt: skip
            text = ("An " if item.word[0] in "aeiou" else "A ") + item.word + "."
            yield Scene(f"single-{seed}-{made:06d}", (item,), text, ())
            made += 1
            continue
        count = rng.randint(spec.MIN_ITEMS, spec.MAX_ITEMS)
        sizes = [rng.choice(spec.SIZES) for _ in range(count)]
        corners = place([spec.SIZE_PIXELS[s] for s in sizes], rng)
        if corners is None:
            continue
        chosen: list[Item] = []
        unseen_at = rng.randrange(count)
        for k, (size, (x, y)) in enumerate(zip(sizes, corners, strict=True)):
            label = rng.choice(labels_present)
            word = spec.CLASS_NAMES[label]
            pool = pools.get(split, {}).get(label, ())
            if split in ("zero-shot", "zero-shot-dev"):
                if k == unseen_at:
                    if not pool:
                        label = rng.choice([c for c in labels_present if pools[split].get(c)])
                        pool = pools[split][label]
                    word = rng.choice(pool)
            elif split == "train" and pool and rng.random() < fresh_word_rate:
                word = rng.choice(pool)
            chosen.append(Item(label, int(rng.choice(by_label[label])), rng.choice(spec.COLOURS),
                               size, x, y, word))  # fmt: skip
        scene_items = tuple(chosen)
        text, stated = caption(scene_items, rng)
        yield Scene(f"{split}-{seed}-{made:06d}", scene_items, text, tuple(stated))
        made += 1


def annotate(scene: Scene) -> AnnotatedImage:
    """A scene in the generic schema: category = class name, colour and size, the box."""
    objects = tuple(
        AnnotatedObject(
            category=spec.CLASS_NAMES[item.label],
            box=item.box,
            attributes=(("colour", item.colour), ("size", item.size)),
            names=(item.word,) if item.word != spec.CLASS_NAMES[item.label] else (),
        )
        for item in scene.items
    )
    return AnnotatedImage(
        id=scene.id,
        caption=scene.caption,
        objects=objects,
        relations=tuple(Related(s, p, o) for s, p, o in relations(scene.items)),
    )


def model_defaults() -> dict[str, Any]:
    """What a FashionScenes model is asked for: the 64-px canvas, two knowledge hops.

    No palette snapping: items are photos, with every shade of their tint. Two hops
    reach a class from a hyponym word through its is-a chain ("parka" → "jacket" →
    "coat"), read as RDFS reads it (``is_a_closure``: "parka" also gets an edge to
    "coat", and "jacket" brings only its is-a edges). A concept named outside the label
    words (the class names, tints and sizes) is read from its edges alone
    (``encoder.hide_unknown_names``), in training and for a zero-shot word alike, and the
    ten class names are always shown
    (``concept_label_dropout`` 0): the classes are photos, not definitions.
    """
    return {
        "hops": 2,
        "is_a_closure": True,
        "encoder": {"hide_unknown_names": True, "concept_label_dropout": 0.0},
        "output": {"size": spec.CANVAS_SIZE},
    }


def part_of(split: Split) -> str:
    """The Fashion-MNIST part a split's photos come from."""
    return "train" if split in ("train", "single") else "test"


def fashion_dataset(
    split: Split = "train",
    n: int = 6000,
    seed: int = 0,
    source: Path | None = None,
    fresh_word_rate: float = 0.3,
) -> AnnotatedDataset:
    """``n`` scenes of a split as an :class:`AnnotatedDataset` (images rendered on demand)."""
    root = source or default_source()
    items = photos(str(root), part_of(split))
    scenes = {s.id: s for s in iter_scenes(split, n, seed, fresh_word_rate, items)}

    def draw(record: AnnotatedImage) -> np.ndarray:
        return render(scenes[record.id].items, items.images)

    return AnnotatedDataset(
        images=[annotate(s) for s in scenes.values()],
        knowledge=[knowledge_text()],
        render=draw,
        model_defaults=model_defaults(),
    )
