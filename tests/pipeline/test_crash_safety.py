"""Processes killed with SIGKILL lose nothing: stores stay consistent, runs resume."""

import json
import re
import signal
import subprocess
import sys
import time

import pytest

from kg_extract.store import OxigraphStore
from pipeline.checkpoint import latest_checkpoint
from pipeline.model import KG2ImgModel

pytestmark = pytest.mark.slow

DOCS = 400
CLI = [sys.executable, "-c", "from pipeline.cli import main; main()"]


def _kill_when(proc, condition, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if condition():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.05)
    proc.kill()
    return False


def _after(seconds, ready):
    """A condition that holds ``seconds`` after ``ready()`` first held."""
    first = []

    def condition():
        if not first and ready():
            first.append(time.monotonic())
        return bool(first) and time.monotonic() - first[0] > seconds

    return condition


def _has_documents(store_dir):
    """Whether a read-only view of the store shows a committed document yet."""
    if not (store_dir / "CURRENT").exists():
        return False
    try:
        return bool(
            OxigraphStore(store_dir, read_only=True).query("ASK { GRAPH ?g { ?s ?p ?o } }").boolean
        )
    except (OSError, RuntimeError):
        return False  # the writer is still creating the store's column families


def test_extraction_killed_midway_leaves_whole_documents_and_rerun_finishes(tmp_path):
    corpus, store_dir = tmp_path / "corpus.jsonl", tmp_path / "store"
    text = "A small red circle is left of a big blue square. Marie Curie was born in Warsaw."
    docs = 4 * DOCS  # several seconds of work: the store commits about once a second
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i in range(docs))
    )
    cmd = [*CLI, "extract", str(corpus), "--store", str(store_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _kill_when(proc, _after(0.3, lambda: _has_documents(store_dir))), (
        "finished before the kill"
    )
    rerun = subprocess.run(cmd, capture_output=True, text=True, check=True)
    written, unchanged = (
        int(x) for x in re.search(r"(\d+) written, (\d+) unchanged", rerun.stderr).groups()
    )
    assert written + unchanged == docs
    assert unchanged > 0, "the killed run should have committed some documents"
    store = OxigraphStore(store_dir, read_only=True)
    rows = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    ).rows
    sizes = {int(n) for _, n in rows}
    assert len(rows) == docs
    assert len(sizes) == 1  # every document graph is whole: identical texts, identical sizes


def test_training_killed_during_run_resumes_from_last_complete_checkpoint(tmp_path):
    run = tmp_path / "run"
    cmd = [*CLI, "train", "--preset", "tiny", "--out", str(run), "--set", "steps=60",
           "--set", "checkpoint_every=2", "--set", "train_scenes=16"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _kill_when(proc, lambda: len(list((run / "checkpoints").glob("step-*"))) >= 4)
    last = latest_checkpoint(run)
    assert last is not None and (last / "state.json").is_file()
    KG2ImgModel.load(last, discriminator=True)  # complete and loadable (with D)
    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, check=True)
    assert "resumed from step-" in resumed.stderr
    assert json.loads((run / "model" / "training.json").read_text())["steps"] == 60


def test_readers_see_only_whole_documents_while_a_writer_extracts(tmp_path):
    corpus, store_dir = tmp_path / "corpus.jsonl", tmp_path / "store"
    text = "A small red circle is left of a big blue square. Marie Curie was born in Warsaw."
    docs = 4 * DOCS  # several seconds of work: the store commits about once a second
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i in range(docs))
    )
    writer = subprocess.Popen([*CLI, "extract", str(corpus), "--store", str(store_dir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    seen, sizes, snapshots = [], set(), 0
    deadline = time.monotonic() + 180
    while writer.poll() is None and time.monotonic() < deadline:
        if not (store_dir / "CURRENT").exists():
            time.sleep(0.05)
            continue
        try:
            reader = OxigraphStore(store_dir, read_only=True)  # a second process's view
            rows = reader.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            ).rows
        except (OSError, RuntimeError):
            if snapshots:
                raise
            time.sleep(0.1)  # the writer is still creating the store's column families
            continue
        sizes |= {int(n) for _, n in rows}
        seen.append(len(rows))
        snapshots += 1
        del reader
        time.sleep(0.1)
    assert writer.wait(timeout=60) == 0
    assert snapshots >= 3
    assert len(sizes) <= 1, f"a reader saw a partial document: sizes {sorted(sizes)}"
    assert seen == sorted(seen)  # documents only ever appear, whole
    assert any(0 < n < docs for n in seen), "no snapshot was taken mid-extraction"


def test_fifty_megabyte_single_line_is_read_in_bounded_segments(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 50_000_000 + b"\nA red circle is above a blue square.\n")
    out = tmp_path / "kg.nq"
    started = time.monotonic()
    proc = subprocess.run([*CLI, "extract", str(big), "--out", str(out)], capture_output=True, text=True,
                          timeout=600, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "501 written" in proc.stderr  # 500 parts of 100,000 characters, then the sentence
    assert "kg2img.org/ns#above" in out.read_text()
    assert time.monotonic() - started < 600


def test_ten_thousand_word_sentence_is_skipped_with_warning_or_fatal_in_strict(tmp_path):
    text = tmp_path / "long.txt"
    text.write_text(
        "The dog chased "
        + "the cat and " * 3333
        + "the mouse. A red circle is above a blue square."
    )
    proc = subprocess.run([*CLI, "extract", str(text), "--out", str(tmp_path / "kg.nt")], capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert proc.returncode == 0
    assert "kg2img: warning:" in proc.stderr and "without a sentence end" in proc.stderr
    assert "ns#above" in (tmp_path / "kg.nt").read_text()
    strict = subprocess.run([*CLI, "extract", str(text), "--out", str(tmp_path / "s.nt"), "--strict"],
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert strict.returncode == 1
    assert len(strict.stderr.strip().splitlines()) == 1 and "skipped" in strict.stderr
    assert not (tmp_path / "s.nt").exists()


def _store_state(store_dir):
    store = OxigraphStore(store_dir, read_only=True)
    hashes = dict(
        store.query(
            "SELECT ?g ?h WHERE { GRAPH ?g { ?g <https://kg2img.org/ns#contentHash> ?h } }"
        ).rows
    )
    (facts,) = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a <https://kg2img.org/ns#Evidence> } }"
    ).rows[0]
    (quads,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]
    return hashes, int(facts), int(quads)


def test_extraction_killed_at_ten_random_moments_ends_equal_to_a_clean_run(tmp_path):
    import random

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    colours, shapes = ["red", "blue", "green", "yellow"], ["circle", "square", "triangle"]
    for i in range(150):
        text = (
            f"A {colours[i % 4]} {shapes[i % 3]} is left of a {colours[(i + 1) % 4]} "
            f"{shapes[(i + 1) % 3]}. Document {i} was written by Ada Lovelace in London."
        )
        (corpus / f"Doc{i}.txt").write_text(text)
        (corpus / f"doc{i}.txt").write_text(text.replace("left of", "above"))  # a case clash
    clean = tmp_path / "clean"
    started = time.monotonic()
    subprocess.run([*CLI, "extract", str(corpus), "--store", str(clean)], check=True,
                   capture_output=True)  # fmt: skip
    duration = time.monotonic() - started
    expected = _store_state(clean)
    assert len(expected[0]) == 300

    store = tmp_path / "store"
    cmd = [*CLI, "extract", str(corpus), "--store", str(store)]
    moments = random.Random(15).sample(range(1, 100), 10)
    for moment in moments:  # each run continues the store the killed runs before it left
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * moment / 100)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    subprocess.run(cmd, check=True, capture_output=True)
    assert _store_state(store) == expected
