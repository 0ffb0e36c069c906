"""One entity, one canonical node across a corpus: name variants linked by ``owl:sameAs``.

Within a document the rules already give one node per entity (a surname, a given name, a
title, a pronoun, a short name or an acronym defined in brackets stand for the full name;
see :mod:`kg_extract.general_rules`). Across documents a name is one IRI by construction,
so what remains are *variants*: "Xavi Hernández" and "Xavi Hernandez", "Apple Inc." and
"Apple", "NASA" and "National Aeronautics and Space Administration", "Einstein" alone in
one document and "Albert Einstein" in another. :func:`link_entities` groups them with five
rules, applied in this order and only where the answer is unique in the corpus:

``spelling``
    Equal after folding case, accents, punctuation and a leading "the"
    ("J.R.R. Tolkien" = "J. R. R. Tolkien"). The canonical form is the one most documents
    use, then the one with accents, then the longer.
``initials``
    Given names written as initials ("J. R. R. Tolkien" = "John Ronald Reuel Tolkien").
``affix``
    An organisation's name without its legal or club affix ("Apple" = "Apple Inc.",
    "Manchester United" = "Manchester United F.C.").
``acronym``
    An all-capitals name that spells the initials of exactly one longer name.
``surname``
    A one-word name that is the last word of exactly one person's full name.

Names of incompatible types (a person and a place, say) are never linked; an ambiguous
short form (a surname two people share) stays as it is. Every link is a
``variant owl:sameAs canonical`` statement in one named graph (:meth:`IRIs.links
<kg_extract.vocab.IRIs.links>`), each with an evidence record naming its rule, so that a
query can follow or ignore them and each is explained.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Literal

from kg_extract.facts import DocumentFacts
from kg_extract.rdf import NER_CLASSES
from kg_extract.store import GraphStore, Quad
from kg_extract.vocab import KG, IRIs

__all__ = [
    "NAME_WORD",
    "EntityName",
    "Link",
    "NameCounter",
    "acronym",
    "fold",
    "link_entities",
    "link_graph",
    "link_quads",
    "relink_store",
    "short_name",
    "stored_names",
]

LINK_EXTRACTOR = "kg_extract/linking"

#: Club and legal affixes that a short form of an organisation's name leaves out.
_CLUB_AFFIXES = frozenset({"fc", "f.c.", "afc", "a.f.c.", "cf", "c.f.", "sc", "s.c."})
_PREFIXES = _CLUB_AFFIXES | {"cd", "c.d.", "ac", "a.c."}
_SUFFIXES = _CLUB_AFFIXES | {"inc", "inc.", "ltd", "ltd.", "limited", "corp", "corp."} | {
    "corporation", "plc", "llc", "l.l.c.", "gmbh", "ag", "s.a.", "n.v."
}  # fmt: skip
#: Words an acronym skips ("Massachusetts Institute of Technology" → MIT).
_FUNCTION_WORDS = frozenset(
    ["of", "and", "the", "for", "de", "du", "des", "la", "le", "in", "on", "at", "&", "y"]
)
#: NER labels (spaCy) → kinds of thing; the classes they become in RDF (schema.org, see
#: ``NER_CLASSES``), as a store reports them, are the same kinds.
_NER_KINDS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place",
              "ORG": "organisation", "NORP": "organisation"}  # fmt: skip
_KINDS = _NER_KINDS | {
    str(NER_CLASSES[label]).rsplit("/", 1)[-1]: kind for label, kind in _NER_KINDS.items()
}
_ACRONYM = re.compile(r"(?:[A-Z]\.?){2,6}")
#: A word of a person's full name ("Ada", "Skłodowska-Curie", "O'Brien", "J.", "J.R.R.").
NAME_WORD = re.compile(r"[^\W\d_a-z][^\W\d_]*(?:['’-][^\W\d_]+)*|(?:[^\W\d_]\.)+")
#: A surname alone: capitalised, three letters or more, not all capitals (an acronym).
_SURNAME = re.compile(r"[^\W\d_a-z](?=[^\W\d_]*[^\W\d_A-Z])[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")


def fold(name: str) -> str:
    """``name`` folded for comparison: no case, accents, punctuation or leading "the"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[^\w]+", " ", plain).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def short_name(name: str) -> str | None:
    """An organisation's name without its affix ("FC Barcelona" → "Barcelona"), if any."""
    words = name.split()
    if len(words) < 2:
        return None
    if words[0].lower() in _PREFIXES:
        rest = words[1:]
    elif words[-1].lower() in _SUFFIXES:
        rest = words[:-1]
        rest[-1] = rest[-1].rstrip(",")  # "Apple, Inc."
    else:
        return None
    short = " ".join(rest)
    return short if short[:1].isupper() else None


def acronym(name: str) -> str:
    """The initials of a name's content words ("European Union" → "EU")."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in _FUNCTION_WORDS]
    return "".join(w[0] for w in words if w[0].isupper()) if len(words) > 1 else ""


@dataclass(frozen=True)
class EntityName:
    """A name as the corpus uses it.

    Attributes:
        name: The entity node's name (its key).
        types: NER labels or classes the corpus gives it (``PERSON``, ``Place`` …).
        documents: How many documents use it.
    """

    name: str
    types: frozenset[str] = frozenset()
    documents: int = 1

    @property
    def kinds(self) -> frozenset[str]:
        """Person, place, organisation or other, from :attr:`types`."""
        return frozenset(_KINDS.get(t, t) for t in self.types)


@dataclass(frozen=True)
class Link:
    """``variant`` names the same entity as ``canonical``, by ``rule``."""

    variant: str
    canonical: str
    rule: str


class _Groups:
    """Union-find over names; each group's root is its canonical name."""

    def __init__(self, names: dict[str, EntityName]) -> None:
        self.parent = {n: n for n in names}
        self.rule: dict[str, str] = {}
        self.kinds = {n: e.kinds for n, e in names.items()}

    def root(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def compatible(self, a: str, b: str) -> bool:
        ka, kb = self.kinds[self.root(a)], self.kinds[self.root(b)]
        return not ka or not kb or bool(ka & kb)

    def join(self, variant: str, canonical: str, rule: str) -> None:
        v, c = self.root(variant), self.root(canonical)
        if v != c:
            self.parent[v] = c
            self.rule[v] = rule
            self.kinds[c] = self.kinds[c] | self.kinds[v]

    def unique_root(self, candidates: Iterable[str], name: str) -> str | None:
        roots = {self.root(c) for c in candidates} - {self.root(name)}
        if len(roots) != 1:
            return None
        (root,) = roots
        return root if self.compatible(name, root) else None


def _merged(names: Iterable[EntityName]) -> dict[str, EntityName]:
    merged: dict[str, EntityName] = {}
    for entity in names:
        seen = merged.get(entity.name)
        if seen is not None:
            entity = EntityName(
                entity.name, seen.types | entity.types, seen.documents + entity.documents
            )
        merged[entity.name] = entity
    return dict(sorted(merged.items()))


def _join_unique(
    groups: _Groups,
    index: dict[str, list[str]],
    queries: Iterable[tuple[str, str]],
    rule: str,
) -> None:
    """Join each ``(name, key)`` to the one group that ``index[key]`` points to, if one."""
    for name, key in queries:
        root = groups.unique_root(index.get(key, []), name)
        if root is not None:
            groups.join(name, root, rule)


def _is_initial(word: str) -> bool:
    return len(word) == 1


def link_entities(names: Iterable[EntityName]) -> list[Link]:
    """The links that make each group of name variants one entity (see the module notes).

    Deterministic: the result depends only on the set of names, their types and counts.

    Example:
        >>> [(l.variant, l.canonical, l.rule) for l in link_entities(
        ...     [EntityName("Ada Lovelace", frozenset({"PERSON"})), EntityName("Lovelace")])]
        [('Lovelace', 'Ada Lovelace', 'surname')]
    """
    entities = _merged(names)
    groups = _Groups(entities)
    folded = {n: fold(n) for n in entities}
    by_fold: dict[str, list[str]] = defaultdict(list)
    for name, key in folded.items():
        by_fold[key].append(name)

    for variants in by_fold.values():
        if len(variants) > 1:
            # Accents first: texts drop them far more often than they add wrong ones.
            best = max(
                variants,
                key=lambda n: (
                    sum(not c.isascii() for c in n),
                    entities[n].documents,
                    sum(w[:1].isupper() for w in n.split()),
                    len(n),
                    n,
                ),
            )
            for name in variants:
                if name != best:  # the same letters: types from the NER do not outweigh them
                    groups.join(name, best, "spelling")

    # Initials: "j r r tolkien" against full given names with the same surname.
    by_surname: dict[tuple[str, int], list[str]] = defaultdict(list)
    for name, key in folded.items():
        words = key.split()
        if len(words) > 1 and not any(_is_initial(w) for w in words[:-1]):
            by_surname[(words[-1], len(words))].append(name)
    for name, key in folded.items():
        words = key.split()
        if len(words) < 2 or not any(_is_initial(w) for w in words[:-1]):
            continue
        candidates = [
            full
            for full in by_surname.get((words[-1], len(words)), [])
            if all(
                g == w or (_is_initial(w) and g.startswith(w))
                for w, g in zip(words[:-1], folded[full].split()[:-1], strict=True)
            )
        ]
        root = groups.unique_root(candidates, name)
        if root is not None:
            groups.join(name, root, "initials")

    # Affixes: "Apple" is "Apple Inc." when only one name shortens to it.
    by_short: dict[str, list[str]] = defaultdict(list)
    for name in entities:
        short = short_name(name)
        if short is not None:
            by_short[fold(short)].append(name)
    affixed = ((n, key) for key in sorted(by_short) for n in by_fold.get(key, []))
    _join_unique(groups, by_short, affixed, "affix")

    # Acronyms: "NASA" is the one longer name whose initials it spells.
    by_acronym: dict[str, list[str]] = defaultdict(list)
    for name in entities:
        letters = acronym(name)
        if len(letters) >= 2:
            by_acronym[letters].append(name)
    acronyms = ((n, n.replace(".", "")) for n in entities if _ACRONYM.fullmatch(n))
    _join_unique(groups, by_acronym, acronyms, "acronym")

    # Surnames: "Einstein" is the one person whose full name ends in it.
    people: dict[str, list[str]] = defaultdict(list)
    for name, key in folded.items():
        words = name.split()
        if (
            len(words) > 1
            and "person" in groups.kinds[name]
            and all(map(NAME_WORD.fullmatch, words))
        ):
            people[key.split()[-1]].append(name)
    surnames = (
        (n, key)
        for n, key in folded.items()
        if _SURNAME.fullmatch(n) and "place" not in entities[n].kinds
    )
    _join_unique(groups, people, surnames, "surname")

    return [
        Link(name, groups.root(name), groups.rule[name])
        for name in entities
        if groups.root(name) != name
    ]


class NameCounter:
    """Collects the entity names of documents as they stream past (for :func:`link_entities`)."""

    def __init__(self) -> None:
        self._types: dict[str, set[str]] = {}
        self._documents: dict[str, int] = defaultdict(int)

    def add(self, document: DocumentFacts) -> None:
        """Count the names that ``document``'s facts and mentions use."""
        seen: set[str] = set()
        nodes = [n for f in document.facts for n in (f.subject, f.object)]
        for node in (*nodes, *(m.node for m in document.mentions)):
            if node.kind != "entity":
                continue
            types = self._types.setdefault(node.key, set())
            if node.entity_type:
                types.add(node.entity_type)
            seen.add(node.key)
        for name in seen:
            self._documents[name] += 1

    def names(self) -> list[EntityName]:
        """Every name counted so far."""
        return [
            EntityName(name, frozenset(types), self._documents[name])
            for name, types in sorted(self._types.items())
        ]


def stored_names(store: GraphStore) -> list[EntityName]:
    """The entity names of every document in ``store``, with their classes and counts."""
    result = store.query(
        "SELECT ?label (GROUP_CONCAT(DISTINCT STR(?class); separator=' ') AS ?classes) "
        "(COUNT(DISTINCT ?g) AS ?documents) WHERE { GRAPH ?g { "
        f"?e a {KG.Entity.n3()} ; {RDFS.label.n3()} ?label . "
        f"OPTIONAL {{ ?e a ?class FILTER(?class != {KG.Entity.n3()}) }} }} }} GROUP BY ?label"
    )
    names = []
    for label, classes, documents in result.rows:
        types = frozenset(
            c.rsplit("/", 1)[-1].rsplit("#", 1)[-1] for c in str(classes or "").split()
        )
        count = int(documents.toPython()) if isinstance(documents, Literal) else 1
        names.append(EntityName(str(label), types, count))
    return names


def link_graph(names: Iterable[EntityName], iris: IRIs) -> tuple[list[Quad], int]:
    """The link graph's quads for ``names`` (see :func:`link_quads`) and its link count."""
    quads = list(link_quads(link_entities(names), iris))
    return quads, sum(1 for q in quads if q[1] == OWL.sameAs)


def relink_store(store: GraphStore, iris: IRIs) -> int:
    """Recompute the link graph from every document in ``store``; return the link count."""
    quads, count = link_graph(stored_names(store), iris)
    store.replace_document(iris.links(), quads)
    return count


def link_quads(links: Iterable[Link], iris: IRIs) -> Iterator[Quad]:
    """The links as quads in the corpus's link graph, each with an evidence record.

    No links, no graph: a corpus without name variants has only document graphs.
    """
    graph = iris.links()
    typed = False
    for link in links:
        variant, canonical = iris.entity(link.variant), iris.entity(link.canonical)
        if variant == canonical:
            continue  # names that differ only where IRIs do not (case)
        if not typed:
            typed = True
            yield graph, RDF.type, KG.EntityLinks, graph
        yield variant, OWL.sameAs, canonical, graph
        key = f"{variant}|{canonical}"
        evidence = iris.evidence("link-" + hashlib.sha1(key.encode()).hexdigest()[:20])
        yield evidence, RDF.type, KG.Evidence, graph
        yield evidence, KG.subject, variant, graph
        yield evidence, KG.predicate, OWL.sameAs, graph
        yield evidence, KG.object, canonical, graph
        yield evidence, KG.extractor, Literal(f"{LINK_EXTRACTOR} rule={link.rule}"), graph
