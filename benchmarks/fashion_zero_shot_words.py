"""Zero-shot words one by one: does the knowledge reach the class, and is it drawn?

For every development and test word: the concept the caption "A large <word>." is read
as (its head noun: "A large riding boot" is a boot with the attribute "riding"), the is-a
chain the knowledge graph holds from it to a class within the model's knowledge hops
(``fashion_scenes.demo.knowledge_path``), and the judge's class accuracy on 8 images of
that caption from a FashionScenes model (default: the shipped one). A diagnostic for the
zero-shot scores of ``evaluate_fashion.py``, split by whether the chain is right.

    python benchmarks/fashion_zero_shot_words.py [--model RUN_DIR] [--out FILE]
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
    model = Path(sys.argv[sys.argv.index("--model") + 1]) if "--model" in sys.argv else None
    pipeline = Pipeline.load(model or shipped_model_dir("fashion"))
    assert pipeline.knowledge is not None
    hops = pipeline.model.config.hops
    classifier = load_classifier()
    words = []
    for pool in ("test", "dev"):
        for label, pool_words in word_lists()[pool].items():
            for word in pool_words:
                caption = f"A large {word}."
                (read,) = pipeline.extractor.extract_texts([caption])
                concept = next(f.object.key for f in read.facts.facts if f.rule == "head")
                path = knowledge_path(pipeline.knowledge, concept, hops)
                reached = path[-1][0].rsplit(" is a ", 1)[1] if path else None
                if concept == spec.CLASS_NAMES[label]:
                    reached = concept  # "A large duffle bag": a bag, with an attribute
                images = pipeline.generate(caption, n=8, seed=0).images
                found = [detect(image, classifier) for image in images]
                right = [bool(f) and f[0].label == label for f in found]
                words.append({
                    "pool": pool, "word": word, "class": spec.CLASS_NAMES[label],
                    "read_as": concept, "chain_reaches": reached,
                    "chain": [edge for edge, _ in path],
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
    emit(
        "fashion_zero_shot_words",
        {"model": str(model or "shipped fashion"), "hops": hops, "summary": summary,
         "words": words},
        out_arg(),
    )  # fmt: skip


if __name__ == "__main__":
    main()
