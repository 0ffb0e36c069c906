"""k-hop neighbourhoods of an entity or concept, without the provenance records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from kg_extract.store import GraphStore
from kg_extract.vocab import KG

#: Provenance and bookkeeping predicates: they link facts to evidence, not to the world.
PROVENANCE = (
    KG.subject,
    KG.predicate,
    KG.object,
    KG.document,
    KG.sentence,
    KG.start,
    KG.end,
    KG.extractor,
    KG.unit,
    KG.source,
    KG.contentHash,
    KG.text,
)


_IS_A = (RDF.type, RDFS.subClassOf)


def _entailed_is_a(
    edges: set[tuple[URIRef, URIRef, URIRef]],
) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
    """``(x, p, c)`` for every class ``c`` above ``x`` along ``edges``, ``p`` the first step's.

    RDFS reads ``x type b, b subClassOf c`` as ``x type c`` (and a chain of subclass edges
    as one); kg2img's own definitions type a class by its parent too ("A parka is a
    jacket"), so every step up counts as a subclass step.
    """
    parents: dict[URIRef, list[URIRef]] = {}
    for s, _, o in sorted(edges):
        parents.setdefault(s, []).append(o)
    for s, p, o in sorted(edges):
        reached, stack = {s, o}, list(parents.get(o, ()))
        while stack:
            node = stack.pop()
            if node in reached:
                continue
            reached.add(node)
            yield s, p, node
            stack.extend(parents.get(node, ()))


def _is_hub(node: URIRef) -> bool:
    return "/value/" in str(node) or str(node).startswith((str(KG), "https://schema.org/"))


def _same_as(store: GraphStore, nodes: set[URIRef]) -> dict[URIRef, URIRef]:
    """Variant → canonical name for every ``owl:sameAs`` class that ``nodes`` touch."""
    values = " ".join(n.n3() for n in sorted(nodes))
    same = OWL.sameAs.n3()
    result = store.query(
        f"SELECT DISTINCT ?v ?c WHERE {{ VALUES ?n {{ {values} }} "
        f"{{ ?n {same} ?c BIND(?n AS ?v) }} UNION {{ ?v {same} ?n BIND(?n AS ?c) }} UNION "
        f"{{ ?n {same} ?c . ?v {same} ?c }} }}"
    )
    return {
        v: c for v, c in result.rows if isinstance(v, URIRef) and isinstance(c, URIRef) and v != c
    }


class NotFoundError(ValueError):
    """No node carries the requested label."""


def find_nodes(store: GraphStore, label: str) -> list[URIRef]:
    """Nodes whose ``rdfs:label`` equals ``label`` (case-insensitive), sorted.

    Exact spellings (as given, lower case, capitalised) are looked up through the store's
    index first; only if none matches are all labels scanned case-insensitively.
    """
    spellings = sorted({label, label.lower(), label[:1].upper() + label[1:].lower()})
    values = " ".join(Literal(s).n3() for s in spellings)
    exact = store.query(
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?l {{ {values} }} ?n {RDFS.label.n3()} ?l . "
        f"FILTER NOT EXISTS {{ ?n a {KG.Document.n3()} }} }}"
    )
    found = sorted(row[0] for row in exact.rows if isinstance(row[0], URIRef))
    if found:
        return found
    literal = Literal(label.lower()).n3()
    result = store.query(
        f"SELECT DISTINCT ?n WHERE {{ ?n {RDFS.label.n3()} ?l . "
        f"FILTER(LCASE(STR(?l)) = {literal}) FILTER NOT EXISTS {{ ?n a {KG.Document.n3()} }} }}"
    )
    return sorted(row[0] for row in result.rows if isinstance(row[0], URIRef))


def neighbourhood(store: GraphStore, label: str, hops: int = 1) -> Graph:
    """The triples within ``hops`` edges of the nodes labelled ``label``, plus labels.

    Raises:
        NotFoundError: If no node has that label.
    """
    seeds = find_nodes(store, label)
    if not seeds:
        raise NotFoundError(f"no entity or concept labelled {label!r}")
    return neighbourhood_of(store, seeds, hops)


def neighbourhood_of(
    store: GraphStore,
    seeds: list[URIRef],
    hops: int = 1,
    max_degree: int = 32,
    is_a_closure: bool = False,
) -> Graph:
    """The triples within ``hops`` edges of ``seeds`` (both directions), plus labels.

    Instances of a class (incoming ``rdf:type``, e.g. the objects of other scenes) are
    left out, and the walk does not continue through attribute values or the vocabulary
    classes (``kg:``, schema.org): they are hubs ("red" links every red thing). It does
    continue up an ``rdf:type`` edge to a class the corpus itself defines, so an is-a chain
    is walked one step per hop ("parka → jacket" in one hop, "→ coat" in two). Any other node with
    more than ``max_degree`` edges contributes only its first ``max_degree`` (in sorted
    order) and is not expanded further, so the subgraph stays bounded — a person who
    described hundreds of concepts does not pull all of them in.

    With ``is_a_closure`` the walk reads an is-a chain as RDFS does: a class reached up
    the chain adds only its own is-a edges (not the other things that have a jacket or
    are a kind of jacket), and every node below it gets an edge to it ("parka → coat"
    beside "parka → jacket → coat"), so a concept is one edge from each of its ancestors
    within ``hops``.
    """
    if hops < 0:
        raise ValueError(f"hops must be >= 0, got {hops}")
    excluded = ", ".join(p.n3() for p in (*PROVENANCE, OWL.sameAs))
    graph = Graph()
    graph.bind("kg", str(KG))
    frontier: set[URIRef] = set(seeds)
    seen: set[URIRef] = set(seeds)
    seed_set = frozenset(seeds)
    canonical: dict[URIRef, URIRef] = {}
    # Is-a edges walked upwards (from the node the walk stood on), and the classes they
    # reached in earlier hops: those classes are expanded by their is-a edges alone.
    upward: set[tuple[URIRef, URIRef, URIRef]] = set()
    ancestors: set[URIRef] = set()
    for _ in range(hops):
        if not frontier:
            break
        # Name variants linked by owl:sameAs are one node: the walk takes in every variant
        # of a node it reaches, and writes each as its canonical name.
        for variant, name in _same_as(store, frontier).items():
            canonical[variant] = name
            for node in (variant, name):
                if node not in seen:
                    seen.add(node)
                    frontier.add(node)
        values = " ".join(n.n3() for n in sorted(frontier))
        result = store.query(
            # Incoming rdf:type edges are the instances of a class (every glorp of every
            # scene); evidence records link in through provenance predicates. Both are
            # left out by predicate, which the store answers from its indexes.
            f"SELECT DISTINCT ?n ?s ?p ?o WHERE {{ VALUES ?n {{ {values} }} "
            f"{{ ?n ?p ?o BIND(?n AS ?s) FILTER(?p NOT IN ({excluded})) }} UNION "
            f"{{ ?s ?p ?n BIND(?n AS ?o) FILTER(?p NOT IN ({excluded}, {RDF.type.n3()})) }} }}"
        )
        edges: dict[object, list[tuple[Any, Any, Any]]] = {}
        for n, s, p, o in result.rows:
            edges.setdefault(n, []).append((s, p, o))
        next_frontier: set[URIRef] = set()
        for frontier_node, node_edges in edges.items():
            if is_a_closure and frontier_node in ancestors and frontier_node not in seed_set:
                node_edges = [
                    (s, p, o) for s, p, o in node_edges if s == frontier_node and p in _IS_A
                ]
            crowded = len(node_edges) > max_degree
            for s, p, o in sorted(node_edges, key=lambda e: tuple(str(t) for t in e))[:max_degree]:
                graph.add((canonical.get(s, s), p, canonical.get(o, o)))
                if p in _IS_A and s == frontier_node and isinstance(o, URIRef) and not _is_hub(o):
                    upward.add((canonical.get(s, s), p, canonical.get(o, o)))
                for node in (s, o):
                    if isinstance(node, URIRef) and node not in seen and p != RDFS.label:
                        seen.add(node)
                        if not _is_hub(node) and not crowded:
                            next_frontier.add(node)
        frontier = next_frontier
        ancestors = {o for _, _, o in upward}
    if is_a_closure:
        for triple in _entailed_is_a(upward):
            graph.add(triple)
    nodes = sorted(n for n in seen if n not in canonical)
    if nodes:
        values = " ".join(n.n3() for n in nodes)
        labels = store.query(
            f"SELECT DISTINCT ?n ?l WHERE {{ VALUES ?n {{ {values} }} ?n {RDFS.label.n3()} ?l }}"
        )
        for n, label_value in labels.rows:
            graph.add((n, RDFS.label, label_value))  # type: ignore[arg-type]
    return graph
