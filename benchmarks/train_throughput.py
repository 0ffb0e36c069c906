"""Training throughput: GNN-conditioned model vs the same generator and discriminator.

The comparison is conditioned on plain one-hot label vectors, in one run (target ratio
≥ 0.85).

Usage:
    python benchmarks/train_throughput.py [--preset quick] [--steps 60] [--device auto]
        [--out FILE]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch_geometric.data import Batch

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from kg_extract import ExtractConfig, Extractor
from pipeline.config import resolve
from pipeline.model import KG2ImgModel, SceneOutput
from pipeline.train import Trainer, build_training_data, pick_device


class OneHotModel(KG2ImgModel):
    """Same heads, generator and discriminator; objects embedded from one-hot labels
    (every head's annotated class) instead of the GNN."""

    def __init__(self, config) -> None:  # type: ignore[no-untyped-def]
        super().__init__(config, discriminator=True)
        self.classes = [len(values) for _, values in config.data.heads]
        self.one_hot = nn.Linear(sum(self.classes), config.encoder.hidden)

    def encode(self, batch: Batch) -> SceneOutput:
        parts = [
            F.one_hot(batch.y_heads[:, k].clamp_min(0), n) * (batch.y_heads[:, k : k + 1] >= 0)
            for k, n in enumerate(self.classes)
        ]
        objects = self.one_hot(torch.cat(parts, dim=1).float())
        object_batch = batch.batch[batch.object_index]
        graphs = torch.zeros(batch.num_graphs, objects.shape[1], device=objects.device).index_add(
            0, object_batch, objects
        )
        mean, log_std, size = self.boxes(objects)
        return SceneOutput(
            objects, object_batch, graphs, mean, log_std, size, self.attributes(objects)
        )


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def measure(trainer: Trainer, steps: int) -> float:
    for _ in range(5):
        trainer.train_step()
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    started = time.perf_counter()
    for _ in range(steps):
        trainer.train_step()
    if trainer.device.type == "cuda":
        torch.cuda.synchronize()
    return steps * trainer.config.batch_size / (time.perf_counter() - started)


def main() -> None:
    preset, steps = _arg("--preset", "quick"), int(_arg("--steps", "60"))
    config = resolve(
        preset,
        None,
        [f"train_scenes={_arg('--scenes', '512')}", f"device={_arg('--device', 'auto')}"],
    )
    device = pick_device(config.device)
    data = build_training_data(config, Extractor(ExtractConfig()), lambda m: None)
    gnn = Trainer(config, data, device)
    torch.manual_seed(config.seed)
    one_hot = Trainer(config, data, device, model=OneHotModel(data.model))
    rates = {"gnn": [], "one_hot": []}
    for _ in range(2):  # interleave to share the machine's state fairly
        rates["gnn"].append(measure(gnn, steps))
        rates["one_hot"].append(measure(one_hot, steps))
    gnn_rate, one_hot_rate = max(rates["gnn"]), max(rates["one_hot"])
    emit(
        "train_throughput",
        {
            "preset": preset,
            "device": str(device),
            "batch_size": config.batch_size,
            "image_size": config.model.generator.image_size,
            "steps_per_measurement": steps,
            "gnn_images_per_s": round(gnn_rate, 1),
            "one_hot_images_per_s": round(one_hot_rate, 1),
            "ratio": round(gnn_rate / one_hot_rate, 3),
            "target_ratio": 0.85,
            "all_measurements": {k: [round(x, 1) for x in v] for k, v in rates.items()},
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
