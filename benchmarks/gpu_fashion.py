"""FashionScenes at the ``full`` preset's widths on a GPU: throughput, bf16, compile, a model.

The run's config is the ``fashion`` preset (the shipped FashionScenes model's) with the
``full`` preset's network widths and batch size, at 64 px (the spec's canvas, so the highest
resolution the world has). In order:

1. builds the training pool (timed: it runs on the CPU, spaCy reads captions and glosses);
2. training throughput in images/s for each ``--modes`` entry, each a fresh trainer from the
   same seed, warm-up steps untimed, the device synchronised: ``fp32``; ``bf16`` (autocast,
   what training on CUDA uses); ``bf16-compile`` (autocast and the generator compiled in
   place; its first steps, compilation included, are timed apart). Beside each: the share of
   a step spent assembling the batch on the CPU (graphs sampled, edges dropped, collated);
   with ``--profile N``, the operators that take the time of N steps (torch.profiler);
3. with ``--budget`` > 0, trains for that many seconds in bf16 (on CUDA) and exports the EMA
   model to ``--run-dir/model``, which ``kg2img evaluate --world fashion --model`` scores.

The JSON is rewritten after every phase, so a run stopped by its time limit keeps what it
measured. Run it once on the GPU machine and once here for the CPU figures::

    python benchmarks/gpu_fashion.py --device cuda --budget 150 --run-dir RUN --out FILE
    python benchmarks/gpu_fashion.py --device cpu --modes fp32 --budget 0 --out FILE
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from _common import emit

from kg_extract import ExtractConfig, Extractor
from pipeline.config import PRESETS, TrainConfig, resolve
from pipeline.train import Trainer, TrainingSet, build_training_data, export_model, pick_device

MODES = ("fp32", "bf16", "bf16-compile")


def full_widths() -> list[str]:
    """``--set`` lines that give a config the ``full`` preset's widths and batch size."""
    full = PRESETS["full"]
    encoder, generator = full.model.encoder, full.model.generator
    return [
        f"encoder.hidden={encoder.hidden}",
        f"encoder.layers={encoder.layers}",
        f"generator.cond_dim={generator.cond_dim}",
        f"generator.feature_dim={generator.feature_dim}",
        f"generator.channels={generator.channels}",
        f"generator.image_size={generator.image_size}",
        f"batch_size={full.batch_size}",
    ]


def run_config(device: str, scenes: int, source: str) -> TrainConfig:
    """The run's config: the ``fashion`` preset at the ``full`` preset's widths."""
    overrides = [*full_widths(), f"device={device}", f"train_scenes={scenes}"]
    if source:
        overrides.append(f"images={source}")
    return resolve("fashion", None, overrides)


def _synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _trainer(
    config: TrainConfig, training: TrainingSet, device: torch.device, mode: str
) -> Trainer:
    # bf16 autocast is what training on CUDA does (precision "auto"); fp32 measures what
    # it buys. On the CPU only fp32 is measured: that is what training there uses.
    precision = "fp32" if mode == "fp32" else "auto"
    return Trainer(
        dataclasses.replace(config, compile=mode == "bf16-compile", precision=precision),
        training,
        device,
    )


def measure(
    config: TrainConfig, training: TrainingSet, device: torch.device, mode: str, steps: int
) -> dict[str, Any]:
    """Images/s of one mode, and the share of a step spent assembling batches."""
    trainer = _trainer(config, training, device, mode)
    started = time.perf_counter()
    for _ in range(5):
        trainer.train_step()
    _synchronise(device)
    warm_up = time.perf_counter() - started
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    started = time.perf_counter()
    for _ in range(steps):
        trainer.train_step()
    _synchronise(device)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(steps):
        trainer._batch()  # the CPU-side part of a step, alone
    _synchronise(device)
    batch_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "images_per_s": round(steps * config.batch_size / seconds, 1),
        "steps_per_s": round(steps / seconds, 2),
        "batch_assembly_share": round(batch_seconds / seconds, 3),
        "first_5_steps_s": round(warm_up, 2),
        "timed_steps": steps,
    }
    if device.type == "cuda":
        result["peak_memory_gib"] = round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
    return result


def profile(
    config: TrainConfig, training: TrainingSet, device: torch.device, steps: int
) -> dict[str, Any]:
    """The operators that take a training step's time (``precision`` auto), top 15 of each."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    trainer = _trainer(config, training, device, "bf16")
    for _ in range(3):
        trainer.train_step()
    activities = [ProfilerActivity.CPU]
    if device.type == "cuda":
        activities.append(ProfilerActivity.CUDA)
    with torch_profile(activities=activities) as profiled:
        for _ in range(steps):
            trainer.train_step()
        _synchronise(device)
    table: dict[str, Any] = {"steps": steps}
    events = profiled.key_averages()
    for kind in ("cpu", "device") if device.type == "cuda" else ("cpu",):
        attribute = f"self_{kind}_time_total"
        top = sorted(events, key=lambda e: getattr(e, attribute), reverse=True)[:15]
        table[f"top_self_{kind}_ms_per_step"] = {
            e.key: round(getattr(e, attribute) / 1000 / steps, 2) for e in top
        }
        table[f"self_{kind}_ms_per_step"] = round(
            sum(getattr(e, attribute) for e in events) / 1000 / steps, 1
        )
    table["operators_per_step"] = round(sum(e.count for e in events) / steps)
    table["launches_per_step"] = round(
        sum(e.count for e in events if e.key in ("cudaLaunchKernel", "cuLaunchKernel")) / steps
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--device", default="cuda", help="cuda or cpu")
    parser.add_argument("--modes", default=",".join(MODES), help=f"among {', '.join(MODES)}")
    parser.add_argument("--steps", type=int, default=40, help="Timed steps per mode.")
    parser.add_argument("--scenes", type=int, default=PRESETS["fashion"].train_scenes)
    parser.add_argument("--source", default="", help="Fashion-MNIST folder (default: installed)")
    parser.add_argument("--budget", type=float, default=0.0, help="Seconds of training (0: none)")
    parser.add_argument("--profile", type=int, default=0, help="Steps profiled (0: none)")
    parser.add_argument("--run-dir", type=Path, default=Path("gpu-fashion-run"))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        parser.error(f"--modes: unknown {', '.join(unknown)}")

    config = run_config(args.device, args.scenes, args.source)
    device = pick_device(config.device)
    results: dict[str, Any] = {
        "device": str(device),
        "config": {k: v for k, v in config.to_json().items() if k != "model"},
        "widths": full_widths(),
        "scenes": args.scenes,
        "throughput": {},
    }

    def save() -> None:
        emit("gpu_fashion", results, args.out)

    started = time.perf_counter()
    training = build_training_data(config, Extractor(ExtractConfig()), print)
    results["data_build_s"] = round(time.perf_counter() - started, 1)
    save()
    if args.profile > 0:
        results["profile"] = profile(config, training, device, args.profile)
        save()
    for mode in (m for m in modes if m != "bf16-compile"):
        results["throughput"][mode] = measure(config, training, device, mode, args.steps)
        save()
    train_for_budget(args, config, training, device, results, save)
    # Compilation goes last: a run stopped by its time limit while compiling keeps the rest.
    if "bf16-compile" in modes:
        results["throughput"]["bf16-compile"] = measure(
            config, training, device, "bf16-compile", args.steps
        )
        save()


def train_for_budget(
    args: argparse.Namespace,
    config: TrainConfig,
    training: TrainingSet,
    device: torch.device,
    results: dict[str, Any],
    save: Callable[[], None],
) -> None:
    """Train in bf16 (on CUDA) for ``--budget`` seconds and export the EMA model."""
    if args.budget <= 0:
        return
    trainer = _trainer(config, training, device, "bf16")
    started = last_report = time.perf_counter()
    while time.perf_counter() - started < args.budget:
        losses = trainer.train_step()
        if time.perf_counter() - last_report > 30:
            last_report = time.perf_counter()
            print(f"step {trainer.step}: " + ", ".join(f"{k} {v:.3f}" for k, v in losses.items()))
    _synchronise(device)
    wall = time.perf_counter() - started
    export_model(trainer, training, args.run_dir / "model", wall)
    results["training"] = {
        "mode": "bf16" if trainer.autocast else "fp32",
        "budget_s": args.budget,
        "steps": trainer.step,
        "images": trainer.step * config.batch_size,
        "images_per_s": round(trainer.step * config.batch_size / wall, 1),
        "model": str(args.run_dir / "model"),
    }
    save()


if __name__ == "__main__":
    main()
