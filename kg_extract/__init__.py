"""kg_extract: text → RDF knowledge graph, every fact traceable to its sentence.

Example:
    >>> from kg_extract import extract
    >>> dataset = extract(["There is a small red circle left of a big blue square."])
"""

from kg_extract.corpus import CorpusDocument, CorpusError, read_corpus
from kg_extract.extract import (
    DEFAULT_MODEL,
    ExtractConfig,
    ExtractedDocument,
    ExtractionError,
    Extractor,
    extract,
    load_pipeline,
)
from kg_extract.scene_graph import GraphObject, SceneGraph, read_scene_graph
from kg_extract.vocab import KG, IRIs

__all__ = [
    "DEFAULT_MODEL",
    "KG",
    "CorpusDocument",
    "CorpusError",
    "ExtractConfig",
    "ExtractedDocument",
    "ExtractionError",
    "Extractor",
    "GraphObject",
    "IRIs",
    "SceneGraph",
    "extract",
    "load_pipeline",
    "read_corpus",
    "read_scene_graph",
]
