import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
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
    assert str(doc).endswith("a_txt")


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
