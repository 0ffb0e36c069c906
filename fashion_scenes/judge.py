"""The FashionScenes judge: finds items on the black canvas and reads them back.

Items are connected regions of bright pixels (one dilation step joins an item's dark
gaps); each is cropped, squared and scaled into the 28-px frame the classifier was
trained on; the colour is the palette colour nearest to its pixels' hue, the size comes
from its extent (large from :data:`spec.LARGE_FROM_PIXELS`). Run on true renders it gives
the ceiling of every score.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import torch
from PIL import Image
from torch import Tensor, nn

from fashion_scenes import spec
from kg2img.images import Counts, connected_components, ratio

#: The shipped classifier's weights (``kg2img fashion train-judge`` writes them).
JUDGE_WEIGHTS: Final = Path(__file__).parent / "data" / "judge.safetensors"
#: A pixel is part of an item when its brightest channel exceeds this.
BRIGHT: Final = 30
#: Side of the classifier's input and of the item inside it.
FRAME: Final = 28
INNER: Final = 26
MIN_AREA: Final = 20

_PALETTE_UNIT = np.array([spec.PALETTE[c] for c in spec.COLOURS], dtype=np.float32)
_PALETTE_UNIT /= np.linalg.norm(_PALETTE_UNIT, axis=1, keepdims=True)


class ItemClassifier(nn.Module):
    """A small CNN over ``(B, 1, 28, 28)`` gray items in ``[0, 1]`` → ``(B, 10)`` logits.

    ``features`` gives the 256-wide layer before the logits (for Fréchet distances).
    """

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(128 * 3 * 3, 256), nn.ReLU(),
        )  # fmt: skip
        self.head = nn.Linear(256, 10)

    def features(self, x: Tensor) -> Tensor:
        """The penultimate activations ``(B, 256)``."""
        return self.body(x)

    def forward(self, x: Tensor) -> Tensor:
        """Class logits."""
        return self.head(self.body(x))


def load_classifier(path: Path = JUDGE_WEIGHTS) -> ItemClassifier:
    """The judge's classifier from a safetensors file.

    Raises:
        ValueError: If the file is missing or does not hold this network's weights.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    model = ItemClassifier()
    try:
        model.load_state_dict(load_file(str(path)))
    except (OSError, SafetensorError, RuntimeError) as error:
        raise ValueError(f"{path}: not the judge's weights ({str(error)[:120]})") from None
    return model.eval()


def to_frame(gray: np.ndarray) -> np.ndarray:
    """A gray item crop, squared and scaled into the classifier's frame ``(28, 28)`` float.

    The crop is trimmed to its bright pixels, padded to a square around its centre and
    scaled (bilinear) so its longer side is :data:`INNER` pixels.
    """
    ys, xs = np.nonzero(gray > BRIGHT)
    if len(ys) == 0:
        return np.zeros((FRAME, FRAME), dtype=np.float32)
    crop = gray[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32)
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side), dtype=np.float32)
    square[(side - h) // 2 : (side - h) // 2 + h, (side - w) // 2 : (side - w) // 2 + w] = crop
    scaled = np.asarray(
        Image.fromarray(square).resize((INNER, INNER), Image.Resampling.BILINEAR), np.float32
    )
    frame = np.zeros((FRAME, FRAME), dtype=np.float32)
    offset = (FRAME - INNER) // 2
    frame[offset : offset + INNER, offset : offset + INNER] = scaled
    return np.clip(frame / 255.0, 0.0, 1.0)


@dataclass(frozen=True)
class DetectedItem:
    """One item found in an image (centre in pixels of the 64-px canvas)."""

    label: int
    colour: str
    size: str
    x: float
    y: float
    area: int
    frame: np.ndarray


def _dilate(mask: np.ndarray) -> np.ndarray:
    grown = mask.copy()
    grown[1:] |= mask[:-1]
    grown[:-1] |= mask[1:]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    return grown


def nearest_colour(pixels: np.ndarray) -> str:
    """The palette colour whose hue is nearest to ``(N, 3)`` pixels (brightness-weighted)."""
    weights = pixels.max(1, keepdims=True)
    mean = (pixels * weights).sum(0) / max(float(weights.sum()), 1e-6)
    unit = mean / max(float(np.linalg.norm(mean)), 1e-6)
    return spec.COLOURS[int(np.argmax(_PALETTE_UNIT @ unit))]


def detect(image: np.ndarray, classifier: ItemClassifier) -> list[DetectedItem]:
    """Items in an ``(H, W, 3)`` uint8 image (resized to the 64-px canvas first)."""
    if image.shape[:2] != (spec.CANVAS_SIZE, spec.CANVAS_SIZE):
        image = np.asarray(
            Image.fromarray(image).resize(
                (spec.CANVAS_SIZE, spec.CANVAS_SIZE), Image.Resampling.BILINEAR
            )
        )
    rgb = image.astype(np.float32)
    brightest = rgb.max(2)
    bright = brightest > BRIGHT
    width = spec.CANVAS_SIZE
    found = []
    for component in connected_components(_dilate(bright)):
        pixels = component[bright.ravel()[component]]
        if len(pixels) < MIN_AREA:
            continue
        ys, xs = np.divmod(pixels, width)
        colour = nearest_colour(rgb.reshape(-1, 3)[pixels])
        peak = max(spec.PALETTE[colour])
        gray = np.zeros((width, width), dtype=np.float32)
        gray.ravel()[pixels] = np.clip(brightest.ravel()[pixels] / peak * 255.0, 0, 255)
        top, bottom, left, right = ys.min(), ys.max(), xs.min(), xs.max()
        extent = max(bottom - top + 1, right - left + 1)
        found.append(
            DetectedItem(
                label=-1,
                colour=colour,
                size="large" if extent >= spec.LARGE_FROM_PIXELS else "small",
                x=(left + right + 1) / 2,
                y=(top + bottom + 1) / 2,
                area=len(pixels),
                frame=to_frame(gray[top : bottom + 1, left : right + 1]),
            )
        )
    if found:
        with torch.no_grad():
            frames = torch.from_numpy(np.stack([d.frame for d in found]))[:, None]
            labels = classifier(frames).argmax(1).tolist()
        found = [
            DetectedItem(label, d.colour, d.size, d.x, d.y, d.area, d.frame)
            for d, label in zip(found, labels, strict=True)
        ]
    return sorted(found, key=lambda d: -d.area)


@dataclass(frozen=True)
class ExpectedItem:
    """What the graph says of one item: class (``None`` when unknown), colour and size."""

    label: int | None
    colour: str
    size: str


@dataclass
class Score(Counts):
    """Per-image judgement (counts, to be summed over a data set)."""

    objects: int = 0
    classed: int = 0
    label: int = 0
    colour: int = 0
    size: int = 0
    relations: int = 0
    relations_correct: int = 0
    images: int = 0
    count_correct: int = 0

    def accuracies(self) -> dict[str, float]:
        """Accuracies in ``[0, 1]``."""
        return {
            "class": ratio(self.label, self.classed),
            "colour": ratio(self.colour, self.objects),
            "size": ratio(self.size, self.objects),
            "relations": ratio(self.relations_correct, self.relations),
            "object_count": ratio(self.count_correct, self.images),
        }


def relation_holds(predicate: str, a: DetectedItem, b: DetectedItem) -> bool:
    """Whether ``a predicate b`` holds between two detections (centres, spec margin)."""
    margin = spec.RELATION_MARGIN * spec.CANVAS_SIZE
    return {
        "left_of": b.x - a.x > margin,
        "right_of": a.x - b.x > margin,
        "above": b.y - a.y > margin,
        "below": a.y - b.y > margin,
    }[predicate]


def judge(
    image: np.ndarray,
    items: Sequence[ExpectedItem],
    relations: Sequence[tuple[int, str, int]],
    classifier: ItemClassifier,
    scored: Sequence[bool] | None = None,
    found: Sequence[DetectedItem] | None = None,
) -> Score:
    """Score an image against the items it should show and the relations it should satisfy.

    Items are matched to detections one-to-one so as to agree on the most attributes
    (class and colour counted double); an item without a detection is wrong on every
    attribute. ``scored`` picks the items whose class counts (default: all with a class);
    ``found`` passes detections already made on ``image``.
    """
    found = list(found if found is not None else detect(image, classifier))[: len(items) + 3]
    score = Score(objects=len(items), relations=len(relations), images=1)
    score.count_correct = int(len(found) == len(items))
    best: tuple[int, tuple[int | None, ...]] = (-1, tuple(None for _ in items))
    slots: list[int | None] = [*range(len(found)), *([None] * len(items))]
    for assignment in set(itertools.permutations(slots, len(items))):
        agreement = 0
        for item, k in zip(items, assignment, strict=True):
            if k is not None:
                d = found[k]
                agreement += (
                    2 * (d.label == item.label) + 2 * (d.colour == item.colour)
                    + (d.size == item.size)
                )  # fmt: skip
        if agreement > best[0]:
            best = (agreement, assignment)
    matched = best[1]
    chosen = scored if scored is not None else [i.label is not None for i in items]
    for item, k, counts in zip(items, matched, chosen, strict=True):
        score.classed += int(counts and item.label is not None)
        if k is not None:
            d = found[k]
            score.label += int(counts and d.label == item.label)
            score.colour += d.colour == item.colour
            score.size += d.size == item.size
    for s, predicate, o in relations:
        a, b = matched[s], matched[o]
        if a is not None and b is not None and relation_holds(predicate, found[a], found[b]):
            score.relations_correct += 1
    return score
