"""Helpers shared by the benchmark scripts: machine description and JSON output."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

import torch


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            info["cpu"] = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return info


def emit(name: str, results: dict[str, Any], out: str | None = None) -> None:
    """Print the results as JSON (and write them to ``out`` if given)."""
    payload = {"benchmark": name, "machine": machine(), **results}
    text = json.dumps(payload, indent=2)
    print(text)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")


def out_arg() -> str | None:
    """``--out FILE`` from the command line, if present."""
    if "--out" in sys.argv:
        return sys.argv[sys.argv.index("--out") + 1]
    return None
