"""Choosing the subgraph to embed: one scene graph enriched with what the corpus knows.

The scene graph of an image (the objects its caption describes) names concepts ("a
glorp"); the corpus KG defines them ("A glorp is a big cyan square."). The enriched
subgraph adds the corpus facts within ``hops`` edges of those concepts, so knowledge that
only the corpus states reaches the generator.
"""

from __future__ import annotations

from rdflib import RDF, Graph, URIRef

from kg_extract.store import GraphStore
from kg_extract.subgraph import neighbourhood_of
from kg_extract.vocab import KG


def named_concepts(scene: Graph) -> list[URIRef]:
    """Concepts that the scene's objects are typed with, sorted."""
    concepts = {
        o
        for s in scene.subjects(RDF.type, KG.Object)
        for o in scene.objects(s, RDF.type)
        if isinstance(o, URIRef) and "/concept/" in str(o)
    }
    return sorted(concepts)


def enrich(
    scene: Graph, knowledge: GraphStore | None, hops: int = 1, is_a_closure: bool = False
) -> Graph:
    """The scene graph plus the knowledge within ``hops`` edges of its concepts.

    Args:
        scene: The scene graph (one document's facts).
        knowledge: The corpus KG, or ``None`` for the scene alone.
        hops: Neighbourhood radius around each named concept.
        is_a_closure: Walk is-a chains as RDFS entails them (see ``neighbourhood_of``).
    """
    result = Graph()
    for triple in scene:
        result.add(triple)
    concepts = named_concepts(scene)
    if knowledge is not None and concepts and hops > 0:
        for triple in neighbourhood_of(knowledge, concepts, hops, is_a_closure=is_a_closure):
            result.add(triple)
    return result
