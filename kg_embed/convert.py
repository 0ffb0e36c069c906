"""RDF subgraph → PyG ``Data``, with deterministic id maps and explicit inverse relations.

Nodes are numbered in sorted order of their IRI (numbers inside IRIs compare as numbers,
so ``obj/2`` precedes ``obj/10``); relation types come from a fixed sorted vocabulary in
which every relation has an explicit inverse (``inv:colour`` …). Two conversions of the
same graph give identical tensors, whatever order rdflib yields triples in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Final

import networkx as nx
import torch
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode
from torch_geometric.data import Data

from kg_extract.lexicon import load_lexicon
from kg_extract.subgraph import PROVENANCE
from kg_extract.vocab import KG

#: Node kinds, in id order.
NODE_KINDS: Final = ("object", "concept", "value", "entity", "literal", "class")
#: Relation names before inverses are added, sorted. Unknown predicates map to ``other``.
BASE_RELATIONS: Final = tuple(
    sorted(["above", "below", "colour", "left_of", "right_of", "shape", "size", "subclass_of",
            "type", "other"])
)  # fmt: skip
RELATIONS: Final = BASE_RELATIONS + tuple(f"inv:{r}" for r in BASE_RELATIONS)
RELATION_ID: Final = {r: i for i, r in enumerate(RELATIONS)}

_PREDICATE_NAMES: Final = {
    RDF.type: "type",
    RDFS.subClassOf: "subclass_of",
    KG.colour: "colour",
    KG.shape: "shape",
    KG.size: "size",
    KG.left_of: "left_of",
    KG.right_of: "right_of",
    KG.above: "above",
    KG.below: "below",
}
_SKIP_PREDICATES: Final = {RDFS.label, *PROVENANCE}
_SKIP_OBJECTS: Final = {KG.Object, KG.Concept, KG.Entity, KG.AttributeValue, KG.Document}


def lexicon_words() -> tuple[str, ...]:
    """The lexicon's attribute values and shape words, sorted: the default label words."""
    lexicon = load_lexicon()
    words = {v for table in lexicon.attributes.values() for v in table.values()}
    words |= set(lexicon.shape_nouns.values())
    return tuple(sorted(words))


@dataclass(frozen=True)
class LabelVocabulary:
    """Label → embedding id: exact ids for known attribute words, hashing for the rest.

    Attributes:
        known: Words with their own id (``0 … len(known)-1``), sorted.
        buckets: Number of hash buckets for all other labels.
    """

    known: tuple[str, ...] = lexicon_words()
    buckets: int = 256

    @property
    def size(self) -> int:
        """Number of embedding rows (known words + buckets + one for "no label")."""
        return len(self.known) + self.buckets + 1

    @property
    def no_label(self) -> int:
        """The id of nodes whose label carries no meaning (instances)."""
        return self.size - 1

    def id(self, label: str) -> int:
        """The embedding id of a label (stable across runs and machines)."""
        word = label.strip().lower()
        if word in self._index:
            return self._index[word]
        digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return len(self.known) + int.from_bytes(digest, "big") % self.buckets

    @property
    def _index(self) -> dict[str, int]:
        return {w: i for i, w in enumerate(self.known)}


def _natural_key(term: RDFNode) -> tuple[object, ...]:
    text = str(term)
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _kind(term: RDFNode, graph: Graph) -> str:
    if isinstance(term, Literal):
        return "literal"
    if (term, RDF.type, KG.Object) in graph or "/obj/" in str(term):
        return "object"
    text = str(term)
    if "/value/" in text:
        return "value"
    if "/entity/" in text:
        return "entity"
    if "/concept/" in text:
        return "concept"
    return "class"


def _label(term: RDFNode, graph: Graph) -> str:
    label = graph.value(term, RDFS.label) if not isinstance(term, Literal) else term
    if label is not None:
        return str(label)
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def content_triples(graph: Graph) -> list[tuple[RDFNode, str, RDFNode]]:
    """The graph's facts as ``(subject, relation name, object)``, sorted.

    Provenance, labels and bookkeeping types are left out.
    """
    triples = set()
    for s, p, o in graph:
        if p in _SKIP_PREDICATES or (s, RDF.type, KG.Evidence) in graph:
            continue
        if (p == RDF.type and o in _SKIP_OBJECTS) or (s, RDF.type, KG.Document) in graph:
            continue
        if isinstance(s, Literal):
            continue
        name = _PREDICATE_NAMES.get(p, "other") if isinstance(p, URIRef) else "other"
        triples.add((s, name, o))
    return sorted(triples, key=lambda t: (_natural_key(t[0]), t[1], _natural_key(t[2])))


def to_pyg(graph: Graph, vocabulary: LabelVocabulary | None = None) -> Data:
    """Convert an RDF subgraph to a PyG ``Data``.

    Returns:
        ``Data`` with ``kind`` (N,) node-kind ids, ``label`` (N,) label ids, ``edge_index``
        (2, E), ``edge_type`` (E,) relation ids (every edge stored with its inverse),
        ``object_index`` (n_objects,) node ids of the scene's objects in IRI order, and
        ``node_iris`` (list of N strings).
    """
    vocabulary = vocabulary or LabelVocabulary()
    triples = content_triples(graph)
    nodes = sorted({t for s, _, o in triples for t in (s, o)}, key=_natural_key)
    for s in graph.subjects(RDF.type, KG.Object):
        if s not in nodes:
            nodes.append(s)
    nodes.sort(key=_natural_key)
    index = {n: i for i, n in enumerate(nodes)}
    kinds = [_kind(n, graph) for n in nodes]
    labels = [
        vocabulary.no_label if k == "object" else vocabulary.id(_label(n, graph))
        for n, k in zip(nodes, kinds, strict=True)
    ]
    sources, targets, types = [], [], []
    for s, relation, o in triples:
        sources += [index[s], index[o]]
        targets += [index[o], index[s]]
        types += [RELATION_ID[relation], RELATION_ID[f"inv:{relation}"]]
    return Data(
        kind=torch.tensor([NODE_KINDS.index(k) for k in kinds], dtype=torch.long),
        label=torch.tensor(labels, dtype=torch.long),
        edge_index=torch.tensor([sources, targets], dtype=torch.long).reshape(2, -1),
        edge_type=torch.tensor(types, dtype=torch.long),
        object_index=torch.tensor(
            [i for i, k in enumerate(kinds) if k == "object"], dtype=torch.long
        ),
        node_iris=[str(n) for n in nodes],
        num_nodes=len(nodes),
    )


def to_networkx(data: Data) -> nx.MultiDiGraph:
    """The ``Data`` as a networkx graph (forward edges only, with relation names)."""
    graph = nx.MultiDiGraph()
    for i in range(int(data.num_nodes)):
        graph.add_node(i, kind=NODE_KINDS[int(data.kind[i])], iri=data.node_iris[i])
    for (s, t), r in zip(data.edge_index.t().tolist(), data.edge_type.tolist(), strict=True):
        name = RELATIONS[r]
        if not name.startswith("inv:"):
            graph.add_edge(s, t, relation=name)
    return graph


def object_iris(graph: Graph) -> list[URIRef]:
    """The scene objects of a graph in the order ``to_pyg`` numbers them."""
    return sorted(
        (s for s in set(graph.subjects(RDF.type, KG.Object)) if isinstance(s, URIRef)),
        key=_natural_key,
    )
