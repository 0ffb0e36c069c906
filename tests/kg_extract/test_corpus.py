import json

import pytest

from kg_extract.corpus import CorpusError, in_shard, read_corpus


def _read(paths, strict=False):
    warnings = []
    docs = list(read_corpus([str(p) for p in paths], warnings.append, strict=strict))
    return docs, warnings


def test_corpus_reads_files_folders_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text("First text.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Title\nSecond.")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "text": "Third."}) + "\n" + json.dumps({"text": "Fourth."}) + "\n"
    )
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    docs, warnings = _read([tmp_path])
    assert [d.text for d in docs] == ["First text.", "Third.", "Fourth.", "# Title\nSecond."]
    assert docs[1].doc_id == "x1"
    assert docs[2].doc_id.endswith("c.jsonl#2")
    assert warnings == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\t", "empty file"),
        (b"abc\x00def", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
    ],
)
def test_corpus_bad_files_warn_once_and_are_skipped(tmp_path, content, problem):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Fine.")
    docs, warnings = _read([bad, good])
    assert [d.text for d in docs] == ["Fine."]
    assert len(warnings) == 1
    assert "bad.txt" in warnings[0] and problem in warnings[0]


def test_corpus_strict_mode_raises_on_bad_input(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(CorpusError, match=r"bad\.txt"):
        _read([bad], strict=True)


def test_corpus_malformed_jsonl_lines_warn_with_line_number(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text('{"text": "ok."}\n{not json}\n{"id": 3}\n')
    docs, warnings = _read([f])
    assert [d.text for d in docs] == ["ok."]
    assert any("c.jsonl:2" in w for w in warnings)
    assert any("c.jsonl:3" in w and "text" in w for w in warnings)


def test_corpus_missing_path_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        _read([tmp_path / "nope.txt"])


def test_shards_partition_documents():
    ids = [f"doc-{i}" for i in range(200)]
    shards = [{d for d in ids if in_shard(d, (i, 3))} for i in range(3)]
    assert set().union(*shards) == set(ids)
    assert sum(len(s) for s in shards) == len(ids)
    assert all(len(s) > 30 for s in shards)


def test_long_documents_are_parsed_in_segments_with_true_offsets(nlp):
    from kg_extract import ExtractConfig, Extractor

    sentence = "A small red circle is left of a big blue square. "
    text = sentence * 60  # ~3,000 characters
    extractor = Extractor(ExtractConfig(max_segment_chars=500), nlp=nlp)
    (doc,) = list(extractor.extract_texts([text]))
    spatial = [f for f in doc.facts.facts if f.predicate == "left_of"]
    assert len(spatial) == 60
    for fact in spatial:
        assert text[fact.start : fact.end] == "A small red circle is left of a big blue square"
    assert doc.facts.sentences[-1][1] <= len(text)


def test_overlong_sentences_are_skipped_with_a_warning_or_fatal_in_strict(nlp):
    from kg_extract import ExtractConfig, ExtractionError, Extractor

    text = (
        "The dog chased " + "the cat and " * 120 + "the mouse. A red circle is above a blue square."
    )
    extractor = Extractor(ExtractConfig(max_sentence_tokens=100), nlp=nlp)
    (doc,) = list(extractor.extract_texts([text]))
    assert len(extractor.warnings) == 1 and "tokens" in extractor.warnings[0]
    assert any(f.predicate == "above" for f in doc.facts.facts)
    strict = Extractor(ExtractConfig(max_sentence_tokens=100, strict=True), nlp=nlp)
    with pytest.raises(ExtractionError, match="tokens"):
        list(strict.extract_texts([text]))


def test_markup_control_characters_and_rtl_text_do_not_break_extraction(nlp):
    from kg_extract import ExtractConfig, Extractor

    texts = [
        "<p>A <b>red</b> circle is above a blue square.</p>",
        "# Title\n\n* A red circle\x07 is\x00 above a blue square \u202eשלום\u202c 🙂.",
    ]
    extractor = Extractor(ExtractConfig(), nlp=nlp)
    docs = list(extractor.extract_texts(texts))
    assert len(docs) == 2
    for doc in docs:
        for quad in extractor.quads(doc):
            assert all("\x00" not in str(term) for term in quad[:2])


def test_long_text_file_is_read_as_parts_cut_at_paragraph_breaks(tmp_path, monkeypatch):
    import kg_extract.corpus as corpus

    monkeypatch.setattr(corpus, "_BLOCK_BYTES", 7)  # blocks split multi-byte characters
    paragraph = "Ein grüner Kreis liegt über einem Quadrat 🙂. Dann noch ein Satz.\n\n"
    text = paragraph * 40
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    (tmp_path / "short.txt").write_text(paragraph, encoding="utf-8")
    warnings = []
    docs = list(read_corpus([str(tmp_path)], warnings.append, part_chars=500))
    parts = [d for d in docs if "long.txt" in d.doc_id]
    assert [d.doc_id.rsplit("#", 1)[1] for d in parts] == [str(i) for i in range(1, len(parts) + 1)]
    assert "".join(d.text for d in parts) == text
    assert all(len(d.text) <= 500 and d.text.endswith("\n\n") for d in parts)
    (short,) = (d for d in docs if "short.txt" in d.doc_id)
    assert short.doc_id.endswith("short.txt") and short.text == paragraph
    assert warnings == []


def test_bad_bytes_late_in_a_long_file_keep_the_parts_before_them(tmp_path, monkeypatch):
    import kg_extract.corpus as corpus

    monkeypatch.setattr(corpus, "_BLOCK_BYTES", 100)
    path = tmp_path / "late.txt"
    path.write_bytes(b"A red circle. " * 200 + b"\xff\xfe broken")
    warnings = []
    docs = list(read_corpus([str(path)], warnings.append, part_chars=1000))
    assert len(docs) == 2 and all(d.doc_id.startswith(str(path) + "#") for d in docs)
    assert len(warnings) == 1 and "late.txt" in warnings[0] and "byte 2800" in warnings[0]
    with pytest.raises(CorpusError, match="not UTF-8"):
        list(read_corpus([str(path)], warnings.append, strict=True, part_chars=1000))


def test_stdin_is_read_in_parts_too(monkeypatch):
    import io
    import sys

    data = ("A red circle is above a blue square. " * 100).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    docs = list(read_corpus(["-"], print, part_chars=1000))
    assert [d.doc_id for d in docs] == ["stdin#1", "stdin#2", "stdin#3", "stdin#4"]
    assert "".join(d.text for d in docs).encode() == data


def test_long_jsonl_record_is_read_as_parts_of_its_id(tmp_path):
    text = "A red circle is above a blue square. " * 100
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "big", "text": text}) + "\n")
    docs = list(read_corpus([str(tmp_path / "c.jsonl")], print, part_chars=1000))
    assert [d.doc_id for d in docs] == ["big#1", "big#2", "big#3", "big#4"]
    assert "".join(d.text for d in docs) == text


def test_an_empty_text_still_comes_out_as_a_document(extractor):
    (doc,) = extractor.extract_texts([""])
    assert doc.facts.facts == []
