"""Entity resolution: pairwise F1 on a hand-labelled set (JSON out).

``data/entity_resolution.jsonl`` holds 40 short documents written for this project (and
committed before the resolver was first scored on them), each with its mentions of named
entities in text order and a gold entity id per mention, shared across documents. The
mentions are names, name variants (surnames, given names, initials, accents, titles,
legal and club affixes, acronyms), possessive and personal pronouns; homonyms are
included ("Barcelona" the club and the city, two Armstrongs, two Obamas). Definite
descriptions ("the club") are not annotated.

Scoring: each gold mention takes the entity node of the last mention the extractor
recorded overlapping it (``DocumentFacts.mentions``), mapped through the corpus's
``owl:sameAs`` links (:mod:`kg_extract.linking`); a gold mention with no overlapping
mention is a cluster of its own. Precision, recall and F1 over all pairs of gold
mentions ("same entity?"), and separately over pairs within one document and pairs
across documents; also with the links left out (resolution within documents only).

Usage: python benchmarks/entity_resolution.py [--out FILE]
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from kg_extract import ExtractConfig, Extractor
from kg_extract.linking import NameCounter, link_entities

DATA = Path(__file__).parent / "data" / "entity_resolution.jsonl"


def _scores(pairs: list[tuple[bool, bool]]) -> dict[str, float | int]:
    tp = sum(g and s for g, s in pairs)
    fp = sum(s and not g for g, s in pairs)
    fn = sum(g and not s for g, s in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": tp + fn,
        "predicted_pairs": tp + fp,
    }


def _pairwise(
    gold: list[str], system: list[str], documents: list[str]
) -> dict[str, dict[str, float | int]]:
    within: list[tuple[bool, bool]] = []
    across: list[tuple[bool, bool]] = []
    for a, b in itertools.combinations(range(len(gold)), 2):
        pair = (gold[a] == gold[b], system[a] == system[b])
        (within if documents[a] == documents[b] else across).append(pair)
    return {
        "all_pairs": _scores(within + across),
        "within_documents": _scores(within),
        "across_documents": _scores(across),
    }


def _errors(gold: list[str], system: list[str]) -> dict[str, list[str]]:
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_system: dict[str, set[str]] = defaultdict(set)
    for g, s in zip(gold, system, strict=True):
        by_gold[g].add(s)
        by_system[s].add(g)
    return {
        "split": sorted(f"{g}: {sorted(s)}" for g, s in by_gold.items() if len(s) > 1),
        "merged": sorted(f"{s}: {sorted(g)}" for s, g in by_system.items() if len(g) > 1),
    }


def main() -> None:
    documents = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    extractor = Extractor(ExtractConfig())
    extracted = list(extractor.extract_texts(d["text"] for d in documents))
    names = NameCounter()
    for item in extracted:
        names.add(item.facts)
    links = link_entities(names.names())
    canonical = {link.variant: link.canonical for link in links}

    gold: list[str] = []
    local: list[str] = []
    doc_of: list[str] = []
    unmatched = 0
    for document, item in zip(documents, extracted, strict=True):
        position = 0
        for mention in document["mentions"]:
            start = document["text"].index(mention["text"], position)
            end = position = start + len(mention["text"])
            found = [m for m in item.facts.mentions if m.start < end and m.end > start]
            if found:
                local.append(found[-1].node.key)
            else:
                unmatched += 1
                local.append(f"(none) {document['id']}:{start}")
            gold.append(mention["entity"])
            doc_of.append(document["id"])
    linked = [canonical.get(name, name) for name in local]
    emit(
        "entity_resolution",
        {
            "documents": len(documents),
            "mentions": len(gold),
            "entities": len(set(gold)),
            "mentions_without_a_recorded_mention": unmatched,
            "resolved": _pairwise(gold, linked, doc_of),
            "within_documents_only": _pairwise(gold, local, doc_of),
            "links": [f"{link.variant} -> {link.canonical} ({link.rule})" for link in links],
            "errors": _errors(gold, linked),
        },
        out_arg(),
    )


if __name__ == "__main__":
    main()
