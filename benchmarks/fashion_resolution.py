"""Does FashionScenes need a 64-px generator? The judge on true renders, round-tripped.

Each true test render is shrunk to ``S`` px (area averaging) and scaled back to 64 px
(bicubic, as generation's output does); the judge's scores at each ``S`` show what a
generator working at that resolution could reach at best.

    python benchmarks/fashion_resolution.py [--n 400] [--out FILE]
"""

from __future__ import annotations

import argparse

import numpy as np
import torch
import torch.nn.functional as F
from _common import emit

from fashion_scenes.dataset import iter_scenes, photos
from fashion_scenes.judge import ExpectedItem, Score, judge, load_classifier
from fashion_scenes.mnist import default_source
from fashion_scenes.scene import render


def round_trip(image: np.ndarray, size: int) -> np.ndarray:
    """Shrink to ``size`` px and scale back to the image's size."""
    if size == image.shape[0]:
        return image
    x = torch.from_numpy(image).permute(2, 0, 1)[None].float()
    small = F.interpolate(x, size=(size, size), mode="area")
    back = F.interpolate(small, size=image.shape[:2], mode="bicubic", align_corners=False)
    return back[0].permute(1, 2, 0).clamp(0, 255).round().to(torch.uint8).numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    classifier = load_classifier()
    items = photos(str(default_source()), "test")
    scenes = list(iter_scenes("test", args.n, 0, 0.0, items))
    results = {}
    for size in (64, 48, 32):
        total = Score()
        for scene in scenes:
            expected = [ExpectedItem(i.label, i.colour, i.size) for i in scene.items]
            image = round_trip(render(scene.items, items.images), size)
            total.add(judge(image, expected, scene.stated, classifier))
        results[str(size)] = total.accuracies()
        print(size, results[str(size)])
    emit("fashion_resolution", {"n": args.n, "split": "test", "ceiling_by_size": results}, args.out)


if __name__ == "__main__":
    main()
