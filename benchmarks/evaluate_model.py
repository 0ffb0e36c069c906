"""Judge scores of a model on ShapesWorld test and zero-shot graphs (JSON out).

Usage: python benchmarks/evaluate_model.py [--model RUN_DIR] [--n 200] [--out FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from pipeline.evaluate import EvalConfig, evaluate


def main() -> None:
    model = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 200
    reports = {
        split: evaluate(model, EvalConfig(split=split, n=n)).to_json()
        for split in ("test", "zero-shot")
    }
    emit(
        "evaluate_model",
        {
            "model": str(model or "shipped"),
            "targets": {
                "colour": 0.95,
                "shape": 0.90,
                "size": 0.90,
                "relations": 0.90,
                "object_count": 0.95,
                "zero_shot_attributes": 0.85,
            },
            **reports,
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
