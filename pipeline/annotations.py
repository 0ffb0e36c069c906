"""The training-data schema: annotated images, independent of any world or data set.

One record per image: objects with a category (any string), open attributes
(``{name: value}``, any names), a box ``(x0, y0, x1, y1)`` in image fractions and other
names a caption may use for them; relations between objects (any predicate names); a
caption; optional knowledge text. ShapesWorld, COCO-format files and annotation folders
are adapters that produce it (see :mod:`pipeline.datasets`).

An annotation folder holds ``annotations.jsonl`` (one :meth:`AnnotatedImage.to_json`
record per line), the images it names (paths relative to the folder) and, optionally,
``knowledge.txt`` (text about the data set's concepts).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

#: Written into every record; a record of another version is refused by name.
ANNOTATION_FORMAT = "kg2img-annotations/1"
ANNOTATIONS_FILE = "annotations.jsonl"
KNOWLEDGE_FILE = "knowledge.txt"
#: Largest image read for training, in pixels (a decompression bomb is refused).
MAX_IMAGE_PIXELS = 64_000_000

Box = tuple[float, float, float, float]


class AnnotationError(ValueError):
    """A record, file or folder that does not follow the schema."""


def _text(value: Any, what: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise AnnotationError(f"{what}: expected a non-empty string, got {value!r:.60}")
    return value.strip() if not allow_empty else value


@dataclass(frozen=True)
class AnnotatedObject:
    """One object of an image.

    Attributes:
        category: What it is (any string, e.g. ``dog``, ``circle``).
        box: ``(x0, y0, x1, y1)`` as fractions of the image width and height.
        attributes: ``(name, value)`` pairs, sorted by name (e.g. ``("colour", "red")``).
        names: Other nouns a caption may call it by (e.g. an invented concept's name).
        mask: Optional outline: polygons, each ``(x0, y0, x1, y1, …)`` in image fractions
            (COCO's polygon segmentation, scaled). Carried through import and export;
            training does not read it yet.
    """

    category: str
    box: Box
    attributes: tuple[tuple[str, str], ...] = ()
    names: tuple[str, ...] = ()
    mask: tuple[tuple[float, ...], ...] | None = None

    def __post_init__(self) -> None:
        _text(self.category, "category")
        if len(self.box) != 4 or not all(
            isinstance(v, int | float) and math.isfinite(v) for v in self.box
        ):
            raise AnnotationError(f"box: expected 4 finite numbers, got {self.box!r:.80}")
        x0, y0, x1, y1 = self.box
        if not (-0.01 <= x0 < x1 <= 1.01 and -0.01 <= y0 < y1 <= 1.01):
            raise AnnotationError(
                f"box {tuple(round(v, 4) for v in self.box)}: expected 0 <= x0 < x1 <= 1 and "
                "0 <= y0 < y1 <= 1 (fractions of the image)"
            )
        names = [a for a, _ in self.attributes]
        if names != sorted(set(names)):
            raise AnnotationError("attributes: expected distinct names, sorted")
        if "category" in names:
            raise AnnotationError("attributes: 'category' is the object's category, not one")
        if self.mask is not None and not all(
            len(p) >= 6
            and len(p) % 2 == 0
            and all(isinstance(v, int | float) and -0.01 <= v <= 1.01 for v in p)
            for p in self.mask
        ):
            raise AnnotationError(
                "mask: expected polygons of at least 3 points (x, y, x, y, …) in image fractions"
            )

    @property
    def centre_size(self) -> tuple[float, float, float, float]:
        """``(cx, cy, w, h)`` of the box."""
        x0, y0, x1, y1 = self.box
        return ((x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0)

    def attribute(self, name: str) -> str | None:
        """The value of attribute ``name``, or ``None``."""
        return dict(self.attributes).get(name)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        record: dict[str, Any] = {
            "category": self.category,
            "box": [round(v, 6) for v in self.box],
        }
        if self.attributes:
            record["attributes"] = dict(self.attributes)
        if self.names:
            record["names"] = list(self.names)
        if self.mask is not None:
            record["mask"] = [[round(v, 6) for v in polygon] for polygon in self.mask]
        return record

    @classmethod
    def from_json(cls, data: Any) -> AnnotatedObject:
        """Inverse of :meth:`to_json`, validating every field."""
        if not isinstance(data, dict):
            raise AnnotationError(f"object: expected a JSON object, got {data!r:.60}")
        box = data.get("box")
        if not isinstance(box, list) or len(box) != 4:
            raise AnnotationError(f"object box: expected [x0, y0, x1, y1], got {box!r:.60}")
        attributes = data.get("attributes", {})
        if not isinstance(attributes, dict):
            raise AnnotationError("object attributes: expected {name: value}")
        pairs = tuple(
            sorted(
                (_text(k, "attribute name"), _text(v, f"attribute {k!r}"))
                for k, v in attributes.items()
            )
        )
        names = data.get("names", [])
        if not isinstance(names, list):
            raise AnnotationError("object names: expected a list of strings")
        mask = data.get("mask")
        if mask is not None and (
            not isinstance(mask, list) or not all(isinstance(p, list) for p in mask)
        ):
            raise AnnotationError("object mask: expected a list of polygons [x, y, x, y, …]")
        return cls(
            _text(data.get("category"), "object category"),
            tuple(float(v) if isinstance(v, int | float) else v for v in box),  # type: ignore[arg-type]
            pairs,
            tuple(_text(n, "object name") for n in names),
            tuple(tuple(polygon) for polygon in mask) if mask is not None else None,
        )


@dataclass(frozen=True)
class AnnotatedRelation:
    """``objects[subject] predicate objects[object]``."""

    subject: int
    predicate: str
    object: int


@dataclass(frozen=True)
class AnnotatedImage:
    """One training image with its annotation.

    Attributes:
        id: Identifier (unique within a data set).
        caption: A description of the image (may be empty: the graph then comes from the
            annotation).
        objects: Its objects.
        relations: Relations between them.
        knowledge: Text about this image's concepts (added to the data set's knowledge).
        image: Path of the image file, relative to the data set's folder (``None`` for
            worlds that render images on demand).
    """

    id: str
    caption: str
    objects: tuple[AnnotatedObject, ...]
    relations: tuple[AnnotatedRelation, ...] = ()
    knowledge: str = ""
    image: str | None = None

    def __post_init__(self) -> None:
        _text(self.id, "id")
        for r in self.relations:
            if not (0 <= r.subject < len(self.objects) and 0 <= r.object < len(self.objects)):
                raise AnnotationError(
                    f"relation {r.subject} {r.predicate} {r.object}: no such object "
                    f"(the image has {len(self.objects)})"
                )
            _text(r.predicate, "relation predicate")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (one line of ``annotations.jsonl``)."""
        record: dict[str, Any] = {
            "format": ANNOTATION_FORMAT,
            "id": self.id,
            "caption": self.caption,
            "objects": [o.to_json() for o in self.objects],
            "relations": [[r.subject, r.predicate, r.object] for r in self.relations],
        }
        if self.knowledge:
            record["knowledge"] = self.knowledge
        if self.image is not None:
            record["image"] = self.image
        return record

    @classmethod
    def from_json(cls, data: Any) -> AnnotatedImage:
        """Inverse of :meth:`to_json`, validating every field.

        Raises:
            AnnotationError: Naming the first problem.
        """
        if not isinstance(data, dict):
            raise AnnotationError("expected a JSON object per line")
        version = data.get("format", ANNOTATION_FORMAT)
        if version != ANNOTATION_FORMAT:
            raise AnnotationError(f"format {version!r:.40}; this kg2img reads {ANNOTATION_FORMAT}")
        objects = data.get("objects")
        if not isinstance(objects, list):
            raise AnnotationError("objects: expected a list")
        relations = []
        raw_relations = data.get("relations", [])
        if not isinstance(raw_relations, list):
            raise AnnotationError("relations: expected a list of [subject, predicate, object]")
        for item in raw_relations:
            if (
                not isinstance(item, list)
                or len(item) != 3
                or not all(isinstance(item[i], int) for i in (0, 2))
            ):
                raise AnnotationError(
                    f"relation {item!r:.60}: expected [subject index, predicate, object index]"
                )
            relations.append(AnnotatedRelation(item[0], _text(item[1], "predicate"), item[2]))
        image = data.get("image")
        if image is not None:
            _text(image, "image")
        return cls(
            id=_text(str(data.get("id", "")), "id"),
            caption=_text(data.get("caption", ""), "caption", allow_empty=True),
            objects=tuple(AnnotatedObject.from_json(o) for o in objects),
            relations=tuple(relations),
            knowledge=_text(data.get("knowledge", ""), "knowledge", allow_empty=True),
            image=image,
        )


@dataclass
class AnnotatedDataset:
    """Annotated images plus what the data set says as a whole.

    Attributes:
        images: The records.
        knowledge: Texts about the data set's concepts (extracted into the knowledge KG).
        root: Folder the records' image paths are relative to.
        render: Draws a record's image when it has no file (synthetic worlds).
        model_defaults: Settings the data set asks of a model trained on it
            (``ModelConfig`` fields, e.g. a palette to snap to); a config may override them.
    """

    images: list[AnnotatedImage]
    knowledge: list[str] = field(default_factory=list)
    root: Path | None = None
    render: Callable[[AnnotatedImage], np.ndarray] | None = None
    model_defaults: Mapping[str, Any] = field(default_factory=dict)

    def pixels(self, record: AnnotatedImage) -> np.ndarray:
        """The ``(H, W, 3)`` uint8 image of a record.

        Raises:
            AnnotationError: Naming the file when it is missing or not an image.
        """
        if record.image is None:
            if self.render is None:
                raise AnnotationError(f"{record.id}: no image file and nothing to render it")
            return self.render(record)
        path = (self.root or Path()) / record.image
        return read_image(path)


def read_image(path: Path) -> np.ndarray:
    """An image file as ``(H, W, 3)`` uint8 RGB.

    Raises:
        AnnotationError: Naming the file when it is missing, too large or not an image.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise AnnotationError(
                    f"{path}: {image.width}×{image.height} pixels; at most {MAX_IMAGE_PIXELS:,}"
                )
            return np.asarray(image.convert("RGB"))
    except FileNotFoundError:
        raise AnnotationError(f"{path}: no such image") from None
    except (UnidentifiedImageError, OSError) as error:
        raise AnnotationError(f"{path}: not a readable image ({error})") from None


def write_annotation_folder(dataset: AnnotatedDataset, folder: Path) -> Path:
    """Write ``annotations.jsonl`` (and ``knowledge.txt``) atomically; returns the JSONL path.

    Images are not written here: the records name files the caller has put in place.
    """
    from kg2img.atomic import atomic_write_text

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ANNOTATIONS_FILE
    atomic_write_text(
        path, "".join(json.dumps(r.to_json(), sort_keys=True) + "\n" for r in dataset.images)
    )
    if dataset.knowledge:
        atomic_write_text(folder / KNOWLEDGE_FILE, "\n\n".join(dataset.knowledge) + "\n")
    return path


def read_annotation_folder(folder: Path) -> AnnotatedDataset:
    """Read an annotation folder (``annotations.jsonl`` + images + ``knowledge.txt``).

    Raises:
        AnnotationError: Naming the file and line of the first bad record.
    """
    path = folder / ANNOTATIONS_FILE
    if not path.is_file():
        raise AnnotationError(
            f"{folder}: not an annotation folder (no {ANNOTATIONS_FILE}); for COCO-format "
            "files use coco:INSTANCES.json"
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise AnnotationError(f"{path}: not UTF-8 text ({error.reason})") from None
    images, seen = [], set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = AnnotatedImage.from_json(json.loads(line))
        except json.JSONDecodeError as error:
            raise AnnotationError(f"{path}:{number}: invalid JSON ({error.msg})") from None
        except (AnnotationError, TypeError, ValueError) as error:
            raise AnnotationError(f"{path}:{number}: {error}") from None
        if record.id in seen:
            raise AnnotationError(f"{path}:{number}: id {record.id!r} used twice")
        seen.add(record.id)
        images.append(record)
    if not images:
        raise AnnotationError(f"{path}: no records")
    knowledge_file = folder / KNOWLEDGE_FILE
    knowledge = [knowledge_file.read_text(encoding="utf-8")] if knowledge_file.is_file() else []
    return AnnotatedDataset(images, knowledge, root=folder)


def box_separation(a: Box, b: Box) -> float:
    """How far apart two boxes are: the larger axis gap (negative: they overlap that deep)."""
    gap_x = max(a[0], b[0]) - min(a[2], b[2])
    gap_y = max(a[1], b[1]) - min(a[3], b[3])
    return max(gap_x, gap_y)


def iter_pairs(images: Iterable[AnnotatedImage]) -> Iterable[tuple[Box, Box]]:
    """Every unordered pair of object boxes within one image."""
    for record in images:
        boxes = [o.box for o in record.objects]
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                yield boxes[i], boxes[j]


#: ``schema``: ``annotations.jsonl`` (the project's schema); ``coco``: COCO JSON files.
EXPORT_FORMATS = ("schema", "coco")


def export_dataset(dataset: AnnotatedDataset, out_dir: Path, format: str = "schema") -> Path:
    """Write a data set's images (``images/<id>.png``) and annotations to ``out_dir``.

    Every file is written to a temporary name and renamed, so an interrupted export never
    leaves a half-written file behind.

    Args:
        dataset: The records; images are read or rendered through ``dataset.pixels``.
        out_dir: Destination folder (created if missing).
        format: ``schema`` (``annotations.jsonl``) or ``coco`` (``instances.json`` and
            ``captions.json``; every image must have the first one's size).

    Returns:
        The path of ``annotations.jsonl`` (or ``instances.json``).
    """
    import dataclasses
    import io

    from PIL import Image

    from kg2img.atomic import atomic_write_bytes

    if format not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    folder = out_dir / "images"
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    size: tuple[int, int] | None = None
    for record in dataset.images:
        pixels = dataset.pixels(record)
        size = size or (pixels.shape[1], pixels.shape[0])
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="PNG")
        png = folder / f"{record.id}.png"
        atomic_write_bytes(png, buffer.getvalue())
        records.append(dataclasses.replace(record, image=f"images/{png.name}"))
    written = AnnotatedDataset(records, list(dataset.knowledge), root=out_dir)
    if format == "coco":
        from pipeline.coco import write_coco

        return write_coco(written, out_dir, size or (0, 0))[0]
    return write_annotation_folder(written, out_dir)
