"""Generation: a query (text, scene graph, SPARQL result, entity) → conditioning graph → images.

The :class:`Pipeline` is the library face of the whole system::

    from pipeline import Pipeline
    result = Pipeline.load().generate("a small red circle left of a big blue square", n=4)
    result.images[0]     # RGB uint8 array (64×64 for the shipped ShapesWorld model)
    result.graph         # the exact conditioning graph (rdflib), after enrichment
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from rdflib import RDF, RDFS, Graph, URIRef
from torch import Tensor
from torch_geometric.data import Batch

from generator.placement import relation_holds_at, sample_boxes
from kg_embed.convert import object_iris, to_pyg
from kg_embed.select import enrich
from kg_extract.extraction import ExtractConfig, Extractor
from kg_extract.store import GraphStore, OxigraphStore
from kg_extract.vocab import ATTRIBUTE_PROPERTY, KG, SPATIAL_PROPERTY, IRIs
from pipeline.data import knowledge_store
from pipeline.model import KG2ImgModel, OutputConfig, read_knowledge, write_knowledge

SHIPPED_MODEL = Path(__file__).with_name("shipped")
#: The models that ship with the package, by the name ``--model`` accepts.
SHIPPED_MODELS = {"shapes": SHIPPED_MODEL, "fashion": Path(__file__).with_name("shipped_fashion")}


def shipped_model_dir(name: str) -> Path:
    """The folder of a shipped model (``shapes`` or ``fashion``).

    Raises:
        ValueError: For another name.
    """
    try:
        return SHIPPED_MODELS[name]
    except KeyError:
        raise ValueError(
            f"no shipped model {name!r}; shipped: {', '.join(sorted(SHIPPED_MODELS))}"
        ) from None


def resolve_model(value: Path | None) -> Path | None:
    """A ``--model`` value: a shipped model's name (when no such folder exists) or a folder."""
    if value is not None and not value.exists() and str(value) in SHIPPED_MODELS:
        return SHIPPED_MODELS[str(value)]
    return value


#: Most objects drawn in one image; a larger scene is an error (placement, memory).
MAX_SCENE_OBJECTS = 64
#: Longest description read by :meth:`Pipeline.generate`, in characters.
MAX_DESCRIPTION_CHARS = 10_000


class NothingToDrawError(ValueError):
    """The query names no object the model can draw."""


class SceneTooLargeError(ValueError):
    """The query is longer, or names more objects, than one image is drawn from."""


def decode_images(
    images: Tensor, output: OutputConfig | None = None, snap: bool | None = None
) -> list[np.ndarray]:
    """Generator output ``(B, 3, S, S)`` in ``[-1, 1]`` → ``output.size``-px uint8 RGB arrays.

    With a palette in ``output`` (and ``snap`` not ``False``), each pixel becomes the
    palette colour along whose direction it lies, or the background when it is less than
    half as bright as that colour: for data sets drawn in flat colours, where blends along
    upsampled edges would otherwise read as extra colours. Without a palette, pixels are
    handed out as generated.
    """
    output = output or OutputConfig()
    size = output.size
    pixels = (images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5
    if pixels.shape[-1] != size:
        pixels = F.interpolate(pixels, size=(size, size), mode="bicubic", align_corners=False)
    pixels = pixels.clamp(0, 255).permute(0, 2, 3, 1)
    if output.palette and snap is not False:
        palette = torch.tensor(output.palette, dtype=torch.float32)
        background = torch.tensor(output.background, dtype=torch.float32)
        alpha = (pixels @ palette.T / (palette**2).sum(1)).clamp(0, 1)
        residual = ((pixels[..., None, :] - alpha[..., None] * palette) ** 2).sum(-1)
        best = residual.argmin(-1)
        strength = alpha.gather(-1, best[..., None])[..., 0]
        pixels = torch.where((strength >= 0.5)[..., None], palette[best], background)
    return list(pixels.round().to(torch.uint8).numpy())


def spatial_relations(graph: Graph, objects: list[URIRef]) -> list[tuple[int, str, int]]:
    """Relations between the graph's objects as index triples."""
    index = {o: i for i, o in enumerate(objects)}
    return sorted(
        (index[s], name, index[o])  # type: ignore[index]
        for name, prop in SPATIAL_PROPERTY.items()
        for s, o in graph.subject_objects(prop)
        if s in index and o in index
    )


@dataclass
class GenerationResult:
    """Images for one query and what produced them.

    Attributes:
        images: ``n`` uint8 arrays of 64×64×3.
        graph: The conditioning graph after enrichment.
        objects: Object IRIs in the order their boxes are given.
        boxes: ``(n, M, 4)`` layouts used (``cx, cy, w, h`` as fractions of the image).
        source: Facts of the query with their source sentences, when extracted from text.
        not_honoured: One line per stated fact the images do not (or cannot) show:
            contradictory attributes, values or concepts the model does not know,
            relations that do not hold in some of the layouts.
    """

    images: list[np.ndarray]
    graph: Graph
    objects: list[URIRef]
    boxes: Tensor
    source: list[dict[str, Any]] = field(default_factory=list)
    not_honoured: list[str] = field(default_factory=list)


def not_honoured(
    graph: Graph,
    objects: list[URIRef],
    boxes: Tensor,
    known_words: Iterable[str],
    relation_margin: float = 0.0,
) -> list[str]:
    """The facts of a conditioning graph that images drawn with ``boxes`` do not show.

    Args:
        graph: The conditioning graph (after enrichment).
        objects: Its objects, in the order of ``boxes``' second axis.
        boxes: ``(n, M, 4)`` layouts ``(cx, cy, w, h)``.
        known_words: Attribute values the model has its own embedding for.
        relation_margin: How far apart centres must be for a spatial relation to hold.
    """
    known = set(known_words)
    lines = []
    for index, obj in enumerate(objects):
        name = f"object {index + 1}"
        for attribute, prop in ATTRIBUTE_PROPERTY.items():
            values = sorted(_short(v) for v in graph.objects(obj, prop))
            if len(values) > 1:
                lines.append(
                    f"{name} has {len(values)} values of {attribute} ({', '.join(values)}); "
                    "one image can show at most one"
                )
            lines += [
                f"{name}: {attribute} {v!r} is not a value this model knows (drawn as a guess)"
                for v in values
                if v.lower() not in known
            ]
        concepts = [
            c for c in graph.objects(obj, RDF.type) if isinstance(c, URIRef) and "/concept/" in c
        ]
        described = any(graph.value(obj, prop) is not None for prop in ATTRIBUTE_PROPERTY.values())
        for concept in sorted(concepts):
            defined = any(
                p in ATTRIBUTE_PROPERTY.values() or p == RDFS.subClassOf
                for p in graph.predicates(concept, None)
            )
            if not defined and not described:
                lines.append(
                    f"{name} is a {_short(concept)!r}, which the knowledge does not define: "
                    "its look is a guess"
                )
    relations = spatial_relations(graph, objects)
    for a, relation, b in relations:
        broken = [
            k + 1
            for k in range(boxes.shape[0])
            if not relation_holds_at(
                relation,
                boxes[k, a, 0],
                boxes[k, a, 1],
                boxes[k, b, 0],
                boxes[k, b, 1],
                relation_margin,
            )
        ]
        if broken:
            images = ", ".join(str(k) for k in broken)
            lines.append(
                f"object {a + 1} {relation} object {b + 1} does not hold in image(s) {images}"
                " (contradicted by other relations, or no room)"
            )
    return lines


class Pipeline:
    """Extractor + knowledge + trained model: generate images from graph queries."""

    def __init__(
        self,
        model: KG2ImgModel,
        extractor: Extractor | None = None,
        knowledge: GraphStore | None = None,
        snap: bool = True,
        knowledge_texts: list[str] | None = None,
    ) -> None:
        self.model = model.eval()
        self._extractor = extractor
        self.knowledge = knowledge
        self.snap = snap
        #: The knowledge texts saved with the model by :meth:`save`.
        self.knowledge_texts = list(knowledge_texts or [])

    @property
    def extractor(self) -> Extractor:
        """The text extractor (loaded on first use)."""
        if self._extractor is None:
            self._extractor = Extractor(ExtractConfig())
        return self._extractor

    @classmethod
    def load(
        cls,
        model_dir: Path | None = None,
        knowledge_texts: Iterable[str] | None = None,
        store: GraphStore | None = None,
        snap: bool = True,
        extra_knowledge: Iterable[str] = (),
    ) -> Pipeline:
        """Load a model folder (default: the shipped one) with its knowledge.

        Args:
            model_dir: A model folder, a run folder holding ``model/``, or ``None`` for the
                shipped model.
            knowledge_texts: Texts whose facts are extracted and used for enrichment
                (default, without ``store``: the knowledge saved with the model).
            store: A knowledge store to enrich from instead (e.g. ``--store DIR``);
                ``knowledge_texts`` are added to a copy in memory.
            snap: Snap output pixels to the model's palette, when its config has one.
            extra_knowledge: Texts added to the model's own knowledge (without ``store``).

        Raises:
            CheckpointError: If the folder is not a model folder of this format.
        """
        folder = SHIPPED_MODEL if model_dir is None else model_dir
        if (folder / "model").is_dir():
            folder = folder / "model"
        model = KG2ImgModel.load(folder)
        saved = read_knowledge(folder)
        extractor = Extractor(ExtractConfig())
        texts = list(knowledge_texts or [])
        knowledge: GraphStore | None = store
        if store is None:
            chosen = [*(texts or saved), *extra_knowledge]
            knowledge = knowledge_store(extractor, chosen) if chosen else None
        elif texts:
            extra = knowledge_store(extractor, texts)
            knowledge = _UnionStore(store, extra)
        return cls(model, extractor, knowledge, snap, saved)

    def save(self, folder: Path) -> None:
        """Write the model folder that :meth:`load` reads back.

        Format version, config with vocabularies, weights, and the knowledge texts it was
        loaded with.
        """
        self.model.save(folder)
        write_knowledge(folder, self.knowledge_texts)

    def text_graph(self, text: str) -> tuple[Graph, list[dict[str, Any]]]:
        """The scene graph extracted from a description, with each fact's source sentence.

        Raises:
            SceneTooLargeError: For a description over :data:`MAX_DESCRIPTION_CHARS`.
            NothingToDrawError: If it describes no object.
        """
        if len(text) > MAX_DESCRIPTION_CHARS:
            raise SceneTooLargeError(
                f"the description has {len(text):,} characters; at most "
                f"{MAX_DESCRIPTION_CHARS:,} are read for one image"
            )
        (extracted,) = list(self.extractor.extract_texts([text]))
        graph = self.extractor.fact_graph(extracted)
        facts = extracted.facts
        source = [
            {
                "subject": str(self.extractor.mapper.node(f.subject, facts.doc_id)),
                "predicate": str(self.extractor.mapper.predicate(f.predicate)),
                "object": str(self.extractor.mapper.node(f.object, facts.doc_id)),
                "sentence": facts.sentence_text(f.sentence),
                "start": f.start,
                "end": f.end,
            }
            for f in facts.facts
        ]
        if not list(graph.subjects(RDF.type, KG.Object)):
            understood = sorted(
                {
                    f"{_short(s)} {_short(p)} {_short(o)}"
                    for s, p, o in graph
                    if p != RDF.type or o != KG.Document
                }
            )
            summary = "; ".join(understood[:8]) or "nothing"
            raise NothingToDrawError(f"no object to draw in {text!r}; understood: {summary}")
        return graph, source

    def concept_instance(self, concept: URIRef) -> Graph:
        """A one-object scene graph: an instance of ``concept``."""
        graph = Graph()
        instance = IRIs().instance("query", 0)
        graph.add((instance, RDF.type, KG.Object))
        graph.add((instance, RDF.type, concept))
        return graph

    def condition(self, scene: Graph) -> Graph:
        """Enrich a scene graph with the knowledge about its concepts."""
        config = self.model.config
        return enrich(scene, self.knowledge, config.hops, bool(config.is_a_closure))

    @torch.no_grad()
    def generate(
        self, query: str | Graph, n: int = 4, seed: int = 0, enrich_graph: bool = True
    ) -> GenerationResult:
        """Generate ``n`` images for a description or a scene graph.

        Raises:
            NothingToDrawError: If the query yields no object.
            SceneTooLargeError: If it yields more than :data:`MAX_SCENE_OBJECTS` objects, or
                the description is over :data:`MAX_DESCRIPTION_CHARS` characters.
        """
        source: list[dict[str, Any]] = []
        if isinstance(query, str):
            scene, source = self.text_graph(query)
        else:
            scene = query
        graph = self.condition(scene) if enrich_graph else scene
        objects = object_iris(graph)
        if not objects:
            raise NothingToDrawError("the graph has no kg:Object to draw")
        if len(objects) > MAX_SCENE_OBJECTS:
            raise SceneTooLargeError(
                f"the scene has {len(objects):,} objects; at most {MAX_SCENE_OBJECTS} are drawn "
                "in one image"
            )
        data = to_pyg(graph, self.model.encoder.vocabulary)
        batch = Batch.from_data_list([data] * n)
        encoded = self.model.encode(batch)
        relations = spatial_relations(graph, objects)
        generator = torch.Generator().manual_seed(seed)
        m = len(objects)
        placement = self.model.config.placement
        boxes = torch.stack(
            [
                sample_boxes(
                    encoded.box_mean[i * m : (i + 1) * m],
                    encoded.box_log_std[i * m : (i + 1) * m],
                    encoded.box_size[i * m : (i + 1) * m],
                    relations,
                    placement,
                    generator,
                )
                for i in range(n)
            ]
        )
        z = torch.randn(n, self.model.config.generator.z_dim, generator=generator)
        images = self.model.generate(z, encoded, boxes.reshape(-1, 4))
        missed = not_honoured(
            graph,
            objects,
            boxes,
            self.model.encoder.vocabulary.known,
            placement.relation_margin,
        )
        return GenerationResult(
            decode_images(images, self.model.config.output, self.snap),
            graph,
            objects,
            boxes,
            source,
            missed,
        )


def _short(term: object) -> str:
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _UnionStore:
    """Reads two stores as one (for ``--store`` plus ``--knowledge``)."""

    def __init__(self, first: GraphStore, second: OxigraphStore) -> None:
        self.first, self.second = first, second

    def document_hash(self, document: URIRef) -> str | None:
        return self.first.document_hash(document) or self.second.document_hash(document)

    def replace_document(self, document: URIRef, quads: list[Any]) -> None:
        raise NotImplementedError("read-only union")

    def part_documents(self, document: URIRef) -> list[URIRef]:
        return sorted({*self.first.part_documents(document), *self.second.part_documents(document)})

    def flush(self) -> None:
        """Nothing to write: the union is read-only."""

    def query(self, sparql: str) -> Any:
        a, b = self.first.query(sparql), self.second.query(sparql)
        if a.rows or b.rows:
            rows = tuple(dict.fromkeys(a.rows + b.rows))
            return type(a)(variables=a.variables or b.variables, rows=rows)
        return a


__all__ = [
    "ATTRIBUTE_PROPERTY",
    "MAX_DESCRIPTION_CHARS",
    "MAX_SCENE_OBJECTS",
    "GenerationResult",
    "NothingToDrawError",
    "Pipeline",
    "SceneTooLargeError",
    "decode_images",
    "not_honoured",
    "sample_boxes",
]
