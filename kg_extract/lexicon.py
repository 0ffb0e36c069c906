"""The extraction lexicon: surface words and phrases → normalised values and predicates.

The data lives in ``lexicon.json`` beside this module (a data file, not code), so users can
extend it or pass their own with ``ExtractConfig.lexicon``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
    # Look-up indexes built once: the rules ask about every word of every sentence.
    _attribute_index: dict[str, tuple[str, str]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _phrase_lengths: dict[str, tuple[int, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for attribute, table in reversed(list(self.attributes.items())):
            for word, value in table.items():
                self._attribute_index[word.lower()] = (attribute, value)  # first table wins
        lengths: dict[str, set[int]] = {}
        for phrase in self.spatial_relations:
            words = phrase.split()
            lengths.setdefault(words[0], set()).add(len(words))
        for first, sizes in lengths.items():
            self._phrase_lengths[first] = tuple(sorted(sizes, reverse=True))

    def attribute_of(self, word: str) -> tuple[str, str] | None:
        """``(attribute, value)`` for an adjective in the lexicon, else ``None``."""
        return self._attribute_index.get(word.lower())

    def attributes_of(self, lower_words: list[str]) -> list[tuple[str, str] | None]:
        """:meth:`attribute_of` for each of ``lower_words`` (already lower case), at once."""
        index = self._attribute_index
        return [index.get(word) for word in lower_words]

    def relation_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """``(predicate, end)`` of the longest spatial phrase starting at ``words[i]``.

        ``None`` as well for ``i`` past the end, so callers may look one word ahead.
        """
        if i >= len(words):
            return None
        for n in self._phrase_lengths.get(words[i], ()):
            if i + n <= len(words):
                predicate = self.spatial_relations.get(" ".join(words[i : i + n]))
                if predicate is not None:
                    return predicate, i + n
        return None


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
