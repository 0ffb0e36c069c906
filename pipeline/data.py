"""Training data: annotated images → conditioning graphs + image and object targets.

Every caption goes through the real extractor (kg_extract) and is enriched with the
knowledge corpus (kg_embed.select), exactly as at generation time; the targets (each
object's category, attributes and box, the image) come from the annotation. Where a
caption's objects cannot be matched to the annotation's (or there is no caption), the
graph is built from the annotation itself, mapped onto the same vocabulary.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from rdflib import RDF, Graph, URIRef
from torch_geometric.data import Data

from generator.placement import PlacementConfig, relation_distance, relation_holds_at
from kg_embed.convert import OTHER, LabelVocabulary, content_triples, relation_name, to_pyg
from kg_embed.select import enrich
from kg_extract.extraction import Extractor
from kg_extract.facts import DocumentFacts, Fact, Node
from kg_extract.scene_graph import SceneGraph, read_scene_graph
from kg_extract.store import OxigraphStore
from kg_extract.vocab import KG, SPATIAL_PROPERTY, slug
from pipeline.annotations import (
    AnnotatedDataset,
    AnnotatedImage,
    AnnotatedObject,
    box_separation,
    iter_pairs,
)
from pipeline.vocabulary import DataVocabulary

#: Where a training graph comes from: the caption, the annotation, or the caption when
#: its objects match the annotation and the annotation otherwise.
GRAPH_SOURCES = ("caption", "annotation", "auto")


def normalise(word: str) -> str:
    """A label as graph local names spell it (lower case, spaces and hyphens as ``_``)."""
    return "_".join(word.lower().replace("-", " ").split())


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


def object_words(graph: Graph, iri: URIRef) -> set[tuple[str, str]]:
    """What the graph calls an object, as ``(kind, word)`` pairs.

    Concepts have kind ``type``, attribute values their property's name (``colour``);
    words are normalised.
    """
    words = set()
    for p, o in graph.predicate_objects(iri):
        if not isinstance(o, URIRef) or o == KG.Object:
            continue
        text = str(o)
        if (p == RDF.type and "/concept/" in text) or "/value/" in text:
            kind = "type" if p == RDF.type else relation_name(p)
            words.add((kind, normalise(text.rstrip("/").rsplit("/", 1)[-1])))
    return words


def _compatible(words: set[tuple[str, str]], obj: AnnotatedObject, known: set[str]) -> int | None:
    """How many of an extracted object's words the annotated object has.

    ``None`` if one contradicts it: a value of an attribute the object has another value
    of ("red" for a brown horse), or a word the data uses for something else (another
    category).
    """
    own = {normalise(obj.category), *(normalise(n) for n in obj.names)}
    values = {name: normalise(v) for name, v in obj.attributes}
    own |= set(values.values())
    hits = 0
    for kind, word in words:
        if word in own:
            hits += 1
        elif word in known or kind in values:
            return None
    return hits


#: Most assignments tried when several objects are described alike (7 alike: 5,040).
MAX_ASSIGNMENTS = 5040


def match_objects(
    extracted: SceneGraph,
    graph: Graph,
    record: AnnotatedImage,
    known_words: Iterable[str],
) -> list[int] | None:
    """Which annotated object each extracted object is, or ``None`` if they do not match.

    An extracted object may be an annotated one when every word the graph says of it
    (concept, attribute values) is the annotated object's category, one of its names or
    attribute values — or a word the data does not use at all ("a man" for a ``person``).
    Of the one-to-one assignments, the one agreeing on most words and then on most
    extracted spatial relations (by box centres) is taken — the first such, so the
    result is deterministic. Objects described alike ("two red circles") are told apart
    by the relations. More than :data:`MAX_ASSIGNMENTS` candidate assignments fall back
    to mention order.

    Args:
        extracted: The caption's scene graph.
        graph: The caption's RDF graph (for each object's words).
        record: The annotation.
        known_words: Normalised categories, names and attribute values the data uses.
    """
    objects = record.objects
    if len(extracted.objects) != len(objects):
        return None
    known = set(known_words) | {normalise(n) for o in objects for n in o.names}
    hits: list[dict[int, int]] = []
    for extracted_object in extracted.objects:
        words = object_words(graph, extracted_object.iri)
        options = {}
        for i, obj in enumerate(objects):
            found = _compatible(words, obj, known)
            if found is not None:
                options[i] = found
        if not options:
            return None
        hits.append(options)
    candidates = [sorted(h) for h in hits]
    if math.prod(len(c) for c in candidates) > MAX_ASSIGNMENTS:
        used: set[int] = set()
        greedy = []
        for options_list in candidates:
            free = next((i for i in options_list if i not in used), None)
            if free is None:
                return None
            used.add(free)
            greedy.append(free)
        return greedy
    centres = [o.centre_size for o in objects]
    best: list[int] | None = None
    best_score: tuple[int, int] = (-1, -1)
    for assignment in itertools.product(*candidates):
        if len(set(assignment)) != len(assignment):
            continue
        agreement = sum(hits[k][i] for k, i in enumerate(assignment))
        relations = 0
        for s, p, o in extracted.relations:
            a, b = centres[assignment[s]], centres[assignment[o]]
            relations += bool(relation_holds_at(p, a[0], a[1], b[0], b[1], 0.0))
        if (agreement, relations) > best_score:
            best, best_score = list(assignment), (agreement, relations)
    return best


def annotation_graph(record: AnnotatedImage, extractor: Extractor, doc_id: str) -> Graph:
    """The annotation as a scene graph in the extractor's vocabulary.

    Categories and values the lexicon knows become what a caption saying them would give
    (``circle`` → ``kg:shape``, ``red`` → ``kg:colour``); other categories are concept
    types, other attributes ``kg:attribute`` values (``colour``/``shape``/``size`` keep
    their property); spatial relations keep theirs, others become open predicates.
    """
    lexicon = extractor.lexicon
    text = record.caption or " "
    facts = DocumentFacts(doc_id, text, sentences=[(0, len(text))])

    def add(subject: Node, predicate: str, obj: Node) -> None:
        facts.facts.append(Fact(subject, predicate, obj, 0, 0, 0, "annotation"))

    for index, obj in enumerate(record.objects):
        node = Node("instance", str(index))
        add(node, "type", Node("concept", "Object"))
        category = normalise(obj.category)
        shape = lexicon.shape_nouns.get(obj.category.lower())
        if shape is not None:
            add(node, "shape", Node("value", shape))
        else:
            add(node, "type", Node("concept", category, label=obj.category))
        for name, value in obj.attributes:
            known = lexicon.attribute_of(value)
            if known is not None:
                add(node, known[0], Node("value", known[1]))
            elif name in ("colour", "shape", "size"):
                add(node, name, Node("value", normalise(value)))
            else:
                add(node, "attribute", Node("value", normalise(value), label=value))
    for relation in record.relations:
        predicate = relation.predicate
        name = predicate if predicate in SPATIAL_PROPERTY else slug(predicate)
        subject = Node("instance", str(relation.subject))
        add(subject, name, Node("instance", str(relation.object)))
    digest = hashlib.sha256(repr(record.to_json()).encode("utf-8")).hexdigest()
    graph = Graph()
    for s, p, o, document in extractor.mapper.quads(facts, "annotation", digest):
        if s != document and "/evidence/" not in str(s):
            graph.add((s, p, o))
    return graph


@dataclass
class TrainingItem:
    """One usable training image: its enriched conditioning graph and object order.

    Attributes:
        record: The annotation.
        graph: The conditioning graph (after enrichment).
        order: The annotated object of each graph object, in the graph's object order.
        from_caption: Whether the graph was extracted from the caption.
        relations: What the graph states between its objects, ``(subject, predicate,
            object)`` in the graph's object order.
    """

    record: AnnotatedImage
    graph: Graph
    order: list[int]
    from_caption: bool
    relations: tuple[tuple[int, str, int], ...] = ()


def conditioning_graphs(
    dataset: AnnotatedDataset,
    extractor: Extractor,
    knowledge: OxigraphStore | None,
    hops: int,
    graph_source: str = "auto",
    progress: Callable[[int], None] | None = None,
    is_a_closure: bool = False,
) -> tuple[list[TrainingItem], list[str]]:
    """The conditioning graph of every record, and one warning per record left out.

    Raises:
        ValueError: For an unknown ``graph_source``.
    """
    if graph_source not in GRAPH_SOURCES:
        raise ValueError(f"graph source {graph_source!r}; expected one of {GRAPH_SOURCES}")
    vocabulary = DataVocabulary.from_images(dataset.images)
    known = {normalise(w) for w in vocabulary.words()}
    known |= {normalise(n) for r in dataset.images for o in r.objects for n in o.names}
    records = dataset.images
    captioned = [r for r in records if r.caption.strip()] if graph_source != "annotation" else []
    extracted = iter(scene_graphs(extractor, [r.caption for r in captioned]))
    items, warnings = [], []
    for k, record in enumerate(records):
        graph: Graph | None = None
        order: list[int] | None = None
        relations: tuple[tuple[int, str, int], ...] = ()
        if graph_source != "annotation" and record.caption.strip():
            caption_graph = next(extracted)
            scene = read_scene_graph(caption_graph)
            order = match_objects(scene, caption_graph, record, known)
            if order is not None:
                graph, relations = caption_graph, scene.relations
        from_caption = graph is not None
        if graph is None and graph_source != "caption":
            graph = annotation_graph(record, extractor, f"annotation-{k}")
            order = list(range(len(record.objects)))
            relations = tuple((r.subject, r.predicate, r.object) for r in record.relations)
        if graph is None or order is None:
            warnings.append(f"{record.id}: extracted objects do not match the annotation; left out")
        elif not record.objects:
            warnings.append(f"{record.id}: no objects; left out")
        else:
            enriched = enrich(graph, knowledge, hops, is_a_closure)
            items.append(TrainingItem(record, enriched, order, from_caption, relations))
        if progress is not None:
            progress(k + 1)
    return items, warnings


#: Uses a relation name needs in the training graphs to get an edge type of its own.
MIN_RELATION_COUNT = 3


def relation_vocabulary(graphs: Iterable[Graph]) -> tuple[str, ...]:
    """The relation names the graphs use at least :data:`MIN_RELATION_COUNT` times.

    Sorted, with ``other``, which every rarer or unseen name shares.
    """
    names: Counter[str] = Counter()
    for graph in graphs:
        names.update(name for _, name, _ in content_triples(graph))
    return tuple(sorted({*(n for n, c in names.items() if c >= MIN_RELATION_COUNT), OTHER}))


def training_data(
    items: Sequence[TrainingItem],
    dataset: AnnotatedDataset,
    image_size: int,
    labels: LabelVocabulary,
    vocabulary: DataVocabulary,
    progress: Callable[[int], None] | None = None,
) -> list[Data]:
    """Turn conditioning graphs into training tensors with targets.

    Returns:
        ``Data`` objects: the fields of :func:`kg_embed.to_pyg` plus ``y_heads``
        ``(M, heads)`` class indices (``-1``: not annotated), ``y_box`` ``(M, 4)``
        ``(cx, cy, w, h)`` per object, ``image`` ``(1, 3, S, S)`` and ``scene_id``.
    """
    data_list = []
    for k, item in enumerate(items):
        data = to_pyg(item.graph, labels)
        objects = [item.record.objects[i] for i in item.order]
        data.y_heads = torch.tensor([vocabulary.targets(o) for o in objects], dtype=torch.long)
        data.y_box = torch.tensor([o.centre_size for o in objects], dtype=torch.float32)
        data.image = image_tensor(dataset.pixels(item.record), image_size)[None]
        data.scene_id = item.record.id
        data_list.append(data)
        if progress is not None:
            progress(k + 1)
    return data_list


def placement_from(items: Sequence[TrainingItem]) -> PlacementConfig:
    """Placement constraints measured on the training items.

    Relation distances come from the relations the conditioning graphs state (what a
    caption says holds), mapped onto the annotated boxes.
    """
    boxes, separations, distances = [], [], []
    for item in items:
        objects = item.record.objects
        boxes += [o.centre_size for o in objects]
        separations += [box_separation(a, b) for a, b in iter_pairs([item.record])]
        position = {i: objects[k].centre_size for i, k in enumerate(item.order)}
        for s, p, o in item.relations:
            if s in position and o in position:
                found = relation_distance(p, position[s], position[o])
                if found is not None:
                    distances.append(found)
    return PlacementConfig.from_boxes(boxes, separations, distances)
