"""Where graphs live: the embedded Oxigraph store, any SPARQL 1.1 endpoint, RDF files.

Both stores keep one named graph per document and replace it whole when the document
changes; an unchanged document (same content hash) is skipped, so re-running an
extraction adds nothing. A document is removed and re-added as two atomic steps, so a
crash in between leaves it absent (and re-extracted next time), never half-written.

The embedded store gathers documents into batches and writes each batch with Oxigraph's
bulk loader: one set of sorted files per batch, ingested by RocksDB in one atomic step
(all the batch's documents appear together, or, after a crash, none of them). This is
several times faster than a transaction per document; see :class:`OxigraphStore`.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import re
import threading
import time
import urllib.parse
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.term import Node as RDFNode

from kg2img.atomic import atomic_open
from kg_extract.guarded import GuardedReader, QueryLimitError, QueryLimits, damaged
from kg_extract.rdf import Quad, add_quads
from kg_extract.vocab import KG

#: File extension → rdflib format name. Quad formats keep the per-document graphs.
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
}
QUAD_FORMATS = {"nquads", "trig", "json-ld"}
LINE_FORMATS = {"nt", "nquads"}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CONTENT_HASH = KG.contentHash


@dataclass(frozen=True)
class _Queued:
    """A document waiting to be written: its N-Quads, their number and its content hash."""

    text: str
    quads: int
    content_hash: str | None


#: Below this many quads a bulk load is one RocksDB ingestion, hence atomic.
_ATOMIC_BULK_QUADS = 500_000
#: Tries of a read-only query whose files are being rewritten by a writing process.
_READ_ATTEMPTS = 5


class QueryError(ValueError):
    """A SPARQL query that is malformed or refused."""


class StoreError(OSError):
    """A store or endpoint that cannot be opened or reached."""


def format_for(path: Path) -> str:
    """The rdflib format of an RDF file, by extension."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(
            f"{path}: unknown RDF extension {path.suffix!r}; use one of {', '.join(FORMATS)}"
        ) from None


# --- query checking -------------------------------------------------------------------


def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)
    elif hasattr(node, "asList"):
        for value in node:  # type: ignore[attr-defined]
            yield from _walk(value)


def check_query(sparql: str, allow_update: bool = False, allow_service: bool = False) -> str:
    """Validate a SPARQL string and return its form.

    The form is ``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE`` or ``UPDATE``.

    Raises:
        QueryError: With the parser's message and position if it is malformed, or if it is
            an update or uses ``SERVICE`` without the matching permission.
    """
    parsed: Any
    try:
        parsed = parseQuery(sparql)
        form = str(parsed[1].name).replace("Query", "").upper()
    except Exception as query_error:
        try:
            parsed = parseUpdate(sparql)
        except Exception:
            raise QueryError(f"malformed SPARQL: {_one_line(query_error)}") from None
        if not allow_update:
            raise QueryError("SPARQL UPDATE refused on a read path (pass --allow-update)") from None
        form = "UPDATE"
    if not allow_service and any(
        getattr(n, "name", None) == "ServiceGraphPattern" for n in _walk(parsed)
    ):
        raise QueryError("SERVICE calls refused (pass --allow-service to query remote endpoints)")
    return form


def _one_line(error: BaseException | str) -> str:
    return re.sub(r"\s+", " ", str(error)).strip()


# --- term conversion ------------------------------------------------------------------


class NQuadsWriter:
    """Quads → N-Quads (or N-Triples) text, remembering the text of repeated terms.

    Predicates, classes, concepts, values and labels repeat from fact to fact; their text
    is kept (up to ``limit`` terms) instead of being escaped again. The output is what
    rdflib's own N-Quads serializer writes, line for line.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self._text: dict[RDFNode, str] = {}
        self._limit = limit

    def term(self, term: RDFNode) -> str:
        """The N-Quads text of one term."""
        text = self._text.get(term)
        if text is None:
            text = _quoteLiteral(term) if isinstance(term, Literal) else term.n3()
            if len(self._text) >= self._limit:
                self._text.clear()
            self._text[term] = text
        return text

    def quads(self, quads: Iterable[Quad]) -> str:
        """N-Quads lines."""
        t = self.term
        return "".join(f"{t(s)} {t(p)} {t(o)} {t(g)} .\n" for s, p, o, g in quads)

    def triples(self, quads: Iterable[Quad]) -> str:
        """N-Triples lines (graph names dropped)."""
        t = self.term
        return "".join(f"{t(s)} {t(p)} {t(o)} .\n" for s, p, o, _ in quads)


def from_ox(term: object) -> RDFNode:
    """Pyoxigraph term → rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # RDF 1.1: a plain literal is an xsd:string
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


# --- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[RDFNode | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None


class GraphStore(Protocol):
    """What extraction and querying need from a store."""

    def document_hash(self, document: URIRef) -> str | None:
        """The content hash stored for a document, or ``None`` if it is absent."""
        ...

    def replace_document(self, document: URIRef, quads: list[Quad]) -> None:
        """Replace the document's named graph with ``quads`` (none: remove it)."""
        ...

    def part_documents(self, document: URIRef) -> list[URIRef]:
        """The stored documents that are parts of ``document`` (``kg:partOf``)."""
        ...

    def query(self, sparql: str) -> QueryResult:
        """Run a read query (checked by the caller)."""
        ...

    def flush(self) -> None:
        """Make everything written so far visible and durable."""
        ...


def _vanished_file(error: BaseException) -> bool:
    # A read-only view of a store that another process is writing can list a data file
    # that the writer has since merged away; a fresh view lists the current files.
    return "No such file" in str(error)


def _open_read_only(path: Path) -> ox.Store:
    for attempt in range(_READ_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            if not _vanished_file(error) or attempt == _READ_ATTEMPTS - 1:
                raise OSError(_one_line(error)) from error
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


#: Writable stores still open: their queues are committed when the interpreter exits.
_OPEN_STORES: weakref.WeakSet[OxigraphStore] = weakref.WeakSet()


@atexit.register
def _flush_open_stores() -> None:
    for store in list(_OPEN_STORES):
        with contextlib.suppress(Exception):  # exiting: nothing left to report to
            store.flush()


class OxigraphStore:
    """The embedded persistent store (a folder), through pyoxigraph.

    Queries see the union of all document graphs as their default graph.

    Writes are batched: :meth:`replace_document` queues a document (as N-Quads text),
    and the queue is committed when it holds ``batch_quads`` quads, when
    ``batch_seconds`` have passed since the last commit, before any read through this
    object, on :meth:`flush` or :meth:`close`, and when the interpreter exits. A commit
    hands the batch to a writer thread, which removes the batch's old document graphs
    (one transaction each) and bulk-loads the new ones in a single atomic RocksDB
    ingestion; Oxigraph parses and loads without Python's lock, so on a second core this
    overlaps the next batch's parsing. Readers see whole documents and a crash loses at
    most the batches not yet loaded (those documents carry no content hash in the store,
    so the next run extracts them again). A document of ``batch_quads`` quads or more is
    a batch of its own; one too large for a single ingestion (half a million quads;
    Oxigraph cuts bulk loads at a million) is loaded in one transaction instead, which
    holds it all in memory.

    Another process may open the folder ``read_only`` while a writer runs (``kg2img
    query`` during ``kg2img extract``): it sees the store as of its opening, whole
    batches only. pyoxigraph calls this undefined behaviour, because the writer may
    delete files that the reader's view still lists; the reader then reopens and retries
    (a few times). For heavy concurrent reading serve the store with ``oxigraph serve``
    and use ``--endpoint``.

    Args:
        path: The store's folder (created if missing); ``None`` for an in-memory store.
        read_only: Open an existing store for reading only.
        batch_quads: Commit when the queue holds this many quads.
        batch_seconds: Commit when the oldest queued document has waited this long.
        limits: Bounds on each query (time, results; the result cap and deadline are
            checked between results). For a read-only store on disk queries then run in
            a forked reader process under a memory bound, kept between queries and killed
            at a deadline: the only way to stop a pyoxigraph query or to survive a damaged
            store that makes RocksDB allocate without end (see :mod:`kg_extract.guarded`).
    """

    def __init__(
        self,
        path: Path | None,
        read_only: bool = False,
        batch_quads: int = 50_000,
        batch_seconds: float = 1.0,
        limits: QueryLimits | None = None,
    ) -> None:
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = _open_read_only(path)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(path))
        except OSError as error:
            if "Corruption" in str(error):
                raise damaged(path, _one_line(error)) from error
            raise StoreError(f"{path}: cannot open store ({_one_line(error)})") from error
        self.limits = limits
        self._guarded: GuardedReader | None = None  # started by the first guarded query
        self.path = path
        self.read_only = read_only
        self.batch_quads = batch_quads
        self.batch_seconds = batch_seconds
        self._nquads = NQuadsWriter()
        self._queue: dict[str, _Queued] = {}  # document graph IRI → its new content
        self._queued_quads = 0
        self._queued_since = 0.0
        self._loading: dict[str, _Queued] = {}  # the batch the writer thread is loading
        self._writer: threading.Thread | None = None
        self._writer_error: BaseException | None = None
        if path is not None and not read_only:
            _OPEN_STORES.add(self)

    def document_hash(self, document: URIRef) -> str | None:
        """The content hash stored (or queued) for a document, or ``None``."""
        key = str(document)
        queued = self._queue.get(key) or self._loading.get(key)
        if queued is not None:
            return queued.content_hash
        # Not queued and not in the writer's batch: the writer does not touch its graph.
        g, has_hash = ox.NamedNode(key), ox.NamedNode(str(KG.contentHash))
        for quad in self.store.quads_for_pattern(g, has_hash, None, g):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return None

    def part_documents(self, document: URIRef) -> list[URIRef]:
        """The stored documents that are parts of ``document`` (``kg:partOf``)."""
        whole, part_of = ox.NamedNode(str(document)), ox.NamedNode(str(KG.partOf))
        parts = {
            quad.subject.value
            for quad in self.store.quads_for_pattern(None, part_of, whole, None)
            if isinstance(quad.subject, ox.NamedNode) and quad.graph_name == quad.subject
        }
        return [URIRef(p) for p in sorted(parts)]

    def replace_document(self, document: URIRef, quads: list[Quad]) -> None:
        """Replace the document's graph with ``quads`` (queued; see the class notes).

        With no quads the document is removed.
        """
        content_hash = next(
            (str(o) for s, p, o, _ in quads if p == _CONTENT_HASH and s == document), None
        )
        entry = _Queued(self._nquads.quads(quads), len(quads), content_hash)
        key = str(document)
        if len(quads) >= self.batch_quads:
            self.commit()
            self._start({key: entry})
            return
        if not self._queue:
            self._queued_since = time.monotonic()
        previous = self._queue.pop(key, None)  # the same document twice in one batch
        if previous is not None:
            self._queued_quads -= previous.quads
        self._queue[key] = entry
        self._queued_quads += entry.quads
        if (
            self._queued_quads >= self.batch_quads
            or time.monotonic() - self._queued_since >= self.batch_seconds
        ):
            self.commit()

    def commit(self) -> None:
        """Hand the queued documents to the writer thread."""
        if self._queue:
            batch, self._queue, self._queued_quads = self._queue, {}, 0
            self._start(batch)

    def _start(self, batch: dict[str, _Queued]) -> None:
        self._wait()
        self._loading = batch
        self._writer = threading.Thread(target=self._load, args=(batch,), name="kg2img-store")
        self._writer.start()

    def _load(self, batch: dict[str, _Queued]) -> None:
        try:
            for graph in batch:
                self.store.remove_graph(ox.NamedNode(graph))
            data = "".join(entry.text for entry in batch.values()).encode("utf-8")
            if sum(entry.quads for entry in batch.values()) < _ATOMIC_BULK_QUADS:
                self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            else:
                self.store.load(data, format=ox.RdfFormat.N_QUADS)
        except BaseException as error:  # re-raised in the caller's thread by _wait
            self._writer_error = error

    def _wait(self) -> None:
        """Wait for the writer thread; raise what it met."""
        if self._writer is not None:
            self._writer.join()
            self._writer, self._loading = None, {}
        if self._writer_error is not None:
            error, self._writer_error = self._writer_error, None
            raise StoreError(f"{self.path}: writing failed ({_one_line(error)})") from error

    def _drain(self) -> None:
        self.commit()
        self._wait()

    def query(self, sparql: str) -> QueryResult:
        """Run a read query over the union of the document graphs.

        Raises:
            QueryError: A malformed query.
            QueryLimitError: The query passed one of the store's ``limits``.
            DamagedStoreError: RocksDB reports the store's files as corrupt.
        """
        self._drain()
        if self.limits is not None and self.read_only and self.path is not None:
            if self._guarded is None:
                self._guarded = GuardedReader(self.path, self.limits, _ChildReader(self.path))
            return _from_plain(self._guarded.query(sparql))
        for attempt in range(_READ_ATTEMPTS):
            try:
                return _solve(self.store, sparql, self.limits, self.path)
            except (OSError, RuntimeError) as error:
                if not (self.read_only and _vanished_file(error)) or attempt == _READ_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
                assert self.path is not None
                self.store = _open_read_only(self.path)
        raise AssertionError("unreachable")

    def update(self, text: str) -> None:
        """Apply a SPARQL update (transactional: all or nothing)."""
        self._drain()
        try:
            self.store.update(text)
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL update: {_one_line(error)}") from error

    def flush(self) -> None:
        """Commit the queue, wait for the writer and make written data durable."""
        self._drain()
        if self.path is not None and not self.read_only:
            self.store.flush()

    def close(self) -> None:
        """Commit and flush; the object stays usable (pyoxigraph closes on collection)."""
        self.flush()

    def __enter__(self) -> OxigraphStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.flush()

    def __len__(self) -> int:
        self._drain()
        return len(self.store)


def _solve(
    store: ox.Store, sparql: str, limits: QueryLimits | None, path: Path | None
) -> QueryResult:
    """Run a query, checking the result cap and the deadline between results."""
    started = time.monotonic()
    timeout = limits.timeout if limits is not None else None
    cap = limits.max_results if limits is not None else None

    def checked(items: Iterable[Any]) -> Iterator[Any]:
        for count, item in enumerate(items, start=1):
            if cap is not None and count > cap:
                raise QueryLimitError(
                    f"query gives more than {cap:,} results (--max-results); add a LIMIT"
                )
            if timeout is not None and not count % 1024 and time.monotonic() - started > timeout:
                raise QueryLimitError(f"query stopped after {timeout:g} s (--timeout)")
            yield item

    try:
        result = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(
                tuple(None if s[v] is None else from_ox(s[v]) for v in variables)
                for s in checked(result)
            )
            return QueryResult(variables=variables, rows=rows)
        graph = Graph()
        for triple in checked(result):
            graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
        return QueryResult(graph=graph)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {_one_line(error)}") from error
    except (OSError, RuntimeError) as error:
        if "Corruption" in str(error):
            raise damaged(path, _one_line(error)) from error
        raise


class _ChildReader:
    """The guarded child's side: its own read-only view, opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: ox.Store | None = None

    def __call__(self, sparql: str, limits: QueryLimits) -> tuple[Any, ...]:
        """:func:`_solve`, answered in picklable form (see :func:`_from_plain`)."""
        for attempt in range(_READ_ATTEMPTS):
            if self.store is None:
                self.store = _open_read_only(self.path)
            try:
                result = _solve(self.store, sparql, limits, self.path)
            except (OSError, RuntimeError) as error:
                if not _vanished_file(error) or attempt == _READ_ATTEMPTS - 1:
                    raise
                self.store = None  # a writer merged files away: a fresh view lists them
                time.sleep(0.05 * (attempt + 1))
                continue
            triples = None if result.graph is None else tuple(result.graph)
            return result.variables, result.rows, result.boolean, triples
        raise AssertionError("unreachable")


def _from_plain(plain: tuple[Any, ...]) -> QueryResult:
    variables, rows, boolean, triples = plain
    graph = None
    if triples is not None:
        graph = Graph()
        for triple in triples:
            graph.add(triple)
    return QueryResult(variables=variables, rows=rows, boolean=boolean, graph=graph)


class EndpointStore:
    """Any SPARQL 1.1 endpoint (protocol: query + update over HTTP POST).

    Every request has a total time limit (connecting, waiting and reading together, so a
    server that trickles bytes cannot hold the client) and a cap on the reply's size;
    a reply that is not what the protocol promises is a one-line :class:`QueryError`.

    Args:
        url: The query endpoint.
        update_url: The update endpoint (default: ``url``; Oxigraph serves ``/query`` and
            ``/update`` — pass the server root and both are derived).
        timeout: Seconds per request, in total.
        max_response_bytes: Largest reply read; a larger one is an error.
    """

    def __init__(
        self,
        url: str,
        update_url: str | None = None,
        timeout: float = 60.0,
        max_response_bytes: int = 256 << 20,
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{url[:200]}: not an http(s) SPARQL endpoint URL")
        root = url.rstrip("/")
        if root.endswith(("/query", "/sparql")):
            self.query_url = root
            self.update_url = update_url or (root.rsplit("/", 1)[0] + "/update")
        else:
            self.query_url, self.update_url = root + "/query", update_url or root + "/update"
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes

    def _post(self, url: str, field: str, text: str, accept: str) -> tuple[str, bytes]:
        data = urllib.parse.urlencode({field: text}).encode()
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        parts = urllib.parse.urlsplit(url)
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        deadline = time.monotonic() + self.timeout
        connection = kind(parts.netloc, timeout=self.timeout)
        try:
            path = parts.path or "/"
            connection.request(
                "POST", f"{path}?{parts.query}" if parts.query else path, data, headers
            )
            response = connection.getresponse()
            body = self._read(connection, response, url, deadline)
        except (OSError, http.client.HTTPException) as error:
            late = isinstance(error, TimeoutError) or time.monotonic() >= deadline
            reason = f"no complete answer within {self.timeout:g} s" if late else _one_line(error)
            raise StoreError(f"{url}: endpoint unreachable ({reason})") from error
        finally:
            connection.close()
        if response.status >= 300:
            text = body.decode("utf-8", "replace")
            raise QueryError(f"{url}: HTTP {response.status}: {_one_line(text)[:300]}")
        return response.getheader("Content-Type", ""), body

    def _read(
        self,
        connection: http.client.HTTPConnection,
        response: http.client.HTTPResponse,
        url: str,
        deadline: float,
    ) -> bytes:
        """The reply's body, read against the deadline and the size cap."""
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if connection.sock is not None:
                connection.sock.settimeout(remaining)
            chunk = response.read1(1 << 16)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self.max_response_bytes:
                raise QueryError(
                    f"{url}: reply larger than {self.max_response_bytes:,} bytes; refused "
                    "(narrow the query, e.g. with LIMIT)"
                )
            chunks.append(chunk)

    def update(self, text: str) -> None:
        """Send a SPARQL update."""
        self._post(self.update_url, "update", text, "*/*")

    def flush(self) -> None:
        """Nothing to do: every update is sent at once."""

    def document_hash(self, document: URIRef) -> str | None:
        """The content hash stored for a document, or ``None``."""
        d = document.n3()
        result = self.query(f"SELECT ?h WHERE {{ GRAPH {d} {{ {d} {KG.contentHash.n3()} ?h }} }}")
        return str(result.rows[0][0]) if result.rows else None

    def part_documents(self, document: URIRef) -> list[URIRef]:
        """The stored documents that are parts of ``document`` (``kg:partOf``)."""
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g {KG.partOf.n3()} {document.n3()} }} }}"
        return sorted(row[0] for row in self.query(query).rows if isinstance(row[0], URIRef))

    def replace_document(self, document: URIRef, quads: list[Quad]) -> None:
        """Drop and re-insert the document's graph in one update request (none: drop it)."""
        triples = NQuadsWriter().triples(quads)
        self.update(
            f"DROP SILENT GRAPH {document.n3()} ;\n"
            f"INSERT DATA {{ GRAPH {document.n3()} {{\n{triples}}} }}"
        )

    def query(self, sparql: str) -> QueryResult:
        """Run a read query on the endpoint.

        Raises:
            QueryError: If the endpoint refuses the query or answers with something that
                is not SPARQL results (an HTML page, malformed or wrongly shaped JSON).
            StoreError: If it cannot be reached or does not answer in time.
        """
        accept = "application/sparql-results+json, application/n-triples;q=0.9"
        content_type, body = self._post(self.query_url, "query", sparql, accept)
        try:
            if "json" in content_type:
                return _json_result(json.loads(body))
            if "n-triples" in content_type or "text/plain" in content_type:
                graph = Graph()
                graph.parse(data=body.decode("utf-8"), format="nt")
                return QueryResult(graph=graph)
        except Exception as error:  # any malformed reply: the parsers raise many kinds
            raise QueryError(
                f"{self.query_url}: malformed reply ({content_type or 'no content type'}: "
                f"{_one_line(error)[:200]})"
            ) from error
        raise QueryError(
            f"{self.query_url}: not a SPARQL endpoint reply (content type "
            f"{content_type[:80] or 'none'!r}: {_one_line(body[:120].decode('utf-8', 'replace'))})"
        )


def _json_result(data: object) -> QueryResult:
    """SPARQL JSON results → :class:`QueryResult` (``ValueError`` on a wrong shape)."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if "boolean" in data:
        return QueryResult(boolean=bool(data["boolean"]))
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise ValueError("no 'head' and 'results'")
    variables = tuple(str(v) for v in head.get("vars", []))
    bindings = results.get("bindings")
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise ValueError("'results.bindings' is not a list of objects")
    rows = tuple(tuple(_json_term(b.get(v)) for v in variables) for b in bindings)
    return QueryResult(variables=variables, rows=rows)


def _json_term(binding: dict[str, str] | None) -> RDFNode | None:
    if binding is None:
        return None
    if not isinstance(binding, dict):
        raise ValueError("a binding is not a JSON object")
    kind, value = binding["type"], str(binding["value"])
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if "xml:lang" in binding:
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype in (None, _XSD_STRING):
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


class RDFFileWriter:
    """Writes quads to an RDF file chosen by extension, atomically.

    Line formats (N-Triples, N-Quads) stream to a temporary file as documents arrive; the
    others collect into memory and serialize at the end. The destination appears only on
    :meth:`close` after success.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.format = format_for(path)
        self._context = atomic_open(path, "w")
        self._handle: IO[str] = self._context.__enter__()
        self._dataset = Dataset() if self.format not in LINE_FORMATS else None
        self._lines = NQuadsWriter()

    def write(self, quads: Iterable[Quad]) -> None:
        """Add quads (one document's worth)."""
        if self._dataset is not None:
            add_quads(self._dataset, quads)
        elif self.format == "nquads":
            self._handle.write(self._lines.quads(quads))
        else:
            self._handle.write(self._lines.triples(quads))

    def close(self, ok: bool = True) -> None:
        """Finish: serialize if needed and rename into place (or discard on failure)."""
        if ok and self._dataset is not None:
            if self.format in QUAD_FORMATS:
                self._handle.write(self._dataset.serialize(format=self.format))
            else:
                union = Graph()
                for s, p, o, _ in self._dataset.quads((None, None, None, None)):
                    union.add((s, p, o))
                self._handle.write(union.serialize(format=self.format))
        if ok:
            self._context.__exit__(None, None, None)
        else:
            error = RuntimeError("extraction failed")
            with contextlib.suppress(RuntimeError):
                self._context.__exit__(RuntimeError, error, None)


def load_rdf_file(path: Path) -> Graph:
    """Parse an RDF file (format by extension) with a one-line error naming the file."""
    fmt = format_for(path)
    graph: Graph = Dataset() if fmt in QUAD_FORMATS else Graph()
    try:
        graph.parse(str(path), format=fmt)
    except Exception as error:
        raise ValueError(f"{path}: malformed {fmt} ({_one_line(error)[:300]})") from error
    return graph
