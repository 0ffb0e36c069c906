"""R-GCN vs GINE as the graph encoder: same data, steps and seed; judge scores (JSON out).

A reduced budget (not the shipped model's) so both fit in a few CPU minutes.

Usage: python benchmarks/encoder_choice.py [--steps 800] [--scenes 2000] [--n 100] [--out FILE]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from pipeline.config import resolve
from pipeline.train import run_training
from shapes_world.evaluate import EvalConfig, evaluate


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main() -> None:
    steps, scenes, n = _arg("--steps", "800"), _arg("--scenes", "2000"), int(_arg("--n", "100"))
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("rgcn", "gine"):
            config = resolve("quick", None, [f"encoder.kind={kind}", f"steps={steps}",
                                             f"train_scenes={scenes}", "checkpoint_every=100000",
                                             "sample_every=100000"])  # fmt: skip
            started = time.perf_counter()
            model = run_training(config, Path(folder) / kind, log=lambda m: None)
            seconds = time.perf_counter() - started
            results[kind] = {
                "train_seconds": round(seconds, 1),
                "test": evaluate(
                    model, EvalConfig(split="test", n=n, diversity_graphs=0)
                ).generated,
                "zero_shot": evaluate(
                    model, EvalConfig(split="zero-shot", n=n, diversity_graphs=0)
                ).generated,
            }
    emit(
        "encoder_choice",
        {"steps": int(steps), "train_scenes": int(scenes), "graphs": n, **results},
        out_arg(),
    )


if __name__ == "__main__":
    main()
