"""What a model was trained to draw: vocabularies collected from its training data.

Saved in the model's config, so a model folder says which categories, attribute values and
relations it knows, and the heads built from it keep their meaning whatever the lexicon
or the code's defaults later become.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.annotations import AnnotatedImage

#: The head that reads an object's category; attribute heads are named after attributes.
CATEGORY = "category"


def _sorted_words(values: Iterable[Any], what: str) -> tuple[str, ...]:
    words = tuple(values)
    if not all(isinstance(w, str) and w for w in words) or list(words) != sorted(set(words)):
        raise ValueError(f"{what}: expected sorted, distinct, non-empty strings")
    return words


@dataclass(frozen=True)
class DataVocabulary:
    """Categories, attribute values and relation names of a training set, each sorted.

    Attributes:
        categories: Object categories (lower case).
        attributes: ``(name, values)`` per attribute name, sorted by name.
        relations: Relation predicates the annotations use.
    """

    categories: tuple[str, ...] = ()
    attributes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    relations: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _sorted_words(self.categories, "categories")
        _sorted_words((n for n, _ in self.attributes), "attribute names")
        for name, values in self.attributes:
            _sorted_words(values, f"values of {name!r}")
        _sorted_words(self.relations, "relations")
        if CATEGORY in dict(self.attributes):
            raise ValueError(f"attribute name {CATEGORY!r} is reserved for the category head")

    @classmethod
    def from_images(cls, images: Iterable[AnnotatedImage]) -> DataVocabulary:
        """Everything the annotations name."""
        categories: set[str] = set()
        values: dict[str, set[str]] = {}
        relations: set[str] = set()
        for record in images:
            for obj in record.objects:
                categories.add(obj.category.lower())
                for name, value in obj.attributes:
                    values.setdefault(name, set()).add(value.lower())
            relations.update(r.predicate for r in record.relations)
        return cls(
            tuple(sorted(categories)),
            tuple((name, tuple(sorted(v))) for name, v in sorted(values.items())),
            tuple(sorted(relations)),
        )

    @property
    def heads(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``(name, classes)`` of every read-out head: the category first, then attributes."""
        return ((CATEGORY, self.categories), *self.attributes)

    def targets(self, obj: Any) -> list[int]:
        """Class index per head for an :class:`AnnotatedObject` (``-1``: not annotated).

        Raises:
            ValueError: For a category or value outside the vocabulary.
        """
        found = [self.categories.index(obj.category.lower())]
        for name, values in self.attributes:
            value = obj.attribute(name)
            found.append(values.index(value.lower()) if value is not None else -1)
        return found

    def words(self) -> tuple[str, ...]:
        """Every category and attribute value, sorted: the labels with their own embedding."""
        return tuple(
            sorted({*self.categories, *(v for _, values in self.attributes for v in values)})
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "categories": list(self.categories),
            "attributes": {name: list(values) for name, values in self.attributes},
            "relations": list(self.relations),
        }

    @classmethod
    def from_json(cls, data: Any) -> DataVocabulary:
        """Inverse of :meth:`to_json`.

        Raises:
            ValueError: On a malformed vocabulary.
        """
        if not isinstance(data, dict) or not isinstance(data.get("attributes", {}), dict):
            raise ValueError("data vocabulary: expected {categories, attributes, relations}")
        return cls(
            tuple(data.get("categories", ())),
            tuple((k, tuple(v)) for k, v in sorted(data.get("attributes", {}).items())),
            tuple(data.get("relations", ())),
        )
