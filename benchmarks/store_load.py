"""A store of at least 1M triples: neighbourhood and entity-generation latency (JSON out).

Builds an embedded store from the ShapesWorld knowledge corpus plus extracted captions
replicated under distinct document ids until it holds ``--triples`` quads, then measures
after load (target p50 ≤ 50 ms):

- ``kg2img subgraph --entity glorp --hops 1``: label look-up + neighbourhood;
- ``kg2img generate --entity glorp`` minus file writing: look-up, one-object scene,
  enrichment from the store, GNN, layout sampling, generator (one image).

Usage: python benchmarks/store_load.py [--triples 1000000] [--out FILE]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import URIRef

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from kg_extract import ExtractConfig, Extractor
from kg_extract.store import OxigraphStore
from kg_extract.subgraph import find_nodes, neighbourhood
from pipeline.generate import Pipeline
from shapes_world import iter_split
from shapes_world.concepts import knowledge_corpus


def build(store: OxigraphStore, target: int) -> float:
    """Fill the store to ``target`` quads; return the seconds it took."""
    started = time.perf_counter()
    extractor = Extractor(ExtractConfig())
    texts = [knowledge_corpus()] + [e.caption for e in iter_split(0, "train", 400)]
    extracted = [(e, list(extractor.quads(e))) for e in extractor.extract_texts(texts)]
    copy = 0
    while len(store) < target:
        for doc, quads in extracted:
            graph = extractor.mapper.iris.document(f"{doc.document.doc_id}-copy-{copy}")
            prefix = str(extractor.mapper.iris.document(doc.document.doc_id))

            def rename(term: object, prefix: str = prefix, graph: URIRef = graph) -> object:
                if isinstance(term, URIRef) and str(term).startswith(prefix):
                    return URIRef(str(term).replace(prefix, str(graph), 1))
                return term

            renamed = [(rename(s), rename(p), rename(o), graph) for s, p, o, _ in quads]
            store.replace_document(graph, renamed)  # type: ignore[arg-type]
        copy += 1
    store.flush()
    return time.perf_counter() - started


def p50(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def main() -> None:
    target = (
        int(sys.argv[sys.argv.index("--triples") + 1]) if "--triples" in sys.argv else 1_000_000
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        build_seconds = build(OxigraphStore(path), target)
        store = OxigraphStore(path, read_only=True)
        size = len(store)
        pipeline = Pipeline.load(store=store)
        subgraph_times, generate_times = [], []
        for k in range(30):
            started = time.perf_counter()
            neighbourhood(store, "glorp", hops=1)
            subgraph_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            concept = next(n for n in find_nodes(store, "glorp") if "/concept/" in str(n))
            pipeline.generate(pipeline.concept_instance(concept), n=1, seed=k)
            generate_times.append(time.perf_counter() - started)
    emit(
        "store_load",
        {
            "quads": size,
            "build_seconds": round(build_seconds, 1),
            "subgraph_entity_hops1_ms_p50": p50(subgraph_times),
            "subgraph_entity_hops1_ms_max": round(max(subgraph_times) * 1000, 2),
            "generate_entity_one_image_ms_p50": p50(generate_times),
            "generate_entity_one_image_ms_max": round(max(generate_times) * 1000, 2),
            "target_ms_p50": 50,
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
