"""``kg2img evaluate``: generated images scored against the graphs they came from.

For each caption of a split: extract its graph, enrich it with the split's knowledge (the
held-out concepts' definitions for ``zero-shot``), generate, and let the judge read the
image back — per-attribute accuracy, relation accuracy, object count accuracy. The same
judge on the true renders gives the ceiling. A Fréchet distance between the judge's
features of generated and real images measures image quality, and the mean pixel
distance between images generated for one graph with different seeds measures diversity.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kg2img.images import frechet_distance
from pipeline.generate import Pipeline
from shapes_world import Split, iter_split, render_array
from shapes_world.dataset import split_knowledge
from shapes_world.judge import Score, features, judge


@dataclass(frozen=True)
class EvalConfig:
    """What to evaluate.

    Attributes:
        split: ``test``, ``val`` or ``zero-shot``.
        n: Captions scored.
        seed: ShapesWorld seed of the split.
        diversity_graphs: Graphs used for the diversity figure (4 images each).
    """

    split: Split = "test"
    n: int = 200
    seed: int = 0
    diversity_graphs: int = 20


@dataclass
class EvalReport:
    """Scores of generated images and, for reference, of the true renders."""

    split: str
    n: int
    generated: dict[str, float]
    ceiling: dict[str, float]
    frechet_judge_distance: float
    diversity: float
    seconds: float

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict."""
        return asdict(self)


def evaluate(
    model_dir: Path | None,
    config: EvalConfig,
    progress: Callable[[int], None] | None = None,
) -> EvalReport:
    """Score a model (``None``: the shipped one) on a ShapesWorld split."""
    started = time.perf_counter()
    pipeline = Pipeline.load(model_dir, knowledge_texts=[split_knowledge(config.split)])
    generated, ceiling = Score(), Score()
    fake_features, real_features = [], []
    examples = list(iter_split(config.seed, config.split, config.n))
    for k, example in enumerate(examples):
        result = pipeline.generate(example.caption, n=1, seed=k)
        image = result.images[0]
        real = render_array(example.scene)
        generated.add(judge(image, example.scene.objects, example.graph.relations))
        ceiling.add(judge(real, example.scene.objects, example.graph.relations))
        fake_features.append(features(image))
        real_features.append(features(real))
        if progress is not None:
            progress(k + 1)
    distances = []
    for k, example in enumerate(examples[: config.diversity_graphs]):
        images = pipeline.generate(example.caption, n=4, seed=1000 + k).images
        stack = np.stack(images).astype(np.float32) / 255.0
        pairs = [np.abs(stack[i] - stack[j]).mean() for i in range(4) for j in range(i + 1, 4)]
        distances.append(float(np.mean(pairs)))
    return EvalReport(
        split=config.split,
        n=config.n,
        generated=generated.accuracies(),
        ceiling=ceiling.accuracies(),
        frechet_judge_distance=round(
            frechet_distance(np.stack(fake_features), np.stack(real_features)), 4
        ),
        diversity=round(float(np.mean(distances)) if distances else 0.0, 5),
        seconds=round(time.perf_counter() - started, 1),
    )
