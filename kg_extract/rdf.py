"""Facts → RDF: one named graph per document, with an evidence record for every triple.

Provenance model (chosen over RDF-star so that every store and format carries it): each
fact ``s p o`` extracted from document ``d`` lives in the named graph ``d``, and beside it
an evidence node ``e`` states ``e kg:subject s; kg:predicate p; kg:object o;
kg:document d; kg:sentence "…"; kg:start n; kg:end m; kg:extractor "kg_extract/…"``.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from kg_extract.facts import DocumentFacts, Node
from kg_extract.vocab import ATTRIBUTE_PROPERTY, KG, SCHEMA, SPATIAL_PROPERTY, IRIs

EXTRACTOR_VERSION = "kg_extract/0.2.0"

#: spaCy NER labels → schema.org classes.
NER_CLASSES: dict[str, URIRef] = {
    "PERSON": SCHEMA.Person,
    "GPE": SCHEMA.Place,
    "LOC": SCHEMA.Place,
    "FAC": SCHEMA.Place,
    "ORG": SCHEMA.Organization,
    "NORP": SCHEMA.Organization,
    "EVENT": SCHEMA.Event,
    "WORK_OF_ART": SCHEMA.CreativeWork,
    "PRODUCT": SCHEMA.Product,
    "LANGUAGE": SCHEMA.Language,
    "DATE": SCHEMA.Date,
}
_SPECIAL_CONCEPTS = {"Object": KG.Object, "Concept": KG.Concept}

Quad = tuple[RDFNode, RDFNode, RDFNode, URIRef]
#: Datatypes a literal node may carry in ``entity_type`` (see kg_extract.values).
_XSD_TYPES = frozenset({"integer", "decimal", "date", "gYear", "gYearMonth"})


def printable(text: str) -> str:
    """``text`` with unpaired surrogates (undecodable bytes of a file name) as U+FFFD.

    Labels must be valid Unicode to be written; the document IRI keeps the exact name.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


# Closed-namespace look-ups are slow attribute hooks (tens of µs); the mapper runs them
# several times per fact, so it reads these module constants instead.
_EVIDENCE, _SUBJECT, _PREDICATE, _OBJECT = KG.Evidence, KG.subject, KG.predicate, KG.object
_DOCUMENT, _SENTENCE, _START, _END = KG.document, KG.sentence, KG.start, KG.end
_EXTRACTOR, _SOURCE, _CONTENT_HASH, _UNIT = KG.extractor, KG.source, KG.contentHash, KG.unit
_DOCUMENT_CLASS, _CONCEPT, _ENTITY, _VALUE = KG.Document, KG.Concept, KG.Entity, KG.AttributeValue
_TYPE, _LABEL, _SUBCLASS_OF = RDF.type, RDFS.label, RDFS.subClassOf
_NER_FALLBACK = KG.Entity
#: Shared terms (concepts, entities, values, predicates) are cached up to this many.
_TERM_CACHE_SIZE = 100_000


@functools.lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


@functools.lru_cache(maxsize=256)
def _rule_literal(rule: str) -> Literal:
    return Literal(f"{EXTRACTOR_VERSION} rule={rule}")


def add_quads(dataset: Dataset, quads: Iterable[Quad]) -> None:
    """Add quads to an rdflib ``Dataset``, each into its named graph."""
    graphs: dict[URIRef, Graph] = {}
    for s, p, o, g in quads:
        if g not in graphs:
            graphs[g] = dataset.graph(g)
        graphs[g].add((s, p, o))


class RDFMapper:
    """Turns :class:`DocumentFacts` into quads under one base IRI."""

    def __init__(self, iris: IRIs) -> None:
        self.iris = iris
        # Corpus-wide terms repeat in every document; minting one costs a slug, a quote
        # and an IRI check. Bounded so a long corpus cannot grow them without limit.
        self._terms: dict[tuple[str, str, str | None], RDFNode] = {}
        self._predicates: dict[str, URIRef] = {}
        self._labels: dict[str, Literal] = {}
        # Evidence keys are hex digests, which need no quoting: minted by concatenation.
        self._evidence_prefix = str(iris.evidence(""))

    def node(self, node: Node, doc_id: str) -> RDFNode:
        """The RDF term for a node."""
        if node.kind == "instance":
            return self.iris.instance(doc_id, int(node.key))
        cache_key = (node.kind, node.key, node.entity_type if node.kind == "literal" else None)
        term = self._terms.get(cache_key)
        if term is None:
            term = self._mint(node)
            if len(self._terms) >= _TERM_CACHE_SIZE:
                self._terms.clear()
            self._terms[cache_key] = term
        return term

    def _mint(self, node: Node) -> RDFNode:
        if node.kind == "concept":
            if node.key in _SPECIAL_CONCEPTS:
                return _SPECIAL_CONCEPTS[node.key]
            if node.key.startswith("ner:"):
                return NER_CLASSES.get(node.key[4:], _NER_FALLBACK)
            return self.iris.concept(node.key)
        if node.kind == "entity":
            return self.iris.entity(node.key)
        if node.kind == "value":
            return self.iris.value(node.key)
        if node.entity_type in _XSD_TYPES:  # typed by kg_extract.values
            return Literal(node.key, datatype=XSD[node.entity_type])
        return Literal(node.key)

    def predicate(self, name: str) -> URIRef:
        """The RDF property for a fact's predicate name."""
        term = self._predicates.get(name)
        if term is None:
            if name == "type":
                term = _TYPE
            elif name == "subclass_of":
                term = _SUBCLASS_OF
            elif name in ATTRIBUTE_PROPERTY:
                term = ATTRIBUTE_PROPERTY[name]
            elif name == "attribute":
                term = KG.attribute
            elif name in SPATIAL_PROPERTY:
                term = SPATIAL_PROPERTY[name]
            elif "://" in name:  # mapped into a target vocabulary (kg_extract.schema_mapping)
                term = URIRef(name)
            else:
                term = self.iris.relation(name)
            if len(self._predicates) >= _TERM_CACHE_SIZE:
                self._predicates.clear()
            self._predicates[name] = term
        return term

    def _label(self, text: str) -> Literal:
        # The same labels recur in every document, and a Literal costs microseconds to make.
        label = self._labels.get(text)
        if label is None:
            if len(self._labels) >= _TERM_CACHE_SIZE:
                self._labels.clear()
            label = self._labels[text] = Literal(text)
        return label

    def _node_quads(self, node: Node, term: RDFNode, graph: URIRef, out: list[Quad]) -> None:
        if node.kind == "concept":
            if node.key not in _SPECIAL_CONCEPTS and not node.key.startswith("ner:"):
                out.append((term, _TYPE, _CONCEPT, graph))
                out.append((term, _LABEL, self._label(node.label or node.key), graph))
        elif node.kind == "entity":
            out.append((term, _TYPE, _ENTITY, graph))
            out.append((term, _LABEL, self._label(node.label or node.key), graph))
        elif node.kind == "value":
            out.append((term, _TYPE, _VALUE, graph))
            out.append((term, _LABEL, self._label(node.key), graph))

    def quads(
        self, doc: DocumentFacts, source: str, content_hash: str, origin: str | None = None
    ) -> list[Quad]:
        """All quads of one document: header, facts, node labels and evidence.

        ``origin`` is the id of the whole input a part document was cut from (stated as
        ``kg:partOf``, so that replacing the input can find and replace all its parts).
        """
        # Built as one list, not yielded: a document's quads are a few hundred tuples,
        # and generators nested per fact cost more than the tuples themselves.
        graph = self.iris.document(doc.doc_id)
        out: list[Quad] = [
            (graph, _TYPE, _DOCUMENT_CLASS, graph),
            (graph, _SOURCE, Literal(printable(source)), graph),
            (graph, _CONTENT_HASH, Literal(content_hash), graph),
            (graph, _LABEL, Literal(printable(doc.doc_id)), graph),
        ]
        if origin is not None:
            out.append((graph, KG.partOf, self.iris.document(origin), graph))
        described: set[RDFNode] = set()
        sentences: dict[int, Literal] = {}
        instances: dict[str, URIRef] = {}

        def term_of(node: Node) -> RDFNode:
            if node.kind != "instance":
                return self.node(node, doc.doc_id)
            term = instances.get(node.key)
            if term is None:
                term = instances[node.key] = self.iris.instance_in(graph, int(node.key))
            return term

        for fact in doc.facts:
            s, p, o = term_of(fact.subject), self.predicate(fact.predicate), term_of(fact.object)
            out.append((s, p, o, graph))
            if s not in described:
                described.add(s)
                self._node_quads(fact.subject, s, graph, out)
            if o not in described:
                described.add(o)
                self._node_quads(fact.object, o, graph, out)
            key = f"{doc.doc_id}|{s}|{p}|{o}|{fact.start}|{fact.end}"
            evidence = URIRef(
                self._evidence_prefix
                + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]
            )
            sentence = sentences.get(fact.sentence)
            if sentence is None:
                sentence = sentences[fact.sentence] = Literal(doc.sentence_text(fact.sentence))
            out += (
                (evidence, _TYPE, _EVIDENCE, graph),
                (evidence, _SUBJECT, s, graph),
                (evidence, _PREDICATE, p, graph),
                (evidence, _OBJECT, o, graph),
                (evidence, _DOCUMENT, graph, graph),
                (evidence, _SENTENCE, sentence, graph),
                (evidence, _START, _integer(fact.start), graph),
                (evidence, _END, _integer(fact.end), graph),
                (evidence, _EXTRACTOR, _rule_literal(fact.rule), graph),
            )
            if fact.object.unit is not None:
                out.append((evidence, _UNIT, self._label(fact.object.unit), graph))
        return out
