"""Reliability round 2: no document lost to a name clash, stale parts or one bad input."""

import json
import os
from collections import Counter

import pytest
from rdflib import URIRef

from kg_extract import ExtractConfig, ExtractionError, Extractor
from kg_extract.corpus import CorpusError, read_corpus
from kg_extract.extraction import extract_corpus
from kg_extract.store import OxigraphStore
from kg_extract.vocab import KG, IRIs


def _documents(store):
    rows = store.query(
        "SELECT ?g ?label WHERE { GRAPH ?g { ?g a <https://kg2img.org/ns#Document> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }"
    ).rows
    return {str(label): g for g, label in rows}


def test_file_names_differing_only_in_case_are_two_documents(tmp_path, extractor):
    corpus = tmp_path / "coll"
    corpus.mkdir()
    (corpus / "Report.txt").write_text("A red circle is above a blue square.")
    (corpus / "report.txt").write_text("A green triangle is left of a yellow circle.")
    store = OxigraphStore(tmp_path / "store")
    summary = extract_corpus([str(corpus)], extractor.config, store=store, extractor=extractor)
    assert summary.written == 2
    labels = _documents(store)
    assert {os.path.basename(k) for k in labels} == {"Report.txt", "report.txt"}
    assert len(set(labels.values())) == 2
    again = extract_corpus([str(corpus)], extractor.config, store=store, extractor=extractor)
    assert (again.written, again.unchanged) == (0, 2)  # no longer rewritten in turn


def test_document_iris_are_injective_and_never_nest():
    iris = IRIs()
    ids = ["a", "A", "a.txt", "a_txt", "a/b", "a%2Fb", "a#1", "a b", "7", "caf\u00e9", "\udcff"]
    minted = [iris.document(i) for i in ids]
    assert len(set(minted)) == len(ids)
    obj = iris.instance("a", 1)
    assert obj not in minted and iris.document("a/obj/1") != obj
    assert str(iris.document("caption_3")).endswith("/doc/caption_3")


def test_jsonl_ids_true_and_1_are_two_documents_and_7_vs_string_7_is_a_clash(tmp_path, extractor):
    a = tmp_path / "a.jsonl"
    a.write_text(
        json.dumps({"id": True, "text": "A red circle."})
        + "\n"
        + json.dumps({"id": 1, "text": "A blue square."})
        + "\n"
    )
    store = OxigraphStore(tmp_path / "store")
    assert extract_corpus([str(a)], extractor.config, store=store, extractor=extractor).written == 2
    b = tmp_path / "b.jsonl"
    b.write_text(
        json.dumps({"id": 7, "text": "A red circle."})
        + "\n"
        + json.dumps({"id": "7", "text": "A green circle."})
        + "\n"
    )
    with pytest.raises(ExtractionError, match=r"'7'.*b\.jsonl:1.*b\.jsonl:2"):
        extract_corpus([str(b)], extractor.config, store=store, extractor=extractor)


def test_same_file_named_twice_is_read_once(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("A red circle.")
    skipped = Counter()
    docs = list(read_corpus([str(f), str(tmp_path)], print, skipped=skipped))
    assert len(docs) == 1 and skipped == {"named twice": 1}


def test_a_long_file_edited_down_leaves_no_stale_parts(tmp_path, nlp):
    config = ExtractConfig(max_document_chars=200)
    extractor = Extractor(config, nlp=nlp)
    notes = tmp_path / "notes.txt"
    notes.write_text("A red circle is above a blue square.\n\n" * 20)  # several parts
    store = OxigraphStore(tmp_path / "store")
    first = extract_corpus([str(notes)], config, store=store, extractor=extractor)
    assert first.written > 2
    whole = IRIs().document(str(notes))
    assert len(store.part_documents(whole)) == first.written
    notes.write_text("A green triangle is left of a yellow circle.")  # one document now
    second = extract_corpus([str(notes)], config, store=store, extractor=extractor)
    assert (second.written, second.removed) == (1, first.written)
    assert set(_documents(store)) == {str(notes)}
    assert not store.query(
        "ASK { ?s <https://kg2img.org/ns#colour> <https://kg2img.org/value/red> }"
    ).boolean
    notes.write_text("A red circle is above a blue square.\n\n" * 20)  # parts again
    third = extract_corpus([str(notes)], config, store=store, extractor=extractor)
    assert third.removed == 1 and str(notes) not in _documents(store)
    assert len(store.part_documents(whole)) == third.written


def test_jsonl_lone_surrogate_skips_that_record_with_file_and_line(tmp_path, extractor):
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": "A red circle."}) for i in range(70)]
    lines.insert(65, '{"id": "bad", "text": "A red \\ud800 circle."}')
    corpus.write_text("\n".join(lines) + "\n")
    store = OxigraphStore(tmp_path / "store")
    summary = extract_corpus([str(corpus)], extractor.config, store=store, extractor=extractor)
    assert summary.written == 70
    assert any("c.jsonl:66" in w and "surrogate" in w for w in summary.warnings)
    out = tmp_path / "out.nq"
    extract_corpus([str(corpus)], extractor.config, out=out, extractor=extractor)
    assert out.read_text().count("<https://kg2img.org/ns#Document>") == 70


def test_unreadable_file_and_folder_warn_once_and_lose_nothing(tmp_path, monkeypatch, extractor):
    import kg_extract.corpus as corpus_module

    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("A red circle.")
    (corpus / "locked.txt").write_text("A blue square.")
    (corpus / "sub" / "b.txt").write_text("A green circle.")
    (corpus / "z.txt").write_text("A yellow square.")
    real_open, real_scandir = open, os.scandir

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def fake_scandir(path):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(corpus_module, "open", fake_open, raising=False)
    monkeypatch.setattr(corpus_module.os, "scandir", fake_scandir)
    store = OxigraphStore(tmp_path / "store")
    extractor.warnings.clear()
    summary = extract_corpus([str(corpus)], extractor.config, store=store, extractor=extractor)
    assert summary.written == 2  # a.txt and z.txt, on both sides of the unreadable one
    assert len(summary.warnings) == 2
    assert any("locked.txt" in w and "Permission denied" in w for w in summary.warnings)
    assert any("sub" in w and "cannot read folder" in w for w in summary.warnings)
    assert summary.skipped["unreadable"] == 2
    with pytest.raises(CorpusError, match="cannot read folder"):
        list(read_corpus([str(corpus)], print, strict=True))
    with pytest.raises(CorpusError, match=r"locked\.txt: cannot read"):
        list(read_corpus([str(corpus / "locked.txt")], print, strict=True))
    extractor.warnings.clear()


def test_non_regular_files_symlink_loops_and_other_types_are_reported(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    (tmp_path / "data.csv").write_text("a,b")
    (tmp_path / "README").write_text("no suffix")
    (tmp_path / "ok.txt").write_text("A red circle.")
    warnings, skipped = [], Counter()
    docs = list(
        read_corpus([str(fifo), str(loop), str(tmp_path)], warnings.append, skipped=skipped)
    )
    assert [d.text for d in docs] == ["A red circle."]  # the FIFO in the folder is not opened
    assert any("pipe.txt" in w and "not a regular file" in w for w in warnings)
    assert any("loop.txt" in w and "symbolic link loop" in w for w in warnings)
    assert skipped["not .txt/.md/.jsonl"] == 2
    assert skipped["not a regular file"] >= 3  # the two named, the FIFO and loop in the folder
    with pytest.raises(CorpusError, match=r"pipe\.txt"):
        list(read_corpus([str(fifo)], print, strict=True))


def test_folders_thousands_of_levels_deep_are_walked(tmp_path):
    levels = [str(tmp_path / "d")]
    for _ in range(1500):  # deeper than Python's recursion limit allows for recursive walks
        levels.append(levels[-1] + "/d")
    for level in levels:
        os.mkdir(level)
    leaf = os.path.join(levels[-1], "x.txt")
    with open(leaf, "w") as handle:
        handle.write("A red circle.")
    try:
        docs = list(read_corpus([str(tmp_path)], print))
        assert [d.text for d in docs] == ["A red circle."]
    finally:  # shutil.rmtree (pytest's clean-up) recurses and would fail on this tree
        os.remove(leaf)
        for level in reversed(levels):
            os.rmdir(level)


def test_undecodable_file_names_are_extracted(tmp_path, extractor):
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("A red circle.")
    out = tmp_path / "out.nq"
    summary = extract_corpus([str(tmp_path)], extractor.config, out=out, extractor=extractor)
    assert summary.written == 1
    assert "caf%ED%B3%A9.txt" in out.read_text()


def test_base_iri_with_a_newline_is_refused():
    with pytest.raises(ValueError, match="invalid base IRI"):
        IRIs("http://evil/x\n")
    with pytest.raises(ValueError, match="invalid base IRI"):
        ExtractConfig(base="http://evil/x\n> <y")
    assert KG.partOf
    assert URIRef("https://kg2img.org/doc/a")


def test_a_killed_worker_process_fails_the_run_instead_of_hanging(tmp_path):
    import subprocess
    import sys

    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": "A red circle."}) + "\n" for i in range(40))
    )
    script = f"""
import os, signal
import kg_extract.extraction as ex
real_work, seen = ex._work, []
def dying_work(batch, settings, zone):  # each forked worker dies at its third batch
    seen.append(1)
    if len(seen) >= 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_work(batch, settings, zone)
ex._work = dying_work
from kg_extract.store import OxigraphStore
config = ex.ExtractConfig(processes=2, batch_size=4)
try:
    ex.extract_corpus([{str(corpus)!r}], config, store=OxigraphStore(__import__("pathlib").Path({str(tmp_path / "store")!r})))
except ex.ExtractionError as error:
    print("ERROR", error)
"""
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert "ERROR a worker process died" in run.stdout, run.stderr[-2000:]
    written = (
        OxigraphStore(tmp_path / "store", read_only=True)
        .query(
            "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a <https://kg2img.org/ns#Document> } }"
        )
        .rows[0][0]
    )
    assert int(written) >= 4  # the batches parsed before the death are committed


def test_run_on_text_without_sentence_end_is_skipped_before_parsing(nlp):
    import time

    text = "word " * 540_000 + ". A red circle is above a blue square."  # a 2.7 MB "sentence"
    extractor = Extractor(ExtractConfig(), nlp=nlp)
    started = time.monotonic()
    (doc,) = list(extractor.extract_texts([text]))
    assert time.monotonic() - started < 60  # parsing it took over 300 s
    assert len(extractor.warnings) == 1 and "without a sentence end" in extractor.warnings[0]
    above = [f for f in doc.facts.facts if f.predicate == "above"]
    assert len(above) == 1 and text[above[0].start : above[0].end].startswith("A red circle")
    strict = Extractor(ExtractConfig(strict=True), nlp=nlp)
    with pytest.raises(ExtractionError, match="without a sentence end"):
        list(strict.extract_texts([text]))


def test_a_pool_broken_before_a_submission_is_the_same_one_line_error():
    # The race behind a killed worker: the pool breaks between two submissions, so the
    # next submit (not a future's result) is where it shows.
    from concurrent.futures.process import BrokenProcessPool

    import kg_extract.extraction as ex

    class BrokenPool:
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("A child process terminated abruptly")

    with pytest.raises(ex.ExtractionError, match="a worker process died"):
        ex._submit(BrokenPool(), ["A red circle."], ex._RuleSettings("lexicon.json", 200), False)
