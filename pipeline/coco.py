"""COCO-format import and export.

COCO, LVIS, CVAT, Label Studio and FiftyOne all write this format.

Read with plain JSON and a field-by-field check rather than ``pycocotools``: kg2img needs
categories, pixel boxes, attributes and captions, not RLE masks or COCO's evaluation, and
plain JSON gives errors that name the file and the entry (``pycocotools`` asserts or
raises ``KeyError`` on malformed files) without a compiled dependency.

What is read: ``images`` (``id``, ``file_name``, ``width``, ``height``), ``annotations``
(``image_id``, ``category_id``, ``bbox`` ``[x, y, width, height]`` in pixels, optional
polygon ``segmentation`` (kept as the object's mask; RLE masks are skipped), optional
``attributes`` ``{name: value}`` as CVAT writes them, optional ``names``: other nouns a
caption may call the object — a kg2img extension), ``categories`` (``id``, ``name``);
from a captions file, ``annotations`` with ``image_id`` and ``caption`` (the first caption
of an image, by annotation id, is used). ``iscrowd`` regions are skipped. COCO has no
relations: they are derived from the boxes as sg2im does
(:func:`generator.placement.derive_relation`). A ``knowledge.txt`` beside the instances
file is read as the data set's knowledge.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.placement import derive_relation
from kg2img.atomic import atomic_write_text
from pipeline.annotations import (
    KNOWLEDGE_FILE,
    AnnotatedDataset,
    AnnotatedImage,
    AnnotatedObject,
    AnnotatedRelation,
    AnnotationError,
)

#: Largest COCO JSON file read, in bytes (COCO 2017 train instances are 448 MB).
MAX_COCO_BYTES = 2_000_000_000


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise AnnotationError(f"{path}: no such file")
    if path.stat().st_size > MAX_COCO_BYTES:
        raise AnnotationError(f"{path}: larger than {MAX_COCO_BYTES:,} bytes")
    try:
        data = json.loads(path.read_bytes())
    except UnicodeDecodeError as error:
        raise AnnotationError(f"{path}: not UTF-8 JSON ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise AnnotationError(
            f"{path}: invalid JSON at line {error.lineno} ({error.msg})"
        ) from None
    if not isinstance(data, dict):
        raise AnnotationError(f"{path}: expected a COCO JSON object, got {type(data).__name__}")
    return data


def _list(data: dict[str, Any], key: str, path: Path, required: bool = True) -> list[Any]:
    value = data.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise AnnotationError(f"{path}: '{key}' must be a list (is it a COCO file?)")
    return value


def _field(entry: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(entry, dict):
        raise AnnotationError(f"{where}: expected a JSON object")
    value = entry.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise AnnotationError(f"{where}.{key}: expected {expected}, got {value!r:.60}")
    return value


def read_coco(
    instances: Path, captions: Path | None = None, images_dir: Path | None = None
) -> AnnotatedDataset:
    """Read COCO-format instances (and captions) into the schema.

    Args:
        instances: The instances JSON (``images``, ``annotations``, ``categories``).
        captions: An optional captions JSON (``annotations`` with ``caption``).
        images_dir: Folder the images' ``file_name`` are relative to (default: the
            instances file's folder).

    Raises:
        AnnotationError: Naming the file and the entry of the first problem.
    """
    data = _load(instances)
    categories: dict[int, str] = {}
    for k, entry in enumerate(_list(data, "categories", instances)):
        where = f"{instances}: categories[{k}]"
        categories[_field(entry, "id", int, where)] = _field(entry, "name", str, where)
    images: dict[int, dict[str, Any]] = {}
    for k, entry in enumerate(_list(data, "images", instances)):
        where = f"{instances}: images[{k}]"
        image_id = _field(entry, "id", int, where)
        width = _field(entry, "width", int, where)
        height = _field(entry, "height", int, where)
        if width <= 0 or height <= 0:
            raise AnnotationError(f"{where}: width and height must be positive")
        if image_id in images:
            raise AnnotationError(f"{where}: image id {image_id} used twice")
        images[image_id] = {
            "file": _field(entry, "file_name", str, where),
            "width": width,
            "height": height,
            "objects": [],
        }
    for k, entry in enumerate(_list(data, "annotations", instances)):
        where = f"{instances}: annotations[{k}]"
        image_id = _field(entry, "image_id", int, where)
        if image_id not in images:
            raise AnnotationError(f"{where}: image_id {image_id} is not in 'images'")
        category = _field(entry, "category_id", int, where)
        if category not in categories:
            raise AnnotationError(f"{where}: category_id {category} is not in 'categories'")
        if entry.get("iscrowd"):
            continue
        bbox = _field(entry, "bbox", list, where)
        if len(bbox) != 4 or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in bbox
        ):
            raise AnnotationError(f"{where}.bbox: expected [x, y, width, height] in pixels")
        image = images[image_id]
        x, y, w, h = (float(v) for v in bbox)
        if w <= 0 or h <= 0:
            continue  # degenerate boxes occur in real exports; nothing to draw
        box = (
            max(0.0, x / image["width"]),
            max(0.0, y / image["height"]),
            min(1.0, (x + w) / image["width"]),
            min(1.0, (y + h) / image["height"]),
        )
        attributes = entry.get("attributes", {})
        names = entry.get("names", [])
        mask = _polygons(entry.get("segmentation"), image["width"], image["height"], where)
        if not isinstance(attributes, dict) or not isinstance(names, list):
            raise AnnotationError(f"{where}: attributes must be {{name: value}}, names a list")
        try:
            obj = AnnotatedObject.from_json(
                {
                    "category": categories[category],
                    "box": list(box),
                    "attributes": {str(k): str(v) for k, v in attributes.items()},
                    "names": names,
                    "mask": mask,
                }
            )
        except AnnotationError as error:
            raise AnnotationError(f"{where}: {error}") from None
        # Objects keep the order of their annotation ids (else of the file).
        order = entry["id"] if isinstance(entry.get("id"), int) else k
        image["objects"].append((order, obj))
    first_caption = _captions(captions, images) if captions is not None else {}
    records = []
    for image_id in sorted(images):
        image = images[image_id]
        objects = tuple(o for _, o in sorted(image["objects"], key=lambda pair: pair[0]))
        relations = tuple(
            AnnotatedRelation(i, relation, j)
            for i in range(len(objects))
            for j in range(i + 1, len(objects))
            if (relation := derive_relation(objects[i].box, objects[j].box)) is not None
        )
        records.append(
            AnnotatedImage(
                id=str(image_id),
                caption=first_caption.get(image_id, ""),
                objects=objects,
                relations=relations,
                image=image["file"],
            )
        )
    if not records:
        raise AnnotationError(f"{instances}: no images")
    knowledge_file = instances.parent / KNOWLEDGE_FILE
    knowledge = [knowledge_file.read_text(encoding="utf-8")] if knowledge_file.is_file() else []
    return AnnotatedDataset(records, knowledge, root=images_dir or instances.parent)


def _polygons(segmentation: Any, width: int, height: int, where: str) -> list[list[float]] | None:
    """COCO polygon segmentation scaled to image fractions (RLE masks are not read)."""
    if not isinstance(segmentation, list) or not segmentation:
        return None  # absent, or RLE (a dict): the box is what kg2img uses
    polygons = []
    for polygon in segmentation:
        if not isinstance(polygon, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in polygon
        ):
            raise AnnotationError(f"{where}.segmentation: expected polygons of numbers")
        scaled = [
            min(1.0, max(0.0, v / (width if i % 2 == 0 else height))) for i, v in enumerate(polygon)
        ]
        if len(scaled) >= 6 and len(scaled) % 2 == 0:
            polygons.append(scaled)
    return polygons or None


def _captions(path: Path, images: dict[int, Any]) -> dict[int, str]:
    data = _load(path)
    found: dict[int, tuple[int, str]] = {}
    for k, entry in enumerate(_list(data, "annotations", path)):
        where = f"{path}: annotations[{k}]"
        image_id = _field(entry, "image_id", int, where)
        caption = _field(entry, "caption", str, where)
        if image_id not in images:
            raise AnnotationError(f"{where}: image_id {image_id} is not in the instances file")
        order = entry["id"] if isinstance(entry.get("id"), int) else k
        if image_id not in found or order < found[image_id][0]:
            found[image_id] = (order, caption.strip())
    return {image_id: caption for image_id, (_, caption) in found.items()}


def write_coco(
    dataset: AnnotatedDataset, out_dir: Path, image_size: tuple[int, int]
) -> tuple[Path, Path]:
    """Write ``instances.json``, ``captions.json`` and ``knowledge.txt`` for a data set.

    The images must already be in ``out_dir`` under the records' ``image`` paths.

    Args:
        dataset: The records (each needs an ``image`` path).
        out_dir: Destination folder.
        image_size: ``(width, height)`` of every image in pixels.

    Returns:
        The instances and captions paths.
    """
    width, height = image_size
    categories = sorted({o.category for r in dataset.images for o in r.objects})
    category_id = {name: k + 1 for k, name in enumerate(categories)}
    images: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    captions: list[dict[str, Any]] = []
    for number, record in enumerate(dataset.images, start=1):
        if record.image is None:
            raise ValueError(f"{record.id}: no image file to name in the COCO export")
        images.append({"id": number, "file_name": record.image, "width": width, "height": height})
        for obj in record.objects:
            x0, y0, x1, y1 = obj.box
            entry: dict[str, Any] = {
                "id": len(annotations) + 1,
                "image_id": number,
                "category_id": category_id[obj.category],
                "bbox": [
                    round(x0 * width, 3),
                    round(y0 * height, 3),
                    round((x1 - x0) * width, 3),
                    round((y1 - y0) * height, 3),
                ],
                "area": round((x1 - x0) * width * (y1 - y0) * height, 3),
                "iscrowd": 0,
                "attributes": dict(obj.attributes),
            }
            if obj.names:
                entry["names"] = list(obj.names)
            if obj.mask is not None:
                entry["segmentation"] = [
                    [round(v * (width if i % 2 == 0 else height), 3) for i, v in enumerate(p)]
                    for p in obj.mask
                ]
            annotations.append(entry)
        if record.caption:
            captions.append(
                {"id": len(captions) + 1, "image_id": number, "caption": record.caption}
            )
    info = {"description": "written by kg2img", "version": "1.0"}
    category_list = [
        {"id": category_id[c], "name": c, "supercategory": "object"} for c in categories
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    instances_path, captions_path = out_dir / "instances.json", out_dir / "captions.json"
    atomic_write_text(
        instances_path,
        json.dumps(
            {
                "info": info,
                "images": images,
                "annotations": annotations,
                "categories": category_list,
            }
        ),
    )
    atomic_write_text(
        captions_path, json.dumps({"info": info, "images": images, "annotations": captions})
    )
    knowledge = [*dataset.knowledge, *(r.knowledge for r in dataset.images if r.knowledge)]
    if knowledge:
        atomic_write_text(out_dir / KNOWLEDGE_FILE, "\n\n".join(knowledge) + "\n")
    return instances_path, captions_path
