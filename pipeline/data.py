"""Training data: captioned scenes → extracted, enriched graphs + image and object targets.

Every caption goes through the real extractor (kg_extract) and is enriched with the
knowledge corpus (kg_embed.select), exactly as at generation time; the targets (each
object's attributes and box, the image) come from the scene the caption describes.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from rdflib import Graph
from torch_geometric.data import Data

from kg_embed.convert import LabelVocabulary, to_pyg
from kg_embed.select import enrich
from kg_extract.extraction import Extractor
from kg_extract.scene_graph import SceneGraph, read_scene_graph
from kg_extract.store import OxigraphStore
from shapes_world import Example, Scene, render_array, spec
from shapes_world.captions import StatedObject
from shapes_world.scene import relation_holds


@dataclass(frozen=True)
class CaptionedScene:
    """A caption with the exact scene it describes and, optionally, its own image.

    Attributes:
        id: Identifier.
        caption: The text.
        scene: The exact scene (targets: attributes and positions).
        stated: ``(concept, shape, colour, size)`` of each scene object as the caption
            states it, to match extracted objects to scene objects.
        image: ``(H, W, 3)`` uint8; rendered from the scene if ``None``.
    """

    id: str
    caption: str
    scene: Scene
    stated: tuple[tuple[str | None, ...], ...]
    image: np.ndarray | None = None


def _stated(objects: Iterable[StatedObject]) -> tuple[tuple[str | None, ...], ...]:
    return tuple((o.concept, o.shape, o.colour, o.size) for o in objects)


def from_examples(examples: Iterable[Example]) -> list[CaptionedScene]:
    """ShapesWorld examples as captioned scenes."""
    return [CaptionedScene(e.id, e.caption, e.scene, _stated(e.graph.objects)) for e in examples]


def read_captioned_folder(folder: Path) -> list[CaptionedScene]:
    """Read a captioned image folder (``images/`` + ``captions.jsonl`` with ``scene``).

    Raises:
        ValueError: Naming the file and line of a bad record.
    """
    path = folder / "captions.jsonl"
    if not path.is_file():
        raise ValueError(f"{folder}: no captions.jsonl")
    scenes = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            image = np.asarray(Image.open(folder / record["image"]).convert("RGB"))
            stated = _stated(
                StatedObject(o.get("concept"), o.get("shape"), o.get("colour"), o.get("size"))
                for o in record["graph"]["objects"]
            )
            scene = Scene.from_json(record["scene"])
            scenes.append(CaptionedScene(record["id"], record["caption"], scene, stated, image))
        except (KeyError, ValueError, OSError, TypeError) as error:
            raise ValueError(f"{path}:{number}: bad record ({error})") from error
    return scenes


def knowledge_store(extractor: Extractor, texts: Iterable[str]) -> OxigraphStore:
    """An in-memory store holding the KG extracted from knowledge texts."""
    store = OxigraphStore(None)
    for extracted in extractor.extract_texts(texts):
        iri = extractor.mapper.iris.document(f"knowledge-{extracted.document.doc_id}")
        quads = [(s, p, o, iri) for s, p, o, _ in extractor.quads(extracted)]
        store.replace_document(iri, quads)
    return store


def scene_graphs(extractor: Extractor, captions: list[str]) -> list[Graph]:
    """One rdflib graph per caption with its extracted facts (evidence records left out)."""
    return [extractor.fact_graph(extracted) for extracted in extractor.extract_texts(captions)]


def image_tensor(image: np.ndarray, size: int) -> torch.Tensor:
    """``(H, W, 3)`` uint8 → ``(3, size, size)`` float in ``[-1, 1]``.

    A non-square image is padded with black to a square first, centred, so its aspect
    ratio is kept (a box at image fractions ``(x, y)`` of an ``H × W`` image lands at
    ``(x·W + (S−W)/2) / S, (y·H + (S−H)/2) / S`` with ``S = max(H, W)``). Shrinking
    averages areas; enlarging is bilinear.
    """
    t = torch.from_numpy(np.array(image, dtype=np.uint8)).permute(2, 0, 1).float() / 127.5 - 1.0
    height, width = t.shape[-2:]
    if height != width:
        side = max(height, width)
        top, left = (side - height) // 2, (side - width) // 2
        t = F.pad(t, (left, side - width - left, top, side - height - top), value=-1.0)
    if t.shape[-1] > size:
        t = F.interpolate(t[None], size=(size, size), mode="area")[0]
    elif t.shape[-1] < size:
        t = F.interpolate(t[None], size=(size, size), mode="bilinear", align_corners=False)[0]
    return t


#: Most assignments tried when several objects are described alike (7 alike: 5,040).
MAX_ASSIGNMENTS = 5040


def match_objects(extracted: SceneGraph, item: CaptionedScene) -> list[int] | None:
    """Which scene object each extracted object is, or ``None`` if they do not match.

    Objects are matched by what the caption states about them. Objects described alike
    ("two red circles") are told apart by the extracted relations: of the one-to-one
    assignments, the one under which most of them hold in the scene is taken (the first
    such, so the result is deterministic). More than :data:`MAX_ASSIGNMENTS` candidate
    assignments fall back to mention order.
    """
    objects = item.scene.objects
    if len(extracted.objects) != len(objects):
        return None
    candidates = [
        [i for i, stated in enumerate(item.stated) if stated == o.attributes()]
        for o in extracted.objects
    ]
    if any(not c for c in candidates):
        return None
    if math.prod(len(c) for c in candidates) > MAX_ASSIGNMENTS:
        used: set[int] = set()
        greedy = []
        for options in candidates:
            free = next((i for i in options if i not in used), None)
            if free is None:
                return None
            used.add(free)
            greedy.append(free)
        return greedy
    best: list[int] | None = None
    best_score = -1
    for assignment in itertools.product(*candidates):
        if len(set(assignment)) != len(assignment):
            continue
        score = sum(
            relation_holds(p, objects[assignment[s]], objects[assignment[o]])
            for s, p, o in extracted.relations
        )
        if score > best_score:
            best, best_score = list(assignment), score
    return best


def build_dataset(
    scenes: list[CaptionedScene],
    extractor: Extractor,
    knowledge: OxigraphStore | None,
    hops: int,
    image_size: int,
    vocabulary: LabelVocabulary,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Data], list[str]]:
    """Turn captioned scenes into training graphs with targets.

    Returns:
        The ``Data`` objects (fields of :func:`kg_embed.to_pyg` plus ``y_colour``,
        ``y_shape``, ``y_size`` and ``y_box`` per object and ``image``) and one warning
        per scene left out (an extraction that does not match the scene).
    """
    graphs = scene_graphs(extractor, [s.caption for s in scenes])
    dataset, warnings = [], []
    for k, (item, graph) in enumerate(zip(scenes, graphs, strict=True)):
        order = match_objects(read_scene_graph(graph), item)
        if order is None:
            warnings.append(f"{item.id}: extracted objects do not match the scene; left out")
            continue
        data = to_pyg(enrich(graph, knowledge, hops), vocabulary)
        objects = [item.scene.objects[i] for i in order if i is not None]
        data.y_colour = torch.tensor([spec.COLOURS.index(o.colour) for o in objects])
        data.y_shape = torch.tensor([spec.SHAPES.index(o.shape) for o in objects])
        data.y_size = torch.tensor([spec.SIZES.index(o.size) for o in objects])
        data.y_box = torch.tensor([[o.x, o.y, o.radius] for o in objects], dtype=torch.float32)
        pixels = item.image if item.image is not None else render_array(item.scene)
        data.image = image_tensor(pixels, image_size)[None]
        data.scene_id = item.id
        dataset.append(data)
        if progress is not None:
            progress(k + 1)
    return dataset, warnings
