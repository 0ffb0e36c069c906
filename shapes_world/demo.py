"""``kg2img demo``: the whole tour on the built-in data, ending in an HTML report.

1. Writes a small ShapesWorld corpus (the knowledge corpus of every concept, including the
   zero-shot ones, plus a few captions) and extracts it into an embedded KG store.
2. Runs one query of each kind against the shipped model: a description, a description
   naming a training concept, one naming a concept never seen in training (defined only
   in the corpus), a SPARQL CONSTRUCT over the store, and an entity.
3. Writes ``index.html`` with each query, its conditioning graph drawn, the triples with
   the sentences they came from, and the images.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from rdflib import Graph, Literal

from kg2img.atomic import atomic_write_bytes, atomic_write_text
from kg_extract.extraction import ExtractConfig, extract_corpus
from kg_extract.store import OxigraphStore
from kg_extract.vocab import KG
from pipeline.drawing import draw_graph
from pipeline.generate import GenerationResult, Pipeline
from pipeline.generate_cli import entity_graph
from pipeline.report import ReportSection, write_report
from shapes_world import iter_split
from shapes_world.concepts import knowledge_corpus


@dataclass(frozen=True)
class DemoConfig:
    """What the demo does.

    Attributes:
        out_dir: Report folder.
        model_dir: Model to use (``None``: the shipped model).
        images_per_query: Images generated per query.
        captions: ShapesWorld test captions added to the corpus.
        seed: Sampling seed.
    """

    out_dir: Path = Path("demo-report")
    model_dir: Path | None = None
    images_per_query: int = 4
    captions: int = 20
    seed: int = 0


def _short(term: object) -> str:
    text = str(term)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _sentences(store: OxigraphStore, graph: Graph) -> dict[tuple[str, str, str], str]:
    """Source sentence of each triple of ``graph`` that the store has evidence for."""
    rows = store.query(
        f"SELECT ?s ?p ?o ?sentence WHERE {{ ?e {KG.subject.n3()} ?s ; {KG.predicate.n3()} ?p ; "
        f"{KG.object.n3()} ?o ; {KG.sentence.n3()} ?sentence }}"
    ).rows
    wanted = {(str(s), str(p), str(o)) for s, p, o in graph}
    return {
        (str(s), str(p), str(o)): str(t)
        for s, p, o, t in rows
        if (str(s), str(p), str(o)) in wanted
    }


def _section(
    title: str,
    query_text: str,
    result: GenerationResult,
    folder: Path,
    out_dir: Path,
    store: OxigraphStore,
) -> ReportSection:
    folder.mkdir(parents=True, exist_ok=True)
    images = []
    for k, image in enumerate(result.images):
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, format="PNG")
        path = folder / f"{k:03d}.png"
        atomic_write_bytes(path, buffer.getvalue())
        images.append(str(path.relative_to(out_dir)))
    atomic_write_text(folder / "graph.ttl", result.graph.serialize(format="turtle"))
    drawing = draw_graph(result.graph, folder / "graph.png", title="conditioning graph")
    sources = _sentences(store, result.graph)
    for fact in result.source:
        sources.setdefault((fact["subject"], fact["predicate"], fact["object"]), fact["sentence"])
    rows = [["subject", "predicate", "object", "source sentence"]]
    for s, p, o in sorted(result.graph):
        if isinstance(o, Literal):
            continue
        rows.append([_short(s), _short(p), _short(o), sources.get((str(s), str(p), str(o)), "")])
    return ReportSection(
        title=title,
        text=query_text,
        images=images,
        graph_image=str(drawing.relative_to(out_dir)),
        rows=rows,
    )


def run_demo(
    config: DemoConfig,
    log: Callable[[str], None] | None = None,
    more_sections: Sequence[ReportSection] = (),
) -> Path:
    """Run the tour and return the path of ``index.html`` (``more_sections`` go last)."""
    say = log or (lambda message: None)
    out = config.out_dir
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    atomic_write_text(corpus / "knowledge.txt", knowledge_corpus())
    captions = [e.caption for e in iter_split(config.seed, "test", config.captions)]
    atomic_write_text(
        corpus / "captions.jsonl",
        "".join(
            json.dumps({"id": f"caption-{i}", "text": c}) + "\n" for i, c in enumerate(captions)
        ),
    )
    store_dir = out / "kg-store"
    store = OxigraphStore(store_dir)
    summary = extract_corpus([str(corpus)], ExtractConfig(), store=store)
    say(f"knowledge graph: {summary.documents} documents, {len(store)} quads in {store_dir}")
    pipeline = Pipeline.load(config.model_dir, store=store)
    n, seed = config.images_per_query, config.seed
    sections: list[ReportSection] = []

    def add(title: str, query_text: str, query: str | Graph, slug: str) -> None:
        result = pipeline.generate(query, n=n, seed=seed)
        sections.append(_section(title, query_text, result, out / "queries" / slug, out, store))
        say(f"{title}: {len(result.images)} images")

    add(
        "Text",
        "a small red circle to the left of a big blue square",
        "a small red circle to the left of a big blue square",
        "text",
    )
    add(
        "Text naming a concept (knowledge-guided)",
        "A glorp is above a little yellow triangle. — 'glorp' is defined only in the corpus: "
        "'A glorp is a big cyan square.'",
        "A glorp is above a little yellow triangle.",
        "concept",
    )
    add(
        "Zero-shot concept (never in any training caption or image)",
        "A kest is left of a big green circle. — the corpus defines: "
        "'Kests are small. A kest is purple and pointy.'",
        "A kest is left of a big green circle.",
        "zero-shot",
    )
    sparql = (
        "PREFIX kg: <https://kg2img.org/ns#>\n"
        "CONSTRUCT { ?s ?p ?o } WHERE {\n"
        "  GRAPH <https://kg2img.org/doc/caption-3> { ?s a kg:Object ; ?p ?o }\n"
        "  FILTER(?p != kg:contentHash)\n}"
    )
    constructed = store.query(sparql).graph
    assert constructed is not None
    add(
        "SPARQL CONSTRUCT over the store",
        sparql + f"\n(caption: {captions[3]})",
        constructed,
        "sparql",
    )
    add(
        "Entity: the concept 'plonk'",
        "--entity plonk",
        entity_graph(pipeline, store, "plonk"),
        "entity",
    )
    sections.append(
        ReportSection(
            title="Knowledge corpus", code=(corpus / "knowledge.txt").read_text(encoding="utf-8")
        )
    )
    sections.extend(more_sections)
    return write_report(
        out / "index.html",
        "kg2img demo",
        "Each query below was turned into a conditioning graph (drawn, with the source "
        "sentence of every triple) and drawn by the shipped model. Corpus facts reached the "
        f"generator through the knowledge graph in {store_dir.name}/.",
        sections,
    )


__all__ = ["DemoConfig", "run_demo"]
