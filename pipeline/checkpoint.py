"""Training checkpoints: safetensors + JSON, written to a temporary folder and renamed.

Layout of a run folder::

    RUN_DIR/config.json            resolved TrainConfig, seed, versions
    RUN_DIR/metrics.jsonl          one line per logged step
    RUN_DIR/samples/step-N.png     sample grids
    RUN_DIR/checkpoints/step-N/    model.safetensors, model.json (raw weights, with the
                                   discriminator),
                                   ema.safetensors, optimizer.safetensors, state.json
    RUN_DIR/checkpoints/latest     name of the newest complete checkpoint
    RUN_DIR/model/                 the EMA model for generation (model.safetensors + .json,
                                   knowledge.txt; no discriminator)

A checkpoint folder only gets its final name once every file in it is complete, and
``latest`` is replaced atomically afterwards, so a crash at any point leaves the previous
checkpoint intact and findable.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file
from safetensors.torch import save as safetensors_bytes
from torch import Tensor

from kg2img.atomic import atomic_write_bytes, atomic_write_text
from pipeline.model import CheckpointError, KG2ImgModel

LATEST = "latest"


def _flatten_optimizer(
    prefix: str, state: dict[str, Any]
) -> tuple[dict[str, Tensor], dict[str, Any]]:
    tensors: dict[str, Tensor] = {}
    meta: dict[str, Any] = {"param_groups": state["param_groups"], "state": {}}
    for index, values in state["state"].items():
        meta["state"][str(index)] = {}
        for key, value in values.items():
            if isinstance(value, Tensor):
                tensors[f"{prefix}.{index}.{key}"] = value.detach().contiguous().cpu()
                meta["state"][str(index)][key] = "tensor"
            else:
                meta["state"][str(index)][key] = value
    return tensors, meta


def _unflatten_optimizer(
    prefix: str, tensors: dict[str, Tensor], meta: dict[str, Any]
) -> dict[str, Any]:
    state: dict[int, dict[str, Any]] = {}
    for index, values in meta["state"].items():
        state[int(index)] = {
            key: tensors[f"{prefix}.{index}.{key}"] if value == "tensor" else value
            for key, value in values.items()
        }
    return {"state": state, "param_groups": meta["param_groups"]}


def save_checkpoint(
    run_dir: Path,
    step: int,
    model: KG2ImgModel,
    ema: dict[str, Tensor],
    optimizers: Mapping[str, torch.optim.Optimizer],
    rng: torch.Generator,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write checkpoint ``step`` atomically and point ``latest`` at it."""
    root = run_dir / "checkpoints"
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{step:07d}"
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=".tmp-"))
    try:
        model.save(tmp, weights=model.state_dict())  # with the discriminator
        atomic_write_bytes(
            tmp / "ema.safetensors",
            safetensors_bytes({k: v.detach().contiguous().cpu() for k, v in ema.items()}),
        )
        tensors: dict[str, Tensor] = {"rng": rng.get_state()}
        meta: dict[str, Any] = {"step": step, "optimizers": {}, **(extra or {})}
        for name, optimizer in optimizers.items():
            flat, opt_meta = _flatten_optimizer(name, optimizer.state_dict())
            tensors.update(flat)
            meta["optimizers"][name] = opt_meta
        atomic_write_bytes(tmp / "optimizer.safetensors", safetensors_bytes(tensors))
        atomic_write_text(tmp / "state.json", json.dumps(meta, indent=1))
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    atomic_write_text(root / LATEST, final.name + "\n")
    return final


def latest_checkpoint(run_dir: Path) -> Path | None:
    """The newest complete checkpoint folder, or ``None``."""
    root = run_dir / "checkpoints"
    pointer = root / LATEST
    if pointer.is_file():
        candidate = root / pointer.read_text(encoding="utf-8").strip()
        if (candidate / "state.json").is_file():
            return candidate
    complete = sorted(p for p in root.glob("step-*") if (p / "state.json").is_file())
    return complete[-1] if complete else None


def load_checkpoint(
    folder: Path,
    model: KG2ImgModel,
    optimizers: Mapping[str, torch.optim.Optimizer],
    rng: torch.Generator,
) -> tuple[int, dict[str, Tensor], dict[str, Any]]:
    """Restore model, optimizers and RNG from a checkpoint.

    Returns:
        ``(step, ema_weights, state_json)``.

    Raises:
        CheckpointError: If any file is missing or corrupt.
    """
    loaded = KG2ImgModel.load(folder, discriminator=True)
    if loaded.config != model.config:
        raise CheckpointError(f"{folder}: checkpoint config differs from the run's config")
    model.load_state_dict(loaded.state_dict())
    try:
        meta = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        ema = load_file(str(folder / "ema.safetensors"))
        tensors = load_file(str(folder / "optimizer.safetensors"))
    except (OSError, json.JSONDecodeError, SafetensorError, ValueError) as error:
        raise CheckpointError(f"{folder}: corrupt checkpoint ({error})") from error
    for name, optimizer in optimizers.items():
        optimizer.load_state_dict(_unflatten_optimizer(name, tensors, meta["optimizers"][name]))
    rng.set_state(tensors["rng"])
    return int(meta["step"]), ema, meta
