"""The work behind ``kg2img generate``: resolve queries to graphs and write result folders.

Each query's folder holds ``000.png …`` (64×64), ``grid.png``, ``graph.ttl`` (the exact
conditioning graph after enrichment) and ``meta.json`` (model, seed, triples with their
source sentences). Every file is written atomically.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from PIL import Image
from rdflib import RDF, Graph, URIRef

from kg2img.atomic import atomic_write_bytes, atomic_write_text
from kg_extract.store import GraphStore, check_query, load_rdf_file
from kg_extract.subgraph import find_nodes
from kg_extract.vocab import ATTRIBUTE_PROPERTY, KG, SPATIAL_PROPERTY, IRIs
from pipeline.generate import (
    GenerationResult,
    NothingToDrawError,
    Pipeline,
    SceneTooLargeError,
)
from pipeline.samples import image_grid_png


@dataclass(frozen=True)
class GenerateRequest:
    """One ``kg2img generate`` call (exactly one of the query fields is set)."""

    text: str | None = None
    prompts: Path | None = None
    graph: Path | None = None
    sparql: str | None = None
    entity: str | None = None
    n: int = 4
    seed: int = 0
    out_dir: Path = Path("generated")
    allow_service: bool = False


def scene_json_to_rdf(data: dict[str, Any], source: str = "graph") -> Graph:
    """A scene graph in the ``captions.jsonl`` JSON form → RDF.

    ``{"objects": [{"id": 0, "shape": "circle", "colour": "red", "size": "small",
    "concept": null}, …], "relations": [[0, "left_of", 1], …]}``

    Raises:
        ValueError: On an unknown attribute value, relation or object id.
    """
    iris = IRIs()
    graph = Graph()
    nodes: dict[Any, URIRef] = {}
    try:
        for k, obj in enumerate(data["objects"]):
            node = iris.instance(source, k)
            nodes[obj.get("id", k)] = node
            graph.add((node, RDF.type, KG.Object))
            if obj.get("concept"):
                graph.add((node, RDF.type, iris.concept(str(obj["concept"]))))
            for attribute, prop in ATTRIBUTE_PROPERTY.items():
                value = obj.get(attribute)
                if value is not None and not isinstance(value, str):
                    raise ValueError(f"object {k}: {attribute} must be a string")
                if value:
                    graph.add((node, prop, iris.value(value)))
        for number, relation in enumerate(data.get("relations", [])):
            if not isinstance(relation, list) or len(relation) != 3:
                raise ValueError(f"relation {number} is not [subject id, relation, object id]")
            subject, predicate, obj = relation
            if predicate not in SPATIAL_PROPERTY:
                raise ValueError(f"unknown relation {str(predicate)[:40]!r}")
            graph.add((nodes[subject], SPATIAL_PROPERTY[predicate], nodes[obj]))
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a scene graph ({error!r})") from error
    return graph


def read_graph_file(path: Path) -> Graph:
    """A scene graph from Turtle/N-Triples/N-Quads/TriG/JSON-LD or the JSON scene form."""
    if path.suffix.lower() == ".json":
        try:
            graph = scene_json_to_rdf(json.loads(path.read_text(encoding="utf-8")), path.stem)
        except (json.JSONDecodeError, ValueError) as error:
            raise ValueError(f"{path}: {error}") from error
        return _with_objects(graph, path)
    parsed = load_rdf_file(path)
    graph = Graph()
    for s, p, o in parsed.triples((None, None, None)):
        graph.add((s, p, o))
    return _with_objects(graph, path)


def _with_objects(graph: Graph, path: Path) -> Graph:
    if (None, RDF.type, KG.Object) not in graph:
        raise ValueError(f"{path}: the graph has no kg:Object to draw")
    return graph


def _write_result(folder: Path, result: GenerationResult, meta: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, image in enumerate(result.images):
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, format="PNG")
        atomic_write_bytes(folder / f"{k:03d}.png", buffer.getvalue())
    stack = (
        torch.from_numpy(__import__("numpy").stack(result.images)).permute(0, 3, 1, 2).float()
        / 127.5
        - 1
    )
    atomic_write_bytes(
        folder / "grid.png", image_grid_png(stack, columns=min(8, len(result.images)))
    )
    atomic_write_text(folder / "graph.ttl", result.graph.serialize(format="turtle"))
    triples = [
        {"subject": str(s), "predicate": str(p), "object": str(o)}
        for s, p, o in sorted(result.graph)
    ]
    meta = {
        **meta,
        "objects": [str(o) for o in result.objects],
        "boxes": result.boxes.tolist(),
        "triples": triples,
        "sources": result.source,
        "not_honoured": result.not_honoured,
    }
    atomic_write_text(folder / "meta.json", json.dumps(meta, indent=1))
    return folder


def entity_graph(pipeline: Pipeline, store: GraphStore, label: str) -> Graph:
    """A one-object scene: an instance of the concept labelled ``label`` in the store."""
    nodes = [n for n in find_nodes(store, label) if "/concept/" in str(n)]
    if not nodes:
        raise NothingToDrawError(f"no concept labelled {label!r} in the store")
    return pipeline.concept_instance(nodes[0])


def run_generate(
    request: GenerateRequest,
    model_dir: Path | None,
    knowledge: list[Path],
    store: GraphStore | None,
    warn: Callable[[str], None] = lambda line: None,
) -> Iterator[Path]:
    """Generate for each query of the request and yield the folders written.

    ``warn`` is called with each stated fact that the images do not show (also listed
    under ``not_honoured`` in ``meta.json``).
    """
    texts = [p.read_text(encoding="utf-8") for p in knowledge]
    if store is not None:
        pipeline = Pipeline.load(model_dir, knowledge_texts=texts, store=store)
    else:
        # User knowledge adds to the model's own rather than replacing it.
        pipeline = Pipeline.load(model_dir, extra_knowledge=texts)
    meta = {"model": str(model_dir or "shipped"), "seed": request.seed, "n": request.n}
    queries: list[tuple[Path, str | Graph, dict[str, Any]]] = []
    if request.text is not None:
        queries.append((request.out_dir, request.text, {"query": {"text": request.text}}))
    elif request.prompts is not None:
        lines = request.prompts.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if line.strip():
                queries.append(
                    (request.out_dir / str(number), line.strip(), {"query": {"text": line}})
                )
        if not queries:
            raise ValueError(f"{request.prompts}: no descriptions")
    elif request.graph is not None:
        graph = read_graph_file(request.graph)
        queries.append((request.out_dir, graph, {"query": {"graph": str(request.graph)}}))
    elif request.sparql is not None:
        assert store is not None
        form = check_query(request.sparql, allow_service=request.allow_service)
        if form != "CONSTRUCT":
            raise ValueError(f"--sparql needs a CONSTRUCT query (got {form})")
        constructed = store.query(request.sparql).graph
        assert constructed is not None
        queries.append((request.out_dir, constructed, {"query": {"sparql": request.sparql}}))
    elif request.entity is not None:
        assert store is not None
        graph = entity_graph(pipeline, store, request.entity)
        queries.append((request.out_dir, graph, {"query": {"entity": request.entity}}))
    failed = []
    for folder, query, extra in queries:
        try:
            result = pipeline.generate(query, n=request.n, seed=request.seed)
        except (NothingToDrawError, SceneTooLargeError) as error:
            if request.prompts is None:
                raise
            warn(f"{request.prompts}:{folder.name}: {error}")  # the other lines go on
            failed.append(folder.name)
            continue
        for line in result.not_honoured:
            warn(f"{folder}: {line}")
        yield _write_result(folder, result, {**meta, **extra})
    if failed:
        raise NothingToDrawError(
            f"{request.prompts}: {len(failed)} of {len(queries)} lines could not be drawn "
            f"(line {', '.join(failed[:20])}{' …' if len(failed) > 20 else ''})"
        )
