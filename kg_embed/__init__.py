"""kg_embed: RDF subgraph → PyG tensors → relation-aware GNN embeddings.

Example:
    >>> from rdflib import Graph
    >>> from kg_embed import GraphEncoder, to_pyg
    >>> data = to_pyg(Graph())
    >>> int(data.num_nodes)
    0
"""

from kg_embed.config import EncoderConfig
from kg_embed.convert import (
    NODE_KINDS,
    RELATIONS,
    LabelVocabulary,
    content_triples,
    object_iris,
    to_networkx,
    to_pyg,
)
from kg_embed.encoder import EncodedGraph, GraphEncoder, make_encoder
from kg_embed.select import enrich, named_concepts

__all__ = [
    "NODE_KINDS",
    "RELATIONS",
    "EncodedGraph",
    "EncoderConfig",
    "GraphEncoder",
    "LabelVocabulary",
    "content_triples",
    "enrich",
    "make_encoder",
    "named_concepts",
    "object_iris",
    "to_networkx",
    "to_pyg",
]
