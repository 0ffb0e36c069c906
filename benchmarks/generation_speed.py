"""Generation latency: 16 images from one graph on CPU, after load (target ≤ 0.2 s).

Usage: python benchmarks/generation_speed.py [--model RUN_DIR] [--out FILE]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from pipeline.generate import Pipeline


def main() -> None:
    model = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    pipeline = Pipeline.load(model)
    text = "A small red circle is left of a big blue square. A glorp is above the big blue square."
    scene, _ = pipeline.text_graph(text)
    pipeline.generate(scene, n=16)  # warm-up
    from_graph, from_text = [], []
    for seed in range(20):
        started = time.perf_counter()
        pipeline.generate(scene, n=16, seed=seed)
        from_graph.append(time.perf_counter() - started)
        started = time.perf_counter()
        pipeline.generate(text, n=16, seed=seed)
        from_text.append(time.perf_counter() - started)
    emit(
        "generation_speed",
        {
            "images": 16,
            "from_graph_seconds_median": round(statistics.median(from_graph), 4),
            "from_graph_seconds_max": round(max(from_graph), 4),
            "from_text_seconds_median": round(statistics.median(from_text), 4),
            "target_seconds": 0.2,
            "note": "from_graph: enrichment + GNN + layout sampling + generator + decoding; "
            "from_text adds spaCy extraction of the description",
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
