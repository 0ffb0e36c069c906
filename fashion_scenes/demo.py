"""The FashionScenes part of ``kg2img demo``.

Real photos beside generated items, scenes from text, and zero-shot words with the
dictionary sentences that explain them.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image
from rdflib import RDF, RDFS, URIRef

from fashion_scenes import spec
from fashion_scenes.dataset import photos
from fashion_scenes.mnist import default_source
from fashion_scenes.scene import Item, render
from kg2img.atomic import atomic_write_bytes
from kg_extract.store import GraphStore
from kg_extract.vocab import KG, IRIs
from pipeline.generate import Pipeline, shipped_model_dir
from pipeline.report import ReportSection

#: Scenes drawn from text in the demo.
SCENE_TEXTS = (
    "A small red dress is left of a large sneaker.",
    "A large blue bag is above a small yellow sandal.",
    "A small green t-shirt is to the right of a large white coat.",
)
#: Zero-shot words (from the test list): never in a training caption.
ZERO_SHOT_TEXTS = (
    ("parka", "A large parka is above a small red sandal."),
    ("raincoat", "A large cyan raincoat."),
    ("mailbag", "A small orange mailbag is left of a large pullover."),
)


def _png(image: np.ndarray, path: Path) -> None:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    atomic_write_bytes(path, buffer.getvalue())


def knowledge_path(store: GraphStore, word: str, max_steps: int = 4) -> list[tuple[str, str]]:
    """The is-a chain from ``word`` to a class name, as ``(edge, source sentence)`` pairs.

    Follows ``rdf:type`` and ``rdfs:subClassOf`` edges between concepts, breadth first;
    empty when no chain of at most ``max_steps`` edges reaches a class.
    """
    iris = IRIs()
    classes = {iris.concept(name): name for name in spec.CLASS_NAMES}
    start = iris.concept(word)
    came_from: dict[URIRef, tuple[URIRef, URIRef] | None] = {start: None}
    frontier = [start]
    for _ in range(max_steps):
        found = [c for c in frontier if c in classes and c != start]
        if found:
            break
        following = []
        for node in frontier:
            rows = store.query(
                f"SELECT ?p ?o WHERE {{ VALUES ?p {{ {RDF.type.n3()} {RDFS.subClassOf.n3()} }} "
                f"{node.n3()} ?p ?o FILTER(STRSTARTS(STR(?o), {str(iris.concept('x'))[:-1]!r})) }}"
            ).rows
            for predicate, target in rows:
                if isinstance(target, URIRef) and target not in came_from:
                    came_from[target] = (node, URIRef(str(predicate)))
                    following.append(target)
        frontier = sorted(following)
    reached = next((c for c in frontier if c in classes and c != start), None)
    if reached is None:
        return []
    chain = []
    node = reached
    while came_from[node] is not None:
        parent, predicate = came_from[node]  # type: ignore[misc]
        chain.append((parent, predicate, node))
        node = parent
    steps = []
    for s, p, o in reversed(chain):
        rows = store.query(
            f"SELECT ?t WHERE {{ ?e {KG.subject.n3()} {s.n3()} ; {KG.predicate.n3()} {p.n3()} ; "
            f"{KG.object.n3()} {o.n3()} ; {KG.sentence.n3()} ?t }} LIMIT 1"
        ).rows
        name = lambda iri: str(iri).rsplit("/", 1)[-1].replace("_", " ")  # noqa: E731
        steps.append((f"{name(s)} is a {name(o)}", str(rows[0][0]) if rows else ""))
    return steps


def fashion_sections(
    out_dir: Path,
    model_dir: Path | None = None,
    images_per_query: int = 4,
    seed: int = 0,
    log: Callable[[str], None] | None = None,
) -> list[ReportSection]:
    """Generate the FashionScenes examples into ``out_dir/fashion`` and describe them."""
    say = log or (lambda message: None)
    folder = out_dir / "fashion"
    folder.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline.load(model_dir or shipped_model_dir("fashion"))
    items = photos(str(default_source()), "test")
    sections = []
    real, made = [], []
    for label, name in enumerate(spec.CLASS_NAMES):
        index = int(np.flatnonzero(items.labels == label)[0])
        corner = (spec.CANVAS_SIZE - spec.SIZE_PIXELS["large"]) // 2
        photo = render((Item(label, index, "white", "large", corner, corner, name),), items.images)
        _png(photo, folder / f"real-{label}.png")
        real.append(f"fashion/real-{label}.png")
        image = pipeline.generate(f"A large {name}.", n=1, seed=seed).images[0]
        _png(image, folder / f"generated-{label}.png")
        made.append(f"fashion/generated-{label}.png")
    sections.append(
        ReportSection(
            title="FashionScenes: real test photos (first row) and generated items (second)",
            text="Classes in label order: " + ", ".join(spec.CLASS_NAMES) + ". Each generated "
            "item is drawn from the text 'A large <class>.'",
            images=real + made,
        )
    )
    say("fashion: real and generated items")
    for k, text in enumerate(SCENE_TEXTS):
        result = pipeline.generate(text, n=images_per_query, seed=seed)
        paths = []
        for j, image in enumerate(result.images):
            _png(image, folder / f"scene-{k}-{j}.png")
            paths.append(f"fashion/scene-{k}-{j}.png")
        sections.append(ReportSection(title=f"FashionScenes from text: {text}", images=paths))
    say("fashion: scenes from text")
    assert pipeline.knowledge is not None
    for k, (word, text) in enumerate(ZERO_SHOT_TEXTS):
        result = pipeline.generate(text, n=images_per_query, seed=seed)
        paths = []
        for j, image in enumerate(result.images):
            _png(image, folder / f"zero-shot-{k}-{j}.png")
            paths.append(f"fashion/zero-shot-{k}-{j}.png")
        path = knowledge_path(pipeline.knowledge, word)
        rows = [["is-a edge", "WordNet sentence it was read from"], *map(list, path)]
        if not path:
            rows.append(["(no is-a chain to a class was extracted)", ""])
        sections.append(
            ReportSection(
                title=f"Zero-shot word '{word}': {text}",
                text=f"'{word}' is in no training caption; the knowledge graph links it to a "
                "class through the is-a edges below.",
                images=paths,
                rows=rows,
            )
        )
    say("fashion: zero-shot words")
    return sections
