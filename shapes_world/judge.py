"""A ShapesWorld judge: reads objects back out of an image by colour segmentation.

Pixels are snapped to the nearest palette colour (or background), split into connected
components per colour, and each component is classified: shape from how it fills its
bounding box and how its width changes from top to bottom, size from its equivalent
radius, centre from its bounding box (a triangle's centre lies one radius below its apex).
Run on true renders it gives the ceiling of every score (see ``benchmarks/judge.py``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from kg2img.images import Counts, connected_components, ratio
from shapes_world import spec
from shapes_world.scene import Relation, SceneObject

_PALETTE = np.array([spec.PALETTE[c] for c in spec.COLOURS], dtype=np.float32)
#: Shape area per r² (circle πr², square (1.8r)², triangle ½·2.1r·1.8r).
_AREA_PER_R2 = {"circle": math.pi, "square": (2 * spec.SQUARE_HALF_SIDE) ** 2, "triangle": 1.89}
_SIZE_THRESHOLD = (spec.SIZE_RADIUS["small"] + spec.SIZE_RADIUS["large"]) / 2


@dataclass(frozen=True)
class DetectedObject:
    """One object found in an image (positions as fractions of the width)."""

    colour: str
    shape: str
    size: str
    x: float
    y: float
    area: int


def classify(pixels: np.ndarray, colour: str, width: int) -> DetectedObject:
    """Classify one component given its flat pixel indices."""
    ys, xs = np.divmod(pixels, width)
    top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
    h, w = bottom - top + 1, right - left + 1
    fill = len(pixels) / float(h * w)
    quarter = max(1, h // 4)
    top_width = np.mean([np.sum(ys == r) for r in range(top, top + quarter)])
    bottom_width = np.mean([np.sum(ys == r) for r in range(bottom - quarter + 1, bottom + 1)])
    if fill < 0.68 or top_width < 0.6 * bottom_width:
        shape = "triangle"
    elif fill < 0.9:
        shape = "circle"
    else:
        shape = "square"
    radius = math.sqrt(len(pixels) / _AREA_PER_R2[shape]) / width
    size = "small" if radius < _SIZE_THRESHOLD else "large"
    cx = (left + right + 1) / 2 / width
    # A triangle's apex is at cy − r and its base at cy + 0.8 r.
    cy = (top + h / 1.8) / width if shape == "triangle" else (top + bottom + 1) / 2 / width
    return DetectedObject(colour, shape, size, float(cx), float(cy), len(pixels))


def detect(image: np.ndarray, min_area: int = 12) -> list[DetectedObject]:
    """Objects in an ``(H, W, 3)`` uint8 image (at 64 px, the spec's size, or any other).

    Args:
        image: The image.
        min_area: Components smaller than this many pixels (at 64 px) are noise.
    """
    height, width, _ = image.shape
    pixels = image.reshape(-1, 3).astype(np.float32)
    distances = ((pixels[:, None, :] - _PALETTE[None]) ** 2).sum(-1)
    nearest = distances.argmin(1)
    background = (pixels**2).sum(-1)
    # A pixel is foreground when it is nearer its palette colour than black.
    foreground = distances[np.arange(len(pixels)), nearest] < background
    labels = np.where(foreground, nearest, -1).reshape(height, width)
    scaled_min = max(1, round(min_area * (width / spec.CANVAS_SIZE) ** 2))
    found = []
    for index, colour in enumerate(spec.COLOURS):
        for component in connected_components(labels == index):
            if len(component) >= scaled_min:
                found.append(classify(component, colour, width))
    return sorted(found, key=lambda d: -d.area)


@dataclass
class Score(Counts):
    """Per-image judgement (counts, to be summed over a data set)."""

    objects: int = 0
    colour: int = 0
    shape: int = 0
    size: int = 0
    relations: int = 0
    relations_correct: int = 0
    images: int = 0
    count_correct: int = 0

    def accuracies(self) -> dict[str, float]:
        """Accuracies in ``[0, 1]``."""
        return {
            "colour": ratio(self.colour, self.objects),
            "shape": ratio(self.shape, self.objects),
            "size": ratio(self.size, self.objects),
            "relations": ratio(self.relations_correct, self.relations),
            "object_count": ratio(self.count_correct, self.images),
        }


def judge(
    image: np.ndarray, objects: tuple[SceneObject, ...], relations: tuple[Relation, ...]
) -> Score:
    """Score an image against the objects it should show and the relations it should satisfy.

    Objects are matched to detections one-to-one so as to agree on the most attributes
    (colour counted double); an object without a detection is wrong on every attribute.
    """
    found = detect(image)[: len(objects) + 3]
    score = Score(objects=len(objects), relations=len(relations), images=1)
    score.count_correct = int(len(found) == len(objects))
    best: tuple[int, tuple[int | None, ...]] = (-1, tuple(None for _ in objects))
    slots: list[int | None] = [*range(len(found)), *([None] * len(objects))]
    for assignment in set(itertools.permutations(slots, len(objects))):
        agreement = 0
        for obj, k in zip(objects, assignment, strict=True):
            if k is not None:
                d = found[k]
                agreement += (
                    2 * (d.colour == obj.colour) + (d.shape == obj.shape) + (d.size == obj.size)
                )
        if agreement > best[0]:
            best = (agreement, assignment)
    matched = best[1]
    for obj, k in zip(objects, matched, strict=True):
        if k is not None:
            d = found[k]
            score.colour += d.colour == obj.colour
            score.shape += d.shape == obj.shape
            score.size += d.size == obj.size
    for r in relations:
        a, b = matched[r.subject], matched[r.object]
        if (
            a is not None
            and b is not None
            and spec.relation_holds_at(r.predicate, found[a].x, found[a].y, found[b].x, found[b].y)
        ):
            score.relations_correct += 1
    return score


def features(image: np.ndarray) -> np.ndarray:
    """The judge's description of an image as a vector (for Fréchet distances).

    Per palette colour: pixel fraction, component count, mean fill of the components'
    boxes, mean x and y; plus the total object count.
    """
    found = detect(image)
    height, width, _ = image.shape
    vector = []
    for colour in spec.COLOURS:
        mine = [d for d in found if d.colour == colour]
        area = sum(d.area for d in mine) / (height * width)
        vector += [
            area,
            len(mine),
            float(np.mean([d.shape == "circle" for d in mine])) if mine else 0.0,
            float(np.mean([d.x for d in mine])) if mine else 0.0,
            float(np.mean([d.y for d in mine])) if mine else 0.0,
        ]
    vector.append(len(found))
    return np.asarray(vector, dtype=np.float64)
