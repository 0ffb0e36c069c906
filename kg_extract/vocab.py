"""The kg2img RDF vocabulary: a closed namespace, plus the IRI schemes for minted nodes.

Terms outside :class:`KG` raise ``AttributeError`` (the namespace is closed), so a typo in
a rule cannot silently invent a predicate. Predicates that the lexicon does not know keep
a normalised lemma form in the open :func:`relation_namespace`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

DEFAULT_BASE = "https://kg2img.org/"
SCHEMA = Namespace("https://schema.org/")


class KG(DefinedNamespace):
    """Closed vocabulary of kg2img graphs (``https://kg2img.org/ns#``)."""

    _NS = Namespace("https://kg2img.org/ns#")
    _fail = True

    # Classes
    Document: URIRef
    Evidence: URIRef
    Object: URIRef  # an instance described in a scene (a shape, a glorp)
    Concept: URIRef  # a class-level noun ("glorp", "fire truck")
    Entity: URIRef  # a named entity (person, place, organisation …)
    AttributeValue: URIRef
    EntityLinks: URIRef  # the graph of owl:sameAs links between name variants
    # Attributes (objects are AttributeValue IRIs)
    colour: URIRef
    shape: URIRef
    size: URIRef
    attribute: URIRef  # any other attribute an object is described with ("fluffy", "wooden")
    # Spatial relations between objects
    left_of: URIRef
    right_of: URIRef
    above: URIRef
    below: URIRef
    # Provenance (on Evidence records and documents)
    subject: URIRef
    predicate: URIRef
    object: URIRef
    document: URIRef
    sentence: URIRef
    start: URIRef
    end: URIRef
    extractor: URIRef
    unit: URIRef  # evidence: the unit the text measured the object's number in
    source: URIRef  # document: where it was read from (path, "stdin", JSONL id)
    contentHash: URIRef
    partOf: URIRef  # document: the whole input (file, record) it is a part of
    text: URIRef  # document text (only when asked to keep it)


#: Attribute name → property.
ATTRIBUTE_PROPERTY = {"colour": KG.colour, "shape": KG.shape, "size": KG.size}
#: Spatial predicate name → property.
SPATIAL_PROPERTY = {
    "left_of": KG.left_of,
    "right_of": KG.right_of,
    "above": KG.above,
    "below": KG.below,
}
#: Inverse spatial relations, stated explicitly for graph → tensor conversion.
INVERSE_SPATIAL = {
    KG.left_of: KG.right_of,
    KG.right_of: KG.left_of,
    KG.above: KG.below,
    KG.below: KG.above,
}


def slug(text: str) -> str:
    r"""A lowercase IRI-safe key for free text: letters, digits and underscores.

    Non-ASCII letters are kept (percent-encoded by :func:`mint`); anything that could
    break an IRI (``<>"{}|\\^`` and white space) becomes ``_``.
    """
    normal = unicodedata.normalize("NFKC", text).strip().lower()
    key = re.sub(r"[^\w]+", "_", normal, flags=re.UNICODE).strip("_")
    return key or "_"


class IRIs:
    """Mints IRIs under one base (``--base``)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        # fullmatch: "$" would also accept a base that ends in a newline.
        if len(base) > 2000 or not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*", base):
            raise ValueError(f"invalid base IRI {base[:200]!r} (an absolute IRI without spaces)")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _mint(self, kind: str, key: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{quote(key, safe='_-.~')}")

    def document(self, doc_id: str) -> URIRef:
        """The document (and its named graph).

        The id is kept exactly, case and all, percent-encoding everything but letters,
        digits and ``_-.~`` (``/`` and ``#`` included), so two ids never share an IRI and
        a document's IRI never lies under another's (``doc/<id>/obj/<n>``).
        """
        if not doc_id:
            raise ValueError("empty document id")
        key = quote(doc_id.encode("utf-8", "surrogatepass"), safe="_-.~")
        return URIRef(f"{self.base}doc/{key}")

    def instance(self, doc_id: str, number: int) -> URIRef:
        """The ``number``-th object introduced in a document."""
        return self.instance_in(self.document(doc_id), number)

    @staticmethod
    def instance_in(document: URIRef, number: int) -> URIRef:
        """The ``number``-th object introduced in the document with IRI ``document``."""
        return URIRef(f"{document}/obj/{number}")

    def concept(self, name: str) -> URIRef:
        """A concept noun, shared across the corpus."""
        return self._mint("concept", slug(name))

    def entity(self, name: str) -> URIRef:
        """A canonical named entity, shared across the corpus."""
        return self._mint("entity", slug(name))

    def value(self, value: str) -> URIRef:
        """An attribute value (``red``, ``small``, ``circle``)."""
        return self._mint("value", slug(value))

    def relation(self, name: str) -> URIRef:
        """A predicate outside the closed vocabulary (normalised lemma form)."""
        return self._mint("rel", slug(name))

    def links(self) -> URIRef:
        """The named graph of ``owl:sameAs`` links between entity names (one per base)."""
        return URIRef(f"{self.base}links")

    def evidence(self, key: str) -> URIRef:
        """An evidence record."""
        return self._mint("evidence", key)
