"""Zero-shot words one by one: does the knowledge reach the class, and is it drawn?

For every development and test word: the is-a chain the knowledge graph holds from the
word to a class (``fashion_scenes.demo.knowledge_path``), and the judge's class accuracy
on 8 images of "A large <word>." from the shipped FashionScenes model. A diagnostic for
the zero-shot scores of ``evaluate_fashion.py``, split by whether the chain is right.

    python benchmarks/fashion_zero_shot_words.py [--out FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from fashion_scenes import spec
from fashion_scenes.demo import knowledge_path
from fashion_scenes.judge import detect, load_classifier
from fashion_scenes.wordnet import word_lists
from pipeline.generate import Pipeline, shipped_model_dir


def main() -> None:
    pipeline = Pipeline.load(shipped_model_dir("fashion"))
    assert pipeline.knowledge is not None
    classifier = load_classifier()
    words = []
    for pool in ("test", "dev"):
        for label, pool_words in word_lists()[pool].items():
            for word in pool_words:
                path = knowledge_path(pipeline.knowledge, word, 5)
                reached = path[-1][0].rsplit(" is a ", 1)[1] if path else None
                images = pipeline.generate(f"A large {word}.", n=8, seed=0).images
                found = [detect(image, classifier) for image in images]
                right = [bool(f) and f[0].label == label for f in found]
                words.append({
                    "pool": pool, "word": word, "class": spec.CLASS_NAMES[label],
                    "chain_reaches": reached, "chain": [edge for edge, _ in path],
                    "class_accuracy": float(np.mean(right)),
                })  # fmt: skip
    summary = {}
    for pool in ("test", "dev"):
        mine = [w for w in words if w["pool"] == pool]
        good = [w["class_accuracy"] for w in mine if w["chain_reaches"] == w["class"]]
        bad = [w["class_accuracy"] for w in mine if w["chain_reaches"] != w["class"]]
        summary[pool] = {
            "words": len(mine),
            "chain_reaches_the_right_class": len(good),
            "accuracy_with_right_chain": round(float(np.mean(good)), 4) if good else None,
            "accuracy_without": round(float(np.mean(bad)), 4) if bad else None,
            "accuracy_all": round(float(np.mean([w["class_accuracy"] for w in mine])), 4),
        }
    emit("fashion_zero_shot_words", {"summary": summary, "words": words}, out_arg())


if __name__ == "__main__":
    main()
