"""Reading scene graphs back out of RDF.

The objects of one document with their attributes, concepts and spatial relations — what
the generator is conditioned on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Graph, URIRef

from kg_extract.vocab import ATTRIBUTE_PROPERTY, KG, SPATIAL_PROPERTY

_CANONICAL = {"right_of": "left_of", "below": "above"}


@dataclass(frozen=True)
class GraphObject:
    """An object as the graph states it (``None`` where the graph says nothing)."""

    iri: URIRef
    concept: str | None
    shape: str | None
    colour: str | None
    size: str | None

    def attributes(self) -> tuple[str | None, str | None, str | None, str | None]:
        """``(concept, shape, colour, size)``."""
        return (self.concept, self.shape, self.colour, self.size)


@dataclass(frozen=True)
class SceneGraph:
    """Objects in document order and relations between their indices."""

    objects: tuple[GraphObject, ...]
    relations: tuple[tuple[int, str, int], ...]

    def canonical(self) -> tuple[tuple[Any, ...], frozenset[tuple[Any, ...]]]:
        """An order-free form for comparing graphs.

        Object attributes are sorted, and ``right_of``/``below`` turned into
        ``left_of``/``above``.
        """
        objs = [o.attributes() for o in self.objects]
        rels = set()
        for s, p, o in self.relations:
            a, b = self.objects[s].attributes(), self.objects[o].attributes()
            if p in _CANONICAL:
                a, b, p = b, a, _CANONICAL[p]
            rels.add((a, p, b))
        return tuple(sorted(objs, key=repr)), frozenset(rels)


def _last(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def read_scene_graph(graph: Graph, document: URIRef | None = None) -> SceneGraph:
    """The scene graph stated in ``graph`` (optionally only objects of one document).

    Object order follows the instance number minted at extraction (mention order).
    """
    objects = []
    for subject in set(graph.subjects(RDF.type, KG.Object)):
        assert isinstance(subject, URIRef)
        if document is not None and not str(subject).startswith(str(document) + "/"):
            continue
        values: dict[str, str | None] = {}
        for name, prop in ATTRIBUTE_PROPERTY.items():
            value = graph.value(subject, prop)
            values[name] = _last(value) if isinstance(value, URIRef) else None
        concepts = [
            _last(t)
            for t in graph.objects(subject, RDF.type)
            if isinstance(t, URIRef) and t != KG.Object and "/concept/" in str(t)
        ]
        objects.append(
            GraphObject(
                subject,
                min(concepts) if concepts else None,
                values["shape"],
                values["colour"],
                values["size"],
            )
        )
    objects.sort(key=lambda o: (str(o.iri).rsplit("/", 1)[0], int(_last(o.iri))))
    index = {o.iri: i for i, o in enumerate(objects)}
    relations = sorted(
        (index[s], name, index[o])  # type: ignore[index]
        for name, prop in SPATIAL_PROPERTY.items()
        for s, o in graph.subject_objects(prop)
        if s in index and o in index
    )
    return SceneGraph(tuple(objects), tuple(relations))
