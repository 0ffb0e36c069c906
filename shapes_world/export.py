"""Write ShapesWorld examples to disk: as an annotation folder or in COCO format.

Both are formats training reads for users' own data (``--data DIR``,
``--data coco:DIR/instances.json,DIR/captions.json``), so exported data can be
inspected, edited and fed back, or fed to other tools.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

from kg2img.atomic import atomic_write_bytes
from pipeline.annotations import write_annotation_folder
from pipeline.coco import write_coco
from shapes_world import Split, iter_split, render, spec
from shapes_world.adapter import annotate
from shapes_world.dataset import split_knowledge

#: ``schema``: ``annotations.jsonl`` (the project's schema); ``coco``: COCO JSON files.
FORMATS = ("schema", "coco")


def export_shapes(
    out_dir: Path,
    n: int,
    seed: int = 0,
    split: Split = "train",
    size: int = spec.CANVAS_SIZE,
    format: str = "schema",
    fresh_concept_rate: float = 0.0,
) -> Path:
    """Write ``n`` examples: ``images/<id>.png`` plus the annotations and ``knowledge.txt``.

    Every file is written to a temporary name and renamed, so an interrupted export never
    leaves a half-written file behind.

    Args:
        out_dir: Destination folder (created if missing).
        n: Number of examples.
        seed: Data seed; the same seed gives the same files.
        split: ``train``, ``val``, ``test`` or ``zero-shot``.
        size: Image width and height in pixels (the spec's 64 by default).
        format: ``schema`` (``annotations.jsonl``) or ``coco`` (``instances.json`` and
            ``captions.json``).
        fresh_concept_rate: Share of concept objects that instantiate a newly invented
            concept (defined in the knowledge), as training uses.

    Returns:
        The path of ``annotations.jsonl`` (or ``instances.json``).
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    from pipeline.annotations import AnnotatedDataset

    images = out_dir / "images"
    images.mkdir(parents=True, exist_ok=True)
    records = []
    for example in iter_split(seed, split, n, 0, fresh_concept_rate):
        png = images / f"{example.id}.png"
        buffer = io.BytesIO()
        render(example.scene, size).save(buffer, format="PNG")
        atomic_write_bytes(png, buffer.getvalue())
        records.append(dataclasses.replace(annotate(example), image=f"images/{png.name}"))
    dataset = AnnotatedDataset(records, [split_knowledge(split)], root=out_dir)
    if format == "coco":
        return write_coco(dataset, out_dir, (size, size))[0]
    return write_annotation_folder(dataset, out_dir)
