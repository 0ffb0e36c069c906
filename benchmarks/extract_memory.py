"""Memory while extracting from a 1 GB corpus (JSON out).

Writes a JSONL corpus of ``--gigabytes`` (default 1) of mixed text — ShapesWorld
captions, knowledge paragraphs and general English about invented people and places,
so that new words keep arriving as in a real corpus — then, each in a fresh process:

- **read**: streams the whole corpus through the reader (no parsing): documents,
  seconds, peak memory;
- **extract**: runs the library's ``extract_corpus`` (what ``kg2img extract`` runs) for
  ``--seconds`` of wall time into an embedded store with one process, the same with
  ``--processes 2``, and with one process into an N-Quads file (no database: the
  extractor's own memory), sampling the memory of the process and its workers
  (proportional set size, so pages the workers share with their parent count once) as
  documents are written;
- **store alone**: loads 8 million quads (500 documents' quads under fresh names, again
  and again) into an embedded store, sampling memory: the database's own growth.

Parsing a whole gigabyte takes this machine about eight hours per core, so the
extraction runs cover the corpus's first part; the figure that matters is the slope of
memory against documents once caches are warm (second half of the samples), reported
with the projection to the whole corpus that it implies.

Usage: python benchmarks/extract_memory.py [--gigabytes 1] [--seconds 300] [--corpus FILE]
       [--out FILE]
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "qua", "bel", "dor", "fen",
             "gri", "hal", "jun", "kir", "lem", "mor", "nul"]  # fmt: skip
PLACES = ["town", "river", "valley", "harbour", "island", "mountain"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        for _ in range(words)
    )


def write_corpus(path: Path, gigabytes: float, seed: int = 0) -> dict[str, Any]:
    """Write the JSONL corpus; return its size and document count."""
    from shapes_world import iter_split
    from shapes_world.concepts import knowledge_corpus

    rng = random.Random(seed)
    captions = [e.caption for e in iter_split(seed, "train", 2000)]
    paragraphs = knowledge_corpus().split("\n\n")
    target = int(gigabytes * 1e9)
    written = documents = 0
    started = time.perf_counter()
    with open(path, "w", encoding="utf-8") as handle:
        while written < target:
            person, place = _name(rng, 2), _name(rng, 1)
            general = (
                f"{person} was born in {place}, a {rng.choice(PLACES)} near "
                f"{_name(rng, 1)}. {person.split()[0]} studied at the University of "
                f"{_name(rng, 1)} and married {_name(rng, 2)}. "
            )
            text = " ".join(
                [rng.choice(captions), rng.choice(paragraphs)[: rng.randint(100, 600)], general]
            )
            line = json.dumps({"id": f"doc-{documents}", "text": text}) + "\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            documents += 1
    return {
        "bytes": written,
        "documents": documents,
        "seconds_to_write": round(time.perf_counter() - started, 1),
    }


def _memory_mb(pid: int) -> float:
    """Proportional set size (shared pages split between the processes sharing them)."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _tree_memory_mb(pid: int, measure: Callable[[int], float] = _memory_mb) -> float:
    """Memory of a process and its children (the worker processes)."""
    total = measure(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            if parent == pid:
                total += measure(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return total


class _TimeUp(Exception):
    pass


def child_read(corpus: str) -> dict[str, Any]:
    from kg_extract.corpus import read_corpus

    started = time.perf_counter()
    documents = characters = 0
    warnings: list[str] = []
    for document in read_corpus([corpus], warnings.append):
        documents += 1
        characters += len(document.text)
    return {
        "documents": documents,
        "characters": characters,
        "warnings": len(warnings),
        "seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def child_extract(
    corpus: str, target: str, seconds: float, processes: int, sink: str
) -> dict[str, Any]:
    from kg_extract import ExtractConfig
    from kg_extract.extraction import ExtractSummary, extract_corpus
    from kg_extract.store import OxigraphStore

    samples: list[list[float]] = []
    started = time.perf_counter()
    pid = os.getpid()

    def on_document(summary: ExtractSummary) -> None:
        if summary.written % 250 == 0:
            elapsed = time.perf_counter() - started
            samples.append([round(elapsed, 1), summary.written, round(_tree_memory_mb(pid), 1)])
            if elapsed > seconds:
                raise _TimeUp

    store = OxigraphStore(Path(target)) if sink == "store" else None
    out = Path(target) if sink == "file" else None
    summary = ExtractSummary()
    with contextlib.suppress(_TimeUp):
        summary = extract_corpus(
            [corpus], ExtractConfig(processes=processes), store=store, out=out,
            on_document=on_document,
        )  # fmt: skip
    written = samples[-1][1] if samples else summary.written
    return {"processes": processes, "sink": sink, "documents_written": written, "samples": samples}


def child_store(corpus: str, store_dir: str, million_quads: float) -> dict[str, Any]:
    """The database alone: the same quads under fresh document names, loaded repeatedly."""
    import itertools

    from rdflib import URIRef

    from kg_extract import ExtractConfig, Extractor
    from kg_extract.corpus import read_corpus
    from kg_extract.store import OxigraphStore

    extractor = Extractor(ExtractConfig())
    documents = itertools.islice(read_corpus([corpus], print), 500)
    batch = [list(extractor.quads(e)) for e in extractor.extract_documents(documents)]
    del extractor
    store = OxigraphStore(Path(store_dir))
    pid, loaded, samples, round_number = os.getpid(), 0, [], 0
    while loaded < million_quads * 1e6:
        for quads in batch:
            graph = URIRef(f"{quads[0][3]}-{round_number}")
            store.replace_document(graph, [(s, p, o, graph) for s, p, o, _ in quads])
            loaded += len(quads)
        store.flush()
        samples.append([loaded, round(_memory_mb(pid), 1)])
        round_number += 1
    return {"quads_loaded": loaded, "samples": samples}


def _run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _slope(samples: list[list[float]]) -> float:
    """Least-squares MB per 10,000 documents over the second half of the samples."""
    half = samples[len(samples) // 2 :]
    xs, ys = [s[1] for s in half], [s[2] for s in half]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    var = sum((x - mean_x) ** 2 for x in xs)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return 0.0 if var == 0 else 1e4 * covariance / var


def main() -> None:
    from _common import emit, out_arg

    def option(name: str, default: str) -> str:
        return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default

    gigabytes = float(option("--gigabytes", "1"))
    seconds = float(option("--seconds", "300"))
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(option("--corpus", str(Path(folder) / "corpus.jsonl")))
        made = write_corpus(corpus, gigabytes) if not corpus.exists() else {}
        size = corpus.stat().st_size
        read = _run_child("read", str(corpus))
        runs = []
        for processes, sink in ((1, "store"), (2, "store"), (1, "file")):
            target = Path(folder) / (f"store{processes}" if sink == "store" else "kg.nq")
            run = _run_child(
                "extract", str(corpus), str(target), str(seconds), str(processes), sink
            )
            samples = run["samples"]
            slope = _slope(samples)
            run["summary"] = {
                "memory_mb_first_sample": samples[0][2],
                "memory_mb_last_sample": samples[-1][2],
                "memory_mb_max": max(s[2] for s in samples),
                "fraction_of_corpus_done": round(run["documents_written"] / read["documents"], 4),
                "slope_mb_per_10k_documents_second_half": round(slope, 2),
                "projected_memory_mb_at_end_of_corpus": round(
                    samples[-1][2] + slope * (read["documents"] - samples[-1][1]) / 1e4
                ),
            }
            runs.append(run)
        database = _run_child("store", str(corpus), str(Path(folder) / "db"), "8")
        first, last = database["samples"][0], database["samples"][-1]
        database["mb_per_million_quads"] = round(
            (last[1] - first[1]) / ((last[0] - first[0]) / 1e6), 2
        )
    emit(
        "extract_memory",
        {
            "corpus": {"bytes": size, **made, "documents": read["documents"]},
            "read_whole_corpus": read,
            "extract": runs,
            "store_alone": database,
            "notes": "memory: proportional set size (PSS) of the extracting process plus its "
            "workers, samples are [seconds, documents written, MB]; peak_rss_mb of the reader "
            "is its maximum resident set; the projection assumes the second-half slope holds "
            "for the rest of the corpus",
        },
        out_arg(),
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        kind, *rest = sys.argv[sys.argv.index("--child") + 1 :]
        if kind == "read":
            result = child_read(rest[0])
        elif kind == "store":
            result = child_store(rest[0], rest[1], float(rest[2]))
        else:
            result = child_extract(rest[0], rest[1], float(rest[2]), int(rest[3]), rest[4])
        print(json.dumps(result))
    else:
        main()
