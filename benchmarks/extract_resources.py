"""Peak memory of ``kg2img extract`` on a 20 MB text corpus, against a stated bound (JSON out).

Writes a 20 MB corpus folder: a JSONL file of mixed text (the ``extract_memory.py``
generator: captions, knowledge paragraphs, general English about invented people and
places), two text files of about 4 MB each (read in parts of 100,000 characters), and
200 small text files whose names clash in case only (``Note7.txt``, ``note7.txt``).
Then runs the real command line, ``kg2img extract CORPUS --store DIR --processes N``,
sampling the resident memory of the process and its workers every half second, and
fails (exit 1) if the peak passes ``--bound-mb``.

Usage: python benchmarks/extract_resources.py [--megabytes 20] [--processes 2]
       [--bound-mb 2500] [--out FILE]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _common import emit, out_arg
from extract_memory import _name, _tree_memory_mb, write_corpus


def _option(name: str, default: float) -> float:
    return float(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def build_corpus(folder: Path, megabytes: float, seed: int = 0) -> dict[str, Any]:
    """Write the corpus folder; return its size and file count."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(100):
        text = f"{_name(rng, 2)} lives in {_name(rng, 1)}. A red circle is left of a blue square."
        (folder / f"Note{i}.txt").write_text(text, encoding="utf-8")
        (folder / f"note{i}.txt").write_text(text.replace("red", "green"), encoding="utf-8")
    target = int(megabytes * 1e6)
    big_bytes = int(target * 0.2)
    for name in ("book-a.txt", "book-b.txt"):
        paragraphs, size = [], 0
        while size < big_bytes:
            paragraph = (
                f"{_name(rng, 2)} was born in {_name(rng, 1)} and studied at the University "
                f"of {_name(rng, 1)}. A small yellow triangle is above a big green circle.\n\n"
            )
            paragraphs.append(paragraph)
            size += len(paragraph)
        (folder / name).write_text("".join(paragraphs), encoding="utf-8")
    written = sum(p.stat().st_size for p in folder.iterdir())
    jsonl = write_corpus(folder / "mixed.jsonl", (target - written) / 1e9, seed)
    total = sum(p.stat().st_size for p in folder.iterdir())
    return {
        "bytes": total,
        "files": len(list(folder.iterdir())),
        "jsonl_documents": jsonl["documents"],
    }


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    megabytes = _option("--megabytes", 20)
    processes = int(_option("--processes", 2))
    bound_mb = _option("--bound-mb", 2500)
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        corpus_info = build_corpus(corpus, megabytes)
        store = Path(scratch) / "store"
        command = [sys.executable, "-c", "from pipeline.cli import main; main()", "extract",
                   str(corpus), "--store", str(store), "--processes", str(processes)]  # fmt: skip
        started = time.monotonic()
        log = Path(scratch) / "stderr.txt"
        with open(log, "w", encoding="utf-8") as stderr_file:  # a pipe could fill and block
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr_file)
            samples: list[list[float]] = []
            while proc.poll() is None:
                samples.append(
                    [
                        round(time.monotonic() - started, 1),
                        round(_tree_memory_mb(proc.pid, _rss_mb)),
                    ]
                )
                time.sleep(0.5)
        stderr = log.read_text(encoding="utf-8")
        seconds = time.monotonic() - started
        summary = [line for line in stderr.splitlines() if " documents: " in line]
        warnings = [line for line in stderr.splitlines() if line.startswith("kg2img: warning")]
        peak = max(mb for _, mb in samples) if samples else 0.0
        results = {
            "corpus": corpus_info,
            "processes": processes,
            "exit_code": proc.returncode,
            "summary": summary[-1] if summary else stderr[-500:],
            "warnings": len(warnings),
            "seconds": round(seconds, 1),
            "megabytes_per_minute": round(corpus_info["bytes"] / 1e6 / (seconds / 60), 2),
            "peak_rss_mb": peak,
            "bound_mb": bound_mb,
            "within_bound": peak <= bound_mb and proc.returncode == 0,
            "samples_every_30s": samples[::60],
            "notes": "peak_rss_mb: the largest sum of resident memory of the kg2img process "
            "and its worker processes, sampled every 0.5 s (pages the workers share with the "
            "parent count in each, so this overstates the true footprint)",
        }
    emit("extract_resources", results, out_arg())
    if not results["within_bound"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
