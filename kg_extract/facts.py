"""Facts as the rules produce them, before they become RDF: nodes, values and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal["instance", "concept", "entity", "value", "literal"]


@dataclass(frozen=True, slots=True)
class Node:
    """A graph node named by its kind and key.

    Attributes:
        kind: ``instance`` (key: the object's number in the document), ``concept`` (noun
            lemma), ``entity`` (canonical name), ``value`` (attribute value) or ``literal``.
        key: The identifying text.
        label: Human-readable label (surface text), if any.
        entity_type: For entities: the spaCy NER label (``PERSON``, ``GPE`` …).
        unit: For literals: the unit the text measures the number in, by its canonical
            name ("kilometres" for "km"), if any.
    """

    kind: NodeKind
    key: str
    label: str | None = field(default=None, compare=False)
    entity_type: str | None = field(default=None, compare=False)
    unit: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted statement with the text it came from.

    Attributes:
        subject: Subject node.
        predicate: ``rdf:type``, an attribute (``colour``/``shape``/``size``), a spatial
            relation, ``subclass_of``, or a normalised free predicate.
        object: Object node.
        sentence: Index of the sentence in the document.
        start: Character offset (in the document) where the evidence starts.
        end: Character offset where the evidence ends.
        rule: Name of the rule that produced it.
    """

    subject: Node
    predicate: str
    object: Node
    sentence: int
    start: int
    end: int
    rule: str


@dataclass(frozen=True, slots=True)
class Mention:
    """Where the text names an entity: a name, a title with a name, a pronoun.

    Attributes:
        start: Character offset (in the document) where the mention starts: the name as
            the NER found it, or the one token read as the entity (a pronoun, a name the
            NER missed).
        end: Where the mention ends.
        node: The entity node it stands for, after resolution within the document
            ("Lovelace" and "She" stand for "Ada Lovelace").
    """

    start: int
    end: int
    node: Node


@dataclass
class DocumentFacts:
    """Everything extracted from one document.

    Attributes:
        doc_id: Stable document id (file path, JSONL ``id``, or ``stdin``).
        text: The document text.
        sentences: ``(start, end)`` character spans of the sentences.
        facts: The facts in extraction order.
        warnings: Problems met (skipped sentences, truncation), one line each.
        mentions: Every token read as an entity, in text order.
    """

    doc_id: str
    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def sentence_text(self, index: int) -> str:
        """The text of sentence ``index``."""
        start, end = self.sentences[index]
        return self.text[start:end]
