"""Fashion-MNIST's four IDX files, read with numpy (no torchvision).

Debian's ``dataset-fashion-mnist`` puts them in :data:`DEFAULT_SOURCE`; any folder with
the same four files (gzipped or not) works. A small sample of test items ships with the
package (:data:`SAMPLE_SOURCE`), so tests and demos run without the data set.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

import numpy as np

DEFAULT_SOURCE: Final = Path("/usr/share/datasets/fashion-mnist")
#: 20 test items per class, with Fashion-MNIST's MIT licence beside them.
SAMPLE_SOURCE: Final = Path(__file__).parent / "data" / "sample"

Part = Literal["train", "test"]
_FILES: Final = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
_IMAGES_MAGIC: Final = 2051
_LABELS_MAGIC: Final = 2049


class FashionMNISTError(ValueError):
    """A Fashion-MNIST file is missing or malformed (the message names it)."""


@dataclass(frozen=True)
class Items:
    """Items of one part: ``images`` ``(N, 28, 28)`` uint8 and ``labels`` ``(N,)`` int64."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return int(self.labels.shape[0])


def _find(source: Path, name: str) -> Path:
    for candidate in (source / f"{name}.gz", source / name):
        if candidate.is_file():
            return candidate
    raise FashionMNISTError(
        f"{source / name}.gz: not found (apt-get install dataset-fashion-mnist, or pass a "
        "folder with the four Fashion-MNIST files)"
    )


def _read_idx(path: Path, magic: int, dims: int) -> np.ndarray:
    try:
        if path.suffix == ".gz":
            with gzip.open(path) as handle:
                raw = handle.read()
        else:
            raw = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise FashionMNISTError(f"{path}: unreadable ({error})") from None
    header = 4 + 4 * dims
    if len(raw) < header or int.from_bytes(raw[:4], "big") != magic:
        raise FashionMNISTError(f"{path}: not an IDX file of {dims} dimension(s)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    if len(raw) - header != int(np.prod(shape)):
        raise FashionMNISTError(f"{path}: {len(raw) - header} data bytes for shape {shape}")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(shape)


def read_items(source: Path, part: Part) -> Items:
    """The images and labels of ``train`` (60,000) or ``test`` (10,000) items.

    Raises:
        FashionMNISTError: A file is missing, truncated or of the wrong kind, or the two
            files disagree.
    """
    image_name, label_name = _FILES[part]
    images = _read_idx(_find(source, image_name), _IMAGES_MAGIC, 3)
    labels = _read_idx(_find(source, label_name), _LABELS_MAGIC, 1)
    if images.shape[1:] != (28, 28) or images.shape[0] != labels.shape[0]:
        raise FashionMNISTError(
            f"{source}: {images.shape[0]} images of {images.shape[1:]} for {labels.shape[0]} labels"
        )
    if labels.size and int(labels.max()) > 9:
        raise FashionMNISTError(f"{source / label_name}: label {int(labels.max())} out of 0–9")
    return Items(images, labels.astype(np.int64))


def write_items(items: Items, out: Path, part: Part) -> None:
    """Write items as the two gzipped IDX files of ``part`` (the sample's format)."""
    from kg2img.atomic import atomic_write_bytes

    image_name, label_name = _FILES[part]
    n = len(items)
    images = (_IMAGES_MAGIC.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in (n, 28, 28))
              + items.images.astype(np.uint8).tobytes())  # fmt: skip
    labels = (
        _LABELS_MAGIC.to_bytes(4, "big")
        + n.to_bytes(4, "big")
        + items.labels.astype(np.uint8).tobytes()
    )
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / f"{image_name}.gz", gzip.compress(images, mtime=0))
    atomic_write_bytes(out / f"{label_name}.gz", gzip.compress(labels, mtime=0))


def default_source() -> Path:
    """The installed data set if present, else the packaged sample."""
    return (
        DEFAULT_SOURCE
        if (DEFAULT_SOURCE / "t10k-labels-idx1-ubyte.gz").is_file()
        else SAMPLE_SOURCE
    )
