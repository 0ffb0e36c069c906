import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.compare import isomorphic

from kg_extract import ExtractConfig
from kg_extract.extraction import extract_corpus
from kg_extract.store import EndpointStore, OxigraphStore, QueryError, StoreError, check_query
from kg_extract.subgraph import NotFoundError, neighbourhood
from kg_extract.vocab import KG

Q_COLOURS = "PREFIX kg: <https://kg2img.org/ns#> SELECT ?o ?c WHERE { ?o kg:colour ?c } ORDER BY ?o"


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A small red circle is above a big blue square.")
    (folder / "b.txt").write_text(
        "A glorp is a large cyan triangle. Ada Lindqvist was born in Velm."
    )
    return folder


def _quads(store):
    return {
        tuple(r) for r in store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    }


def test_store_rerun_adds_nothing_and_changed_document_replaces_facts(tmp_path):
    corpus = _corpus(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    first = extract_corpus([str(corpus)], ExtractConfig(), store=store)
    assert (first.documents, first.written) == (2, 2)
    before = _quads(store)
    again = extract_corpus([str(corpus)], ExtractConfig(), store=store)
    assert (again.written, again.unchanged) == (0, 2)
    assert _quads(store) == before
    (corpus / "a.txt").write_text("A small green circle is above a big blue square.")
    changed = extract_corpus([str(corpus)], ExtractConfig(), store=store)
    assert (changed.written, changed.unchanged) == (1, 1)
    colours = {str(c).rsplit("/", 1)[-1] for _, c in store.query(Q_COLOURS).rows}
    assert "green" in colours and "red" not in colours


def _doc_quads(name: str, *objects: str):
    g = URIRef(f"https://kg2img.org/doc/{name}")
    return g, [(g, KG.source, URIRef(f"https://kg2img.org/value/{o}"), g) for o in objects]


def test_batched_store_replaces_overlapping_graphs_and_survives_reopen(tmp_path):
    store = OxigraphStore(tmp_path / "store", batch_quads=1_000, batch_seconds=3600)
    g, old = _doc_quads("a", "red", "blue")
    store.replace_document(g, old)
    store.flush()
    _, new = _doc_quads("a", "blue", "green")  # shares one quad with the old version
    store.replace_document(g, new)
    assert _quads(store) == set(new)  # a read commits the queue first
    store.flush()
    del store
    reopened = OxigraphStore(tmp_path / "store", read_only=True)
    assert _quads(reopened) == set(new)


def test_batched_store_keeps_the_last_version_of_a_document_queued_twice(tmp_path):
    store = OxigraphStore(tmp_path / "store", batch_quads=1_000, batch_seconds=3600)
    g, first = _doc_quads("a", "red")
    _, second = _doc_quads("a", "green")
    store.replace_document(g, first)
    store.replace_document(g, second)
    assert _quads(store) == set(second)


def test_batched_store_commits_by_size_and_writes_big_documents_alone(tmp_path):
    store = OxigraphStore(tmp_path / "store", batch_quads=3, batch_seconds=3600)
    g, small = _doc_quads("a", "red")
    store.replace_document(g, small)
    assert len(store.store) == 0  # queued, not yet written
    g2, big = _doc_quads("b", "x", "y", "z", "w")
    store.replace_document(g2, big)  # commits the queue, then is a batch of its own
    store._wait()
    assert len(store.store) == 5 and not store._queue


def test_batched_store_reports_queued_content_hash_without_committing(tmp_path):
    store = OxigraphStore(tmp_path / "store", batch_quads=1_000, batch_seconds=3600)
    g = URIRef("https://kg2img.org/doc/a")
    store.replace_document(g, [(g, KG.contentHash, Literal("abc"), g)])
    assert store.document_hash(g) == "abc"
    assert len(store.store) == 0
    store.commit()  # handed to the writer thread: still answered from the batch
    assert store.document_hash(g) == "abc"
    store.flush()
    assert len(store.store) == 1 and store.document_hash(g) == "abc"


def test_store_provenance_query_returns_source_sentence(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    extract_corpus([str(_corpus(tmp_path))], ExtractConfig(), store=store)
    result = store.query(
        "PREFIX kg: <https://kg2img.org/ns#> SELECT ?sentence ?start ?end ?doc WHERE { "
        "?e kg:predicate kg:above ; kg:sentence ?sentence ; kg:start ?start ; kg:end ?end ; "
        "kg:document ?doc }"
    )
    ((sentence, start, end, doc),) = result.rows
    assert str(sentence) == "A small red circle is above a big blue square."
    text = "A small red circle is above a big blue square."
    assert text[int(start) : int(end)] == "A small red circle is above a big blue square"
    assert str(doc).endswith("%2Fa.txt")


def test_store_file_output_matches_store_content(tmp_path):
    corpus = _corpus(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    extract_corpus([str(corpus)], ExtractConfig(), store=store, out=tmp_path / "kg.trig")
    parsed = Dataset()
    parsed.parse(tmp_path / "kg.trig", format="trig")
    assert {(s, p, o, g) for s, p, o, g in parsed.quads((None, None, None, None))} == _quads(store)


def test_failed_extraction_leaves_no_output_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match=r"bad\.txt"):
        extract_corpus([str(bad)], ExtractConfig(strict=True), out=tmp_path / "kg.nq")
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELEC ?x WHERE { ?x ?y ?z }", "malformed SPARQL"),
        ("SELECT ?x WHERE { ?x ?y }", "malformed SPARQL"),
        ("DELETE WHERE { ?s ?p ?o }", "UPDATE refused"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_check_query_refuses_malformed_update_and_service(query, message):
    with pytest.raises(QueryError, match=message):
        check_query(query)


def test_check_query_allows_update_and_service_when_asked():
    assert check_query("DELETE WHERE { ?s ?p ?o }", allow_update=True) == "UPDATE"
    assert (
        check_query("SELECT * WHERE { SERVICE <http://x.org/q> { ?s ?p ?o } }", allow_service=True)
        == "SELECT"
    )
    assert check_query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"


def test_neighbourhood_of_concept_skips_provenance(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    extract_corpus([str(_corpus(tmp_path))], ExtractConfig(), store=store)
    graph = neighbourhood(store, "Glorp", hops=1)
    glorp = URIRef("https://kg2img.org/concept/glorp")
    assert {str(o).rsplit("/", 1)[-1] for o in graph.objects(glorp, KG.colour)} == {"cyan"}
    assert not any(p in (KG.subject, KG.sentence) for _, p, _ in graph)
    with pytest.raises(NotFoundError):
        neighbourhood(store, "nothing-like-this", hops=1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oxigraph_server(tmp_path):
    binary = shutil.which("oxigraph") or str(Path(__import__("sys").executable).parent / "oxigraph")
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path / "server-db"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("oxigraph server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_endpoint_load_query_and_rerun_through_real_oxigraph_server(tmp_path, oxigraph_server):
    corpus = _corpus(tmp_path)
    endpoint = EndpointStore(oxigraph_server)
    summary = extract_corpus([str(corpus)], ExtractConfig(), store=endpoint)
    assert summary.written == 2
    local = OxigraphStore(tmp_path / "local")
    extract_corpus([str(corpus)], ExtractConfig(), store=local)
    assert _quads(endpoint) == _quads(local)
    assert extract_corpus([str(corpus)], ExtractConfig(), store=endpoint).unchanged == 2
    constructed = endpoint.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert isomorphic(constructed, local.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph)
    assert endpoint.query("ASK { ?s a <https://kg2img.org/ns#Object> }").boolean is True


def test_endpoint_unreachable_is_a_store_error():
    with pytest.raises(StoreError, match="unreachable"):
        EndpointStore(f"http://127.0.0.1:{_free_port()}").query("ASK { ?s ?p ?o }")


def test_nquads_writer_matches_rdflib_line_for_line():
    from rdflib import BNode, Namespace
    from rdflib.plugins.serializers.nquads import _nq_row

    from kg_extract.store import NQuadsWriter

    ex = Namespace("https://kg2img.org/x/")
    objects = [
        Literal('say "hi"\\ and\nnewline\ttab'),
        Literal("Zürich 🙂 \u202eשלום"),
        Literal("chat", lang="fr"),
        Literal("12", datatype=ex.number),
        Literal(7),
        ex["caf%C3%A9"],
        BNode("b1"),
    ]
    quads = [(ex.s, ex.p, o, ex.g) for o in objects]
    writer = NQuadsWriter(limit=3)  # smaller than the terms: the cache empties and refills
    assert writer.quads(quads + quads) == "".join(_nq_row(q[:3], q[3]) for q in quads + quads)


def test_writer_thread_failure_surfaces_as_a_store_error(tmp_path):
    class Failing:
        def remove_graph(self, graph):
            pass

        def bulk_load(self, data, format):
            raise OSError("disk full")

    store = OxigraphStore(tmp_path / "store")
    store.store = Failing()
    g, quads = _doc_quads("a", "red")
    store.replace_document(g, quads)
    with pytest.raises(StoreError, match="disk full"):
        store.flush()


def test_queued_documents_are_written_when_the_interpreter_exits(tmp_path):
    import subprocess
    import sys

    script = (
        "from pathlib import Path\n"
        "from rdflib import Literal, URIRef\n"
        "from kg_extract.store import OxigraphStore\n"
        "from kg_extract.vocab import KG\n"
        f"store = OxigraphStore(Path({str(tmp_path / 'store')!r}), batch_seconds=3600)\n"
        "g = URIRef('https://kg2img.org/doc/a')\n"
        "store.replace_document(g, [(g, KG.contentHash, Literal('abc'), g)])\n"
        "assert len(store.store) == 0\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
    reopened = OxigraphStore(tmp_path / "store", read_only=True)
    assert reopened.document_hash(URIRef("https://kg2img.org/doc/a")) == "abc"
