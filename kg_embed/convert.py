"""RDF subgraph → PyG ``Data``, with deterministic id maps and explicit inverse relations.

Nodes are numbered in sorted order of their IRI (numbers inside IRIs compare as numbers,
so ``obj/2`` precedes ``obj/10``); relation types come from a fixed sorted vocabulary in
which every relation has an explicit inverse (``inv:colour`` …). Two conversions of the
same graph give identical tensors, whatever order rdflib yields triples in.
"""

from __future__ import annotations

import functools
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
#: The default relation names before inverses are added, sorted (a model trained on data
#: saves the names its data used). Unknown predicates map to ``other``.
BASE_RELATIONS: Final = tuple(
    sorted(["above", "below", "colour", "left_of", "right_of", "shape", "size", "subclass_of",
            "type", "other"])
)  # fmt: skip
RELATIONS: Final = BASE_RELATIONS + tuple(f"inv:{r}" for r in BASE_RELATIONS)
RELATION_ID: Final = {r: i for i, r in enumerate(RELATIONS)}

_PREDICATE_NAMES: Final = {RDF.type: "type", RDFS.subClassOf: "subclass_of"}
OTHER: Final = "other"


def relation_name(predicate: RDFNode) -> str:
    """A predicate's relation name: ``type``, ``subclass_of``, else its IRI's last segment.

    ``kg:colour`` → ``colour``, ``…/rel/ride`` → ``ride``.
    """
    if not isinstance(predicate, URIRef):
        return OTHER
    known = _PREDICATE_NAMES.get(predicate)
    if known is not None:
        return known
    return str(predicate).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or OTHER


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

    Labels outside ``known`` (a word unseen in training) are hashed (BLAKE2b) into one of
    ``buckets`` shared ids: stable across runs and machines, never an error.

    Attributes:
        known: Words with their own id (``0 … len(known)-1``), sorted.
        buckets: Number of hash buckets for all other labels.
        relations: Relation names with their own edge type, sorted (must hold ``other``,
            which every other predicate maps to); each also has an ``inv:`` inverse.
    """

    known: tuple[str, ...] = lexicon_words()
    buckets: int = 256
    relations: tuple[str, ...] = BASE_RELATIONS

    def __post_init__(self) -> None:
        if OTHER not in self.relations or list(self.relations) != sorted(set(self.relations)):
            raise ValueError("relations: expected sorted, distinct names including 'other'")

    @property
    def num_relations(self) -> int:
        """Edge types: every relation and its inverse."""
        return 2 * len(self.relations)

    def relation_id(self, name: str, inverse: bool = False) -> int:
        """The edge type of a relation name (unknown names: ``other``)."""
        index = self._relation_index.get(name, self._relation_index[OTHER])
        return index + (len(self.relations) if inverse else 0)

    def relation_names(self) -> tuple[str, ...]:
        """Edge type names in id order (``inv:`` names for inverses)."""
        return self.relations + tuple(f"inv:{r}" for r in self.relations)

    @functools.cached_property
    def _relation_index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.relations)}

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

    @functools.cached_property
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
        triples.add((s, relation_name(p), o))
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
        types += [vocabulary.relation_id(relation), vocabulary.relation_id(relation, True)]
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


def to_networkx(data: Data, vocabulary: LabelVocabulary | None = None) -> nx.MultiDiGraph:
    """The ``Data`` as a networkx graph (forward edges only, with relation names)."""
    names = (vocabulary or LabelVocabulary()).relation_names()
    graph = nx.MultiDiGraph()
    for i in range(int(data.num_nodes)):
        graph.add_node(i, kind=NODE_KINDS[int(data.kind[i])], iri=data.node_iris[i])
    for (s, t), r in zip(data.edge_index.t().tolist(), data.edge_type.tolist(), strict=True):
        name = names[r]
        if not name.startswith("inv:"):
            graph.add_edge(s, t, relation=name)
    return graph


def object_iris(graph: Graph) -> list[URIRef]:
    """The scene objects of a graph in the order ``to_pyg`` numbers them."""
    return sorted(
        (s for s in set(graph.subjects(RDF.type, KG.Object)) if isinstance(s, URIRef)),
        key=_natural_key,
    )
