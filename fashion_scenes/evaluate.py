"""``kg2img evaluate --world fashion``: generated FashionScenes images, judged.

For each caption of a split: generate from the text (the model's own knowledge, which
holds the WordNet glosses), find the items with the judge, and score class, colour,
size, relations and item count against the scene; the same judge on the true renders
gives the ceiling. On the zero-shot splits the class is scored only for the items named
by a zero-shot word (the other items are ordinary ones). A Fréchet distance on the
classifier's features of matched items compares generated with real items.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from fashion_scenes import spec
from fashion_scenes.dataset import Split, iter_scenes, part_of, photos
from fashion_scenes.judge import (
    DetectedItem,
    ExpectedItem,
    ItemClassifier,
    Score,
    detect,
    judge,
    load_classifier,
)
from fashion_scenes.mnist import default_source
from fashion_scenes.scene import render
from kg2img.images import frechet_distance
from pipeline.generate import Pipeline


@dataclass(frozen=True)
class EvalConfig:
    """What to evaluate.

    Attributes:
        split: ``test``, ``val``, ``zero-shot`` or ``zero-shot-dev``.
        n: Captions scored.
        seed: Scene seed of the split.
        source: Folder of the Fashion-MNIST files (default: installed, else the sample).
        diversity_graphs: Captions used for the diversity figure (4 images each).
    """

    split: Split = "test"
    n: int = 200
    seed: int = 0
    source: Path | None = None
    diversity_graphs: int = 20


@dataclass
class EvalReport:
    """Scores of generated images and, for reference, of the true renders."""

    split: str
    n: int
    generated: dict[str, float]
    ceiling: dict[str, float]
    class_ratio_to_ceiling: float
    frechet_item_distance: float
    diversity: float
    seconds: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict."""
        return asdict(self)


def _item_features(found: list[DetectedItem], classifier: ItemClassifier) -> list[np.ndarray]:
    if not found:
        return []
    with torch.no_grad():
        frames = torch.from_numpy(np.stack([d.frame for d in found]))[:, None]
        return list(classifier.features(frames).numpy())


def evaluate(
    model_dir: Path | None,
    config: EvalConfig,
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Score a model (``None``: the shipped FashionScenes one) on a split."""
    started = time.perf_counter()
    from pipeline.generate import shipped_model_dir

    pipeline = Pipeline.load(model_dir or shipped_model_dir("fashion"))
    classifier = load_classifier()
    source = config.source or default_source()
    items = photos(str(source), part_of(config.split))
    scenes = list(iter_scenes(config.split, config.n, config.seed, 0.0, items))
    generated, ceiling = Score(), Score()
    fake_features: list[np.ndarray] = []
    real_features: list[np.ndarray] = []
    zero_shot = config.split.startswith("zero-shot")
    for k, scene in enumerate(scenes):
        expected = [ExpectedItem(i.label, i.colour, i.size) for i in scene.items]
        scored = [(i.word != spec.CLASS_NAMES[i.label]) if zero_shot else True for i in scene.items]
        image = pipeline.generate(scene.caption, n=1, seed=k).images[0]
        real = render(scene.items, items.images)
        found_fake, found_real = detect(image, classifier), detect(real, classifier)
        generated.add(judge(image, expected, scene.stated, classifier, scored, found_fake))
        ceiling.add(judge(real, expected, scene.stated, classifier, scored, found_real))
        fake_features += _item_features(found_fake, classifier)
        real_features += _item_features(found_real, classifier)
        if progress is not None:
            progress(k + 1)
    distances = []
    for k, scene in enumerate(scenes[: config.diversity_graphs]):
        images = pipeline.generate(scene.caption, n=4, seed=1000 + k).images
        stack = np.stack(images).astype(np.float32) / 255.0
        pairs = [np.abs(stack[i] - stack[j]).mean() for i in range(4) for j in range(i + 1, 4)]
        distances.append(float(np.mean(pairs)))
    made, truth = generated.accuracies(), ceiling.accuracies()
    frechet = (
        frechet_distance(np.stack(fake_features), np.stack(real_features))
        if len(fake_features) > 1 and len(real_features) > 1
        else float("nan")
    )
    return EvalReport(
        split=config.split,
        n=config.n,
        generated=made,
        ceiling=truth,
        class_ratio_to_ceiling=round(made["class"] / truth["class"], 4) if truth["class"] else 0.0,
        frechet_item_distance=round(frechet, 4),
        diversity=round(float(np.mean(distances)) if distances else 0.0, 5),
        seconds=round(time.perf_counter() - started, 1),
    )
