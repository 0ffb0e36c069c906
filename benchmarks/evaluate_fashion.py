"""Judge scores of a FashionScenes model on test and zero-shot scenes (JSON out).

Usage: python benchmarks/evaluate_fashion.py [--model RUN_DIR] [--n 200] [--out FILE]
(default: the shipped FashionScenes model).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from fashion_scenes.evaluate import EvalConfig, evaluate


def main() -> None:
    model = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 200
    reports = {
        split: evaluate(model, EvalConfig(split=split, n=n)).to_json()  # type: ignore[arg-type]
        for split in ("test", "zero-shot", "zero-shot-dev")
    }
    emit(
        "evaluate_fashion",
        {
            "model": str(model or "shipped fashion"),
            "targets (issue 13)": {
                "test": {
                    "class / ceiling": 0.9,
                    "colour": 0.95,
                    "size": 0.9,
                    "relations": 0.9,
                    "object_count": 0.9,
                },
                "zero-shot": {"class / ceiling": 0.8},
            },
            **reports,
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
