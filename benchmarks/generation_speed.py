"""Generation latency: 16 images from one graph on CPU, after load (target ≤ 0.2 s).

Usage: python benchmarks/generation_speed.py [--model RUN_DIR|shapes|fashion] [--out FILE]

With ``--model fashion`` (the shipped FashionScenes model) the description is a
FashionScenes scene (target ≤ 0.3 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from pipeline.generate import Pipeline, resolve_model

TEXTS = {
    "fashion": "A small red dress is left of a large sneaker. A parka is above the large sneaker.",
}
DEFAULT_TEXT = (
    "A small red circle is left of a big blue square. A glorp is above the big blue square."
)


def main() -> None:
    name = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else None
    pipeline = Pipeline.load(resolve_model(Path(name)) if name else None)
    text = TEXTS.get(name or "", DEFAULT_TEXT)
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
            "model": name or "shapes",
            "text": text,
            "target_seconds": 0.3 if name == "fashion" else 0.2,
            "note": "from_graph: enrichment + GNN + layout sampling + generator + decoding; "
            "from_text adds spaCy extraction of the description",
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
