"""Store reads are bounded: time, results and memory; a damaged store is one error line."""

import os
import subprocess
import sys
import time

import pytest
from rdflib import Literal, URIRef

from kg_extract.guarded import DamagedStoreError, QueryLimitError, QueryLimits
from kg_extract.store import OxigraphStore, QueryError

CLI = [sys.executable, "-c", "from pipeline.cli import main; main()"]
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("limits") / "store"
    store = OxigraphStore(path)
    for d in range(40):
        g = URIRef(f"https://kg2img.org/doc/d{d}")
        quads = [
            (URIRef(f"{g}/obj/{i}"), URIRef("https://kg2img.org/ns#colour"), Literal(f"v{i}"), g)
            for i in range(100)
        ]
        store.replace_document(g, quads)
    store.flush()
    return path


def test_a_cartesian_product_stops_at_the_timeout(store_dir):
    store = OxigraphStore(
        store_dir, read_only=True, limits=QueryLimits(timeout=1, max_results=None)
    )
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="stopped after 1 s"):
        store.query(CARTESIAN + " ORDER BY ?c ?f")  # sorting: no result before it ends
    assert time.monotonic() - started < 5


def test_results_past_the_cap_are_an_error(store_dir):
    limits = QueryLimits(timeout=30, max_results=1000)
    store = OxigraphStore(store_dir, read_only=True, limits=limits)
    with pytest.raises(QueryLimitError, match="more than 1,000 results"):
        store.query(CARTESIAN)
    assert len(store.query(CARTESIAN + " LIMIT 1000").rows) == 1000
    in_memory = OxigraphStore(None, limits=limits)  # the same cap without a child process
    in_memory.store = OxigraphStore(store_dir, read_only=True).store
    with pytest.raises(QueryLimitError, match="more than 1,000 results"):
        in_memory.query(CARTESIAN)


def test_a_query_past_its_memory_bound_is_stopped_with_one_line(store_dir):
    store = OxigraphStore(
        store_dir, read_only=True, limits=QueryLimits(timeout=60, max_results=None, memory_mb=128)
    )
    with pytest.raises(QueryLimitError, match="needed more than 128 MiB"):
        store.query(CARTESIAN + " ORDER BY ?c ?f")


def test_guarded_results_equal_direct_results(store_dir):
    guarded = OxigraphStore(store_dir, read_only=True, limits=QueryLimits())
    direct = OxigraphStore(store_dir, read_only=True)
    for query in (
        "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o LIMIT 50",
        "ASK { ?s ?p 'v3' }",
    ):
        assert guarded.query(query) == direct.query(query)
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20"
    assert set(guarded.query(construct).graph) == set(direct.query(construct).graph)


def test_random_bytes_in_store_files_are_one_line_store_looks_damaged(tmp_path, store_dir):
    import shutil

    damaged = tmp_path / "damaged"
    shutil.copytree(store_dir, damaged)
    for name in sorted(os.listdir(damaged)):
        if name.endswith(".sst"):
            path = damaged / name
            data = bytearray(path.read_bytes())
            a, b = len(data) // 4, len(data) // 2
            data[a:b] = os.urandom(b - a)
            path.write_bytes(bytes(data))
    run = subprocess.run([*CLI, "stats", "--store", str(damaged)], capture_output=True, text=True)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "store looks damaged" in lines[0], run.stderr[-2000:]
    with pytest.raises((DamagedStoreError, QueryLimitError)):
        OxigraphStore(damaged, read_only=True, limits=QueryLimits()).query(CARTESIAN)


def test_cli_query_timeout_and_result_cap(store_dir):
    timed = subprocess.run(
        [*CLI, "query", "--store", str(store_dir), CARTESIAN + " ORDER BY ?c", "--timeout", "1"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert timed.returncode == 1 and "stopped after 1 s (--timeout)" in timed.stderr
    capped = subprocess.run(
        [*CLI, "query", "--store", str(store_dir), CARTESIAN, "--max-results", "5"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert capped.returncode == 1 and "more than 5 results" in capped.stderr


def test_the_guarded_reader_is_reused_restarted_after_a_limit_and_ended_with_the_store(store_dir):
    import gc

    store = OxigraphStore(store_dir, read_only=True, limits=QueryLimits(timeout=1))
    store.query("ASK { ?s ?p ?o }")
    first = store._guarded._child.pid
    with pytest.raises(QueryError, match="malformed"):
        store.query("SELECT nonsense")
    assert store.query("ASK { ?s ?p 'v1' }").boolean is True
    assert store._guarded._child.pid == first  # one child answered all three
    with pytest.raises(QueryLimitError, match="stopped after 1 s"):
        store.query(CARTESIAN + " ORDER BY ?c ?f")
    with pytest.raises(ChildProcessError):
        os.waitpid(first, os.WNOHANG)  # killed and reaped
    assert store.query("ASK { ?s ?p 'v1' }").boolean is True  # a fresh child
    second = store._guarded._child.pid
    assert second != first
    del store
    gc.collect()
    with pytest.raises(ChildProcessError):
        os.waitpid(second, os.WNOHANG)
