"""Training data sources by name: ``shapes``, ``fashion``, ``coco:…``, or a folder.

Each source is a data adapter in :data:`kg2img.registry.data_adapters`, called with the
text after its prefix and the run's :class:`DataOptions`, returning an
:class:`~pipeline.annotations.AnnotatedDataset`. A user adds a source by registering an
adapter under a new prefix (or through the ``kg2img.data_adapters`` entry point group)::

    from kg2img.registry import data_adapters

    @data_adapters.register("mydata")
    def my_data(argument: str, options: DataOptions) -> AnnotatedDataset: ...

and trains with ``kg2img train --data mydata:ARGUMENT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg2img.registry import data_adapters
from pipeline.annotations import AnnotatedDataset, AnnotationError, read_annotation_folder
from pipeline.coco import read_coco


@dataclass(frozen=True)
class DataOptions:
    """What a run tells its data adapter.

    Attributes:
        images: Image folder (COCO: where ``file_name`` paths are relative to;
            FashionScenes: the folder of the four Fashion-MNIST files).
        seed: Data seed (generated worlds).
        n: Number of examples (generated worlds).
        fresh_concept_rate: Invented-concept augmentation (ShapesWorld); the share of
            items named by a training-pool hyponym word (FashionScenes).
    """

    images: str = ""
    seed: int = 0
    n: int = 6000
    fresh_concept_rate: float = 0.5


@data_adapters.register("shapes")
def _shapes(argument: str, options: DataOptions) -> AnnotatedDataset:
    from shapes_world.adapter import shapes_dataset  # the built-in world's adapter

    split = argument or "train"
    return shapes_dataset(options.seed, split, options.n, options.fresh_concept_rate)  # type: ignore[arg-type]


@data_adapters.register("fashion")
def _fashion(argument: str, options: DataOptions) -> AnnotatedDataset:
    from fashion_scenes.dataset import SPLITS, fashion_dataset  # the built-in world

    split = argument or "train"
    if split not in SPLITS:
        raise AnnotationError(f"--data fashion:{split}: expected one of {', '.join(SPLITS)}")
    source = Path(options.images) if options.images else None
    return fashion_dataset(split, options.n, options.seed, source, options.fresh_concept_rate)  # type: ignore[arg-type]


@data_adapters.register("coco")
def _coco(argument: str, options: DataOptions) -> AnnotatedDataset:
    parts = [p for p in argument.split(",") if p]
    if not 1 <= len(parts) <= 2:
        raise AnnotationError("--data coco:INSTANCES.json[,CAPTIONS.json]")
    instances = Path(parts[0])
    captions = Path(parts[1]) if len(parts) == 2 else None
    images = Path(options.images) if options.images else None
    return read_coco(instances, captions, images)


@data_adapters.register("folder")
def _folder(argument: str, options: DataOptions) -> AnnotatedDataset:
    del options
    return read_annotation_folder(Path(argument))


def load_dataset(source: str, options: DataOptions | None = None) -> AnnotatedDataset:
    """The data set a ``--data`` value names.

    ``shapes`` (or ``shapes:SPLIT``), ``fashion`` (or ``fashion:SPLIT``),
    ``coco:INSTANCES.json[,CAPTIONS.json]``,
    ``folder:DIR`` or a bare folder path, or ``PREFIX:ARGUMENT`` for a registered adapter.

    Raises:
        AnnotationError: For an unknown prefix or unreadable data.
    """
    options = options or DataOptions()
    prefix, sep, argument = source.partition(":")
    if not sep and prefix not in data_adapters.names():
        prefix, argument = "folder", source
    if sep and len(prefix) == 1:  # a Windows drive letter, not a prefix
        prefix, argument = "folder", source
    try:
        adapter = data_adapters.get(prefix)
    except KeyError as error:
        raise AnnotationError(f"--data {source[:80]!r}: {error.args[0]}") from None
    return adapter(argument, options)
