"""The extraction lexicon: surface words and phrases → normalised values and predicates.

The data lives in ``lexicon.json`` beside this module (a data file, not code), so users can
extend it or pass their own with ``ExtractConfig.lexicon``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_LEXICON = Path(__file__).with_name("lexicon.json")


@dataclass(frozen=True)
class Lexicon:
    """Normalisation tables.

    Attributes:
        attributes: Attribute name → {surface adjective → value} (``colour``, ``size``,
            ``shape``).
        shape_nouns: Surface noun → shape value ("circle", "box" → "square").
        spatial_relations: Surface phrase → spatial predicate ("to the left of" → left_of).
        predicates: "lemma [prep]" → normalised predicate ("bear in" → born_in).
    """

    attributes: dict[str, dict[str, str]]
    shape_nouns: dict[str, str]
    spatial_relations: dict[str, str]
    predicates: dict[str, str]

    def attribute_of(self, word: str) -> tuple[str, str] | None:
        """``(attribute, value)`` for an adjective in the lexicon, else ``None``."""
        lower = word.lower()
        for attribute, table in self.attributes.items():
            if lower in table:
                return attribute, table[lower]
        return None

    @property
    def max_relation_words(self) -> int:
        """Length in words of the longest spatial phrase."""
        return _longest_phrase(tuple(self.spatial_relations))


@cache
def _longest_phrase(phrases: tuple[str, ...]) -> int:
    return max(len(p.split()) for p in phrases)


@cache
def load_lexicon(path: Path = DEFAULT_LEXICON) -> Lexicon:
    """Load a lexicon JSON file.

    Raises:
        ValueError: If the file is not valid JSON or lacks a table.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Lexicon(
            attributes={k: dict(v) for k, v in data["attributes"].items()},
            shape_nouns=dict(data["shape_nouns"]),
            spatial_relations=dict(data["spatial_relations"]),
            predicates=dict(data["predicates"]),
        )
    except (json.JSONDecodeError, KeyError, AttributeError, TypeError) as error:
        raise ValueError(f"{path}: not a valid lexicon ({error})") from error
