"""How many WordNet glosses the extractor reads into the right is-a edge.

Every sentence of the FashionScenes knowledge text ("A parka is a kind of heavy
jacket.") states one lemma's gloss; the right is-a edge goes from the lemma's concept to
a lemma of one of its WordNet hypernyms, directly or through the compound head ("fur
coat" → "coat"). Sentences are extracted one at a time, as documents.

    python benchmarks/wordnet_isa.py [--dict /usr/share/wordnet] [--sample 40]

Writes ``benchmarks/results/wordnet_isa.json`` (``--out``): the rate over all sentences,
and a seeded random sample with what was extracted, for checking by hand.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from _common import emit
from rdflib import RDF, RDFS, URIRef

from fashion_scenes.wordnet import DEFAULT_DICT, WordNet, class_closures, sentence, word
from kg_extract.extraction import ExtractConfig, Extractor


def _name(node: object) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1].replace("_", " ").lower()


def _singular(text: str) -> str:
    text = text.replace("-", " ")  # IRIs spell "work-shirt" as work_shirt
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dict", type=Path, default=DEFAULT_DICT)
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default="benchmarks/results/wordnet_isa.json")
    args = parser.parse_args()
    wordnet = WordNet(args.dict)
    cases = []  # (sentence, subject word, acceptable class words)
    for synset in {s.offset: s for c in class_closures(wordnet) for s in c}.values():
        if not synset.definition:
            continue
        parents = {
            _singular(word(lemma).lower())
            for h in synset.hypernyms
            for lemma in wordnet.synsets[h].lemmas
        }
        lemma = synset.lemmas[0]
        cases.append((sentence(lemma, synset.definition), word(lemma).lower(), parents))
    cases.sort()
    extractor = Extractor(ExtractConfig())
    outcomes = []
    for (text, subject, parents), extracted in zip(
        cases, extractor.extract_texts(c[0] for c in cases), strict=True
    ):
        graph = extractor.fact_graph(extracted)
        edges: dict[str, set[str]] = {}
        pairs = [*graph.subject_objects(RDF.type), *graph.subject_objects(RDFS.subClassOf)]
        for s, o in pairs:
            if isinstance(o, URIRef) and "/concept/" in str(o) and "/concept/" in str(s):
                edges.setdefault(_singular(_name(s)), set()).add(_singular(_name(o)))
        reached: set[str] = set()
        frontier = [_singular(subject)]
        while frontier:
            node = frontier.pop()
            for target in edges.get(node, ()):
                if target not in reached:
                    reached.add(target)
                    frontier.append(target)
        correct = bool(reached & parents)
        outcomes.append(
            {
                "sentence": text,
                "subject": subject,
                "hypernyms": sorted(parents),
                "is_a": sorted(reached),
                "correct": correct,
            }
        )
    rate = sum(o["correct"] for o in outcomes) / len(outcomes)
    sample = random.Random(args.seed).sample(outcomes, min(args.sample, len(outcomes)))
    emit(
        "wordnet_isa",
        {
            "sentences": len(outcomes),
            "correct_is_a": sum(o["correct"] for o in outcomes),
            "rate": round(rate, 4),
            "rule": "an is-a path from the first lemma's concept to a lemma of a WordNet "
            "hypernym of its synset",
            "sample": sample,
            "misses": [o for o in outcomes if not o["correct"]][:60],
        },
        args.out,
    )
    right = sum(o["correct"] for o in outcomes)
    print(f"{right}/{len(outcomes)} glosses give the right is-a ({rate:.3f})")


if __name__ == "__main__":
    main()
