"""FashionScenes scenes: Fashion-MNIST items tinted, sized and placed on a black canvas.

A scene is 1–3 items, each a real photo of one class, tinted with a palette colour, at
28 px (large) or 20 px (small), placed so that boxes stay inside the canvas and at least
:data:`spec.GAP_PIXELS` apart on one axis. Relations are every one that holds between box
centres; the caption states a chain of them, never a false one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from PIL import Image

from fashion_scenes import spec


@dataclass(frozen=True)
class Item:
    """One placed item.

    Attributes:
        label: Fashion-MNIST class (0–9).
        index: Position of its photo in the part's items.
        colour: Palette colour name.
        size: ``large`` or ``small``.
        x: Left edge in pixels.
        y: Top edge in pixels.
        word: The noun the caption uses (the class name, or a hyponym word).
    """

    label: int
    index: int
    colour: str
    size: str
    x: int
    y: int
    word: str

    @property
    def side(self) -> int:
        """Side of its square box in pixels."""
        return spec.SIZE_PIXELS[self.size]

    @property
    def centre(self) -> tuple[float, float]:
        """Box centre in pixels."""
        return (self.x + self.side / 2, self.y + self.side / 2)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)`` as fractions of the canvas."""
        w = spec.CANVAS_SIZE
        return (self.x / w, self.y / w, (self.x + self.side) / w, (self.y + self.side) / w)


def separated(a: Item, b: Item) -> bool:
    """Whether two boxes are at least the spec's gap apart on one axis."""
    gap = spec.GAP_PIXELS
    return (
        a.x + a.side + gap <= b.x
        or b.x + b.side + gap <= a.x
        or a.y + a.side + gap <= b.y
        or b.y + b.side + gap <= a.y
    )


def relation_holds(predicate: str, a: Item, b: Item) -> bool:
    """Whether ``a predicate b`` holds by box centres and the spec's margin."""
    (ax, ay), (bx, by) = a.centre, b.centre
    margin = spec.RELATION_MARGIN * spec.CANVAS_SIZE
    return {
        "left_of": bx - ax > margin,
        "right_of": ax - bx > margin,
        "above": by - ay > margin,
        "below": ay - by > margin,
    }[predicate]


def relations(items: tuple[Item, ...]) -> list[tuple[int, str, int]]:
    """Every relation that holds between two items, as ``(subject, predicate, object)``."""
    return [
        (i, p, j)
        for i, a in enumerate(items)
        for j, b in enumerate(items)
        if i != j
        for p in spec.RELATIONS
        if relation_holds(p, a, b)
    ]


def place(
    sides: list[int], rng: random.Random, attempts: int = 200
) -> list[tuple[int, int]] | None:
    """Top-left corners for boxes of ``sides``, separated and inside the canvas, or ``None``."""
    placed: list[Item] = []
    for side in sides:
        for _ in range(attempts):
            size = "large" if side == spec.SIZE_PIXELS["large"] else "small"
            x = rng.randint(0, spec.CANVAS_SIZE - side)
            y = rng.randint(0, spec.CANVAS_SIZE - side)
            candidate = Item(0, 0, "white", size, x, y, "")
            if all(separated(candidate, other) for other in placed):
                placed.append(candidate)
                break
        else:
            return None
    return [(p.x, p.y) for p in placed]


def render(items: tuple[Item, ...], photos: np.ndarray) -> np.ndarray:
    """The scene as ``(64, 64, 3)`` uint8: tinted photos on black, brighter pixel wins."""
    canvas = np.zeros((spec.CANVAS_SIZE, spec.CANVAS_SIZE, 3), dtype=np.float32)
    for item in items:
        photo = photos[item.index]
        if item.side != 28:
            photo = np.asarray(
                Image.fromarray(photo).resize((item.side, item.side), Image.Resampling.BILINEAR)
            )
        tinted = (
            photo.astype(np.float32)[..., None]
            / 255.0
            * np.asarray(spec.PALETTE[item.colour], dtype=np.float32)
        )
        region = canvas[item.y : item.y + item.side, item.x : item.x + item.side]
        np.maximum(region, tinted, out=region)
    return np.clip(np.rint(canvas), 0, 255).astype(np.uint8)


_PHRASES = {
    "left_of": ("left of", "to the left of"),
    "right_of": ("right of", "to the right of"),
    "above": ("above", "over"),
    "below": ("below", "under"),
}


def _phrase(item: Item, rng: random.Random, definite: bool) -> str:
    words = [item.size]
    if item.colour != spec.DEFAULT_COLOUR or rng.random() < 0.5:
        words.append(item.colour)
    words.append(item.word)
    if definite:
        return "the " + " ".join(words)
    return ("an " if words[0][:1] in "aeiou" else "a ") + " ".join(words)


def caption(items: tuple[Item, ...], rng: random.Random) -> tuple[str, list[tuple[int, str, int]]]:
    """A caption in the ShapesWorld style and the relations it states.

    Each item after the first is related to the one before it ("A small red dress is left
    of a large sneaker. A blue bag is below the large sneaker."). White may go unsaid.
    """
    if len(items) == 1:
        alone = _phrase(items[0], rng, False)
        return alone[:1].upper() + alone[1:] + ".", []
    holding = relations(items)
    sentences = []
    stated = []
    phrases = [_phrase(item, rng, False) for item in items]
    for k in range(1, len(items)):
        options = [(s, p, o) for s, p, o in holding if {s, o} == {k - 1, k}]
        s, p, o = rng.choice(options)
        subject = phrases[s] if s == k else "the " + phrases[s].split(" ", 1)[1]
        obj = phrases[o] if o == k else "the " + phrases[o].split(" ", 1)[1]
        if k == 1:
            subject, obj = phrases[s], phrases[o]
        text = f"{subject} is {rng.choice(_PHRASES[p])} {obj}."
        sentences.append(text[:1].upper() + text[1:])
        stated.append((s, p, o))
    return " ".join(sentences), stated
