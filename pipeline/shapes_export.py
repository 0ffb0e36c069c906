"""Write ShapesWorld examples to disk in the captioned-image-folder format.

The format (``images/*.png`` + ``captions.jsonl`` + ``knowledge.txt``) is also what
training accepts for users' own data, so exported data can be inspected, edited and fed
back, or fed to other tools.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from kg2img.atomic import atomic_write_bytes, atomic_write_text
from shapes_world import Split, iter_split, render, spec
from shapes_world.dataset import split_knowledge


def export_shapes(
    out_dir: Path,
    n: int,
    seed: int = 0,
    split: Split = "train",
    size: int = spec.CANVAS_SIZE,
) -> Path:
    """Write ``n`` examples as ``images/<id>.png``, ``captions.jsonl`` and ``knowledge.txt``.

    Every file is written to a temporary name and renamed, so an interrupted export never
    leaves a half-written file behind.

    Args:
        out_dir: Destination folder (created if missing).
        n: Number of examples.
        seed: Data seed; the same seed gives the same files.
        split: ``train``, ``val``, ``test`` or ``zero-shot``.
        size: Image width and height in pixels (the spec's 64 by default).

    Returns:
        The path of ``captions.jsonl``.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    images = out_dir / "images"
    images.mkdir(parents=True, exist_ok=True)
    lines = []
    for example in iter_split(seed, split, n):
        png = images / f"{example.id}.png"
        buffer = io.BytesIO()
        render(example.scene, size).save(buffer, format="PNG")
        atomic_write_bytes(png, buffer.getvalue())
        record = {"image": f"images/{png.name}", **example.to_json()}
        lines.append(json.dumps(record, sort_keys=True) + "\n")
    captions = out_dir / "captions.jsonl"
    atomic_write_text(captions, "".join(lines))
    atomic_write_text(out_dir / "knowledge.txt", split_knowledge(split))
    return captions
