"""Open-world scene-graph parsing: FACTUAL's real captions, scored by the official evaluator.

FACTUAL (Li et al., Findings of ACL 2023) pairs Visual Genome region captions with
human-corrected scene graphs. This benchmark parses the captions of a split with kg2img's
scene parser (``kg_extract.factual.parse_captions``, the parser that extraction uses),
writes the graphs in FACTUAL's format, and runs the official evaluator
(``factualscenegraph``: SPICE F with synonym matching, Set Match) on them and, in the same
run on the same captions, on the rule-based SceneGraphParser with the same spaCy model.
Soft-SPICE needs a sentence-embedding model that cannot be downloaded here; it is left out.

The evaluator and SceneGraphParser live in their own environment (``make factual-env``
builds ``.venv-factual``), so they never enter the project's dependencies.

Usage: python benchmarks/factual_scene_graphs.py [--split dev|train] [--limit N]
           [--evaluator-python PATH] [--wordnet DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit

from kg_extract.extraction import DEFAULT_MODEL, load_pipeline
from kg_extract.factual import parse_captions

HERE = Path(__file__).parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "factual"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--evaluator-python", default=str(HERE.parent / ".venv-factual/bin/python"))
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--show", type=int, default=15, help="misses to list in the output")
    parser.add_argument("--out")
    args = parser.parse_args()
    with (args.data / f"{args.split}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[: args.limit]
    captions = [r["caption"] for r in rows]
    references = [r["scene_graph"] for r in rows]
    nlp = load_pipeline(DEFAULT_MODEL)
    started = time.perf_counter()
    ours = list(parse_captions(nlp, captions))
    seconds = round(time.perf_counter() - started, 2)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(
            {
                "captions": captions,
                "references": references,
                "candidates": {"kg2img": ours},
                "seconds": {"kg2img": seconds},
                "scenegraphparser": not args.no_baseline,
                "model": DEFAULT_MODEL,
            },
            handle,
        )
    reply = subprocess.run(
        [args.evaluator_python, str(HERE / "factual_eval.py"), handle.name, args.wordnet],
        capture_output=True,
        text=True,
        check=False,
    )
    Path(handle.name).unlink()
    if reply.returncode != 0:
        sys.exit(f"evaluator failed: {reply.stderr.strip()[-2000:]}")
    scored = json.loads(reply.stdout)
    misses = [
        {"caption": c, "kg2img": g, "reference": r}
        for c, g, r in zip(captions, ours, references, strict=True)
        if g != r
    ][: args.show]
    emit(
        "factual_scene_graphs",
        {
            "split": args.split,
            "captions": len(rows),
            "spacy_model": DEFAULT_MODEL,
            "evaluator": "factualscenegraph (official SPICE F with synonyms, Set Match), x100",
            "results": scored["results"],
            "targets": {"spice": 75, "set_match": 40, "empty_graphs_at_most": 0.02},
            "sample_differences": misses,
        },
        args.out,
    )


if __name__ == "__main__":
    main()
