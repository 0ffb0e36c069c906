"""kg_extract: text → RDF knowledge graph, every fact traceable to its sentence.

Example:
    >>> from kg_extract import extract
    >>> dataset = extract(["There is a small red circle left of a big blue square."])

Names are imported on first use, so that modules which need only the vocabulary or the
stores (``kg_extract.vocab``, ``kg_extract.store``) do not load spaCy.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_MODEL": "kg_extract.extraction",
    "ExtractConfig": "kg_extract.extraction",
    "ExtractedDocument": "kg_extract.extraction",
    "ExtractionError": "kg_extract.extraction",
    "Extractor": "kg_extract.extraction",
    "extract": "kg_extract.extraction",
    "loaded_objects_frozen": "kg_extract.extraction",
    "load_pipeline": "kg_extract.extraction",
    "CorpusDocument": "kg_extract.corpus",
    "CorpusError": "kg_extract.corpus",
    "read_corpus": "kg_extract.corpus",
    "GraphObject": "kg_extract.scene_graph",
    "SceneGraph": "kg_extract.scene_graph",
    "read_scene_graph": "kg_extract.scene_graph",
    "KG": "kg_extract.vocab",
    "IRIs": "kg_extract.vocab",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'kg_extract' has no attribute {name!r}")
