"""Training the judge's classifier on the real Fashion-MNIST training set.

Each training item goes through what the judge does to a found item (trimmed, squared,
scaled into the frame); half of them are first shrunk to the small size (20 px), as
small items in scenes are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from fashion_scenes import spec
from fashion_scenes.judge import ItemClassifier, to_frame
from fashion_scenes.mnist import Items, read_items


def frames(items: Items, small_share: float, seed: int) -> np.ndarray:
    """``(N, 28, 28)`` classifier inputs for items (a ``small_share`` of them shrunk first)."""
    rng = np.random.default_rng(seed)
    small = rng.random(len(items)) < small_share
    side = spec.SIZE_PIXELS["small"]
    out = np.empty((len(items), 28, 28), dtype=np.float32)
    for k, photo in enumerate(items.images):
        if small[k]:
            photo = np.asarray(
                Image.fromarray(photo).resize((side, side), Image.Resampling.BILINEAR)
            )
        out[k] = to_frame(photo)
    return out


@dataclass(frozen=True)
class JudgeTraining:
    """The trained classifier and its accuracy on the real test items (judge framing)."""

    model: ItemClassifier
    test_accuracy: float
    test_accuracy_small: float
    seconds: float


def accuracy(model: ItemClassifier, x: np.ndarray, y: np.ndarray) -> float:
    """Share of ``(N, 28, 28)`` frames classified as ``y``."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), 1000):
            batch = torch.from_numpy(x[start : start + 1000])[:, None]
            correct += int((model(batch).argmax(1).numpy() == y[start : start + 1000]).sum())
    return correct / max(1, len(x))


def train_classifier(
    source: Path,
    epochs: int = 4,
    seed: int = 0,
    log: Callable[[str], None] = print,
) -> JudgeTraining:
    """Train on the 60,000 training items; report accuracy on the 10,000 test items."""
    started = time.perf_counter()
    torch.manual_seed(seed)
    train = read_items(source, "train")
    test = read_items(source, "test")
    x = frames(train, 0.5, seed)
    y = train.labels
    model = ItemClassifier()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(x))
        for start in range(0, len(order), 128):
            batch = order[start : start + 128]
            images = torch.from_numpy(x[batch])[:, None]
            # Generated items are a little off in brightness: vary it in training.
            images = images * torch.empty(len(batch), 1, 1, 1).uniform_(0.7, 1.2)
            loss = F.cross_entropy(model(images.clamp(0, 1)), torch.from_numpy(y[batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        log(f"epoch {epoch + 1}/{epochs}: loss {float(loss):.3f}")
    large = accuracy(model, frames(test, 0.0, seed), test.labels)
    small = accuracy(model, frames(test, 1.0, seed), test.labels)
    return JudgeTraining(model.eval(), large, small, time.perf_counter() - started)
