"""Extraction quality, three ways (JSON out):

1. ShapesWorld: exact scene-graph recovery on 1,000 test captions (target ≥ 99 %).
2. General English: micro precision/recall/F1 on ``data/gold_general.jsonl`` (166 sentences
   written for this project; see the matching rule below).
2b. Hand-written ShapesWorld descriptions in sentence shapes the caption generator never
   writes (``data/shapes_handwritten.jsonl``, 307) and with synonyms
   (``data/shapes_synonyms.jsonl``, 103): exact scene graphs (targets ≥ 95 % and ≥ 90 %).
   Both were written and committed before the parser was first scored on them.
3. WebNLG v2 English dev (``../shared/data/webnlg/dev``): the WebNLG 2020 text-to-RDF
   challenge's four matching levels as its official script defines them
   (:mod:`kg_extract.webnlg`), with predicates mapped by the shipped DBpedia mapping
   (``kg_extract/mappings/dbpedia.toml``); each text on its own, and again with the
   name links that :mod:`kg_extract.linking` finds across the dev texts applied; and on
   3,000 texts drawn from the 2020 training split (seed 2026), where the rules were not
   developed.

Matching rule for the gold set: a predicted fact matches a gold triple when the predicates
are equal and subject and object labels are equal after lower-casing and dropping a leading
article. Named-entity type facts (``ner:*``) and bookkeeping types are not scored; each gold
triple matches at most one prediction. Sentences were written before scoring and not tuned
afterwards.

Usage: python benchmarks/extract_quality.py [--webnlg DIR] [--limit N] [--out FILE]
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import emit, out_arg

from kg_extract import ExtractConfig, Extractor
from kg_extract.extraction import ExtractedDocument
from kg_extract.facts import Node
from kg_extract.linking import NameCounter, link_entities
from kg_extract.scene_graph import GraphObject, SceneGraph, read_scene_graph
from kg_extract.webnlg import candidate_triples, read_webnlg
from kg_extract.webnlg import score as webnlg_score
from shapes_world import iter_split

HERE = Path(__file__).parent
DEFAULT_WEBNLG = HERE.parent.parent / "shared" / "data" / "webnlg" / "dev"


def _norm(text: str) -> str:
    text = text.lower().replace("_", " ").strip().strip('"')
    text = re.sub(r"^(the|a|an) ", "", text)
    return re.sub(r"\s+", " ", text)


def _label(node: Node) -> str:
    return _norm(node.label or node.key)


def shapes_world(extractor: Extractor, n: int = 1000) -> dict[str, object]:
    """Exact scene-graph recovery on ShapesWorld test captions."""
    from rdflib import Graph

    examples = list(iter_split(0, "test", n))
    started = time.perf_counter()
    exact = 0
    for example, extracted in zip(
        examples, extractor.extract_texts(e.caption for e in examples), strict=True
    ):
        graph = Graph()
        for s, p, o, _ in extractor.quads(extracted):
            graph.add((s, p, o))
        got = read_scene_graph(graph)
        want = SceneGraph(
            tuple(
                GraphObject(None, o.concept, o.shape, o.colour, o.size)
                for o in example.graph.objects
            ),  # type: ignore[arg-type]
            tuple((r.subject, r.predicate, r.object) for r in example.graph.relations),
        )
        exact += got.canonical() == want.canonical()
    return {
        "captions": n,
        "exact": exact,
        "exact_rate": round(exact / n, 4),
        "seconds": round(time.perf_counter() - started, 2),
    }


def _graph(extractor: Extractor, extracted: object) -> SceneGraph:
    from rdflib import Graph

    graph = Graph()
    for s, p, o, _ in extractor.quads(extracted):  # type: ignore[arg-type]
        graph.add((s, p, o))
    return read_scene_graph(graph)


def hand_written(extractor: Extractor, name: str) -> dict[str, object]:
    """Exact scene graphs on a hand-written set (``data/<name>.jsonl``), with the misses."""
    records = [
        json.loads(line)
        for line in (HERE / "data" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    started = time.perf_counter()
    misses = []
    for record, extracted in zip(
        records, extractor.extract_texts(r["text"] for r in records), strict=True
    ):
        want = SceneGraph(
            tuple(
                GraphObject(None, None, o["shape"], o["colour"], o["size"])  # type: ignore[arg-type]
                for o in record["objects"]
            ),
            tuple((a, p, b) for a, p, b in record["relations"]),
        )
        got = _graph(extractor, extracted)
        if got.canonical() != want.canonical():
            misses.append(
                {
                    "text": record["text"],
                    "objects": [o.attributes()[1:] for o in got.objects],
                    "relations": [list(r) for r in got.relations],
                }
            )
    exact = len(records) - len(misses)
    return {
        "descriptions": len(records),
        "exact": exact,
        "exact_rate": round(exact / len(records), 4),
        "seconds": round(time.perf_counter() - started, 2),
        "misses": misses,
    }


def gold_general(extractor: Extractor) -> dict[str, object]:
    """Micro P/R/F1 on the hand-written gold set."""
    records = [
        json.loads(line) for line in (HERE / "data" / "gold_general.jsonl").read_text().splitlines()
    ]
    tp = fp = fn = 0
    misses, spurious = [], []
    for record, extracted in zip(
        records, extractor.extract_texts(r["text"] for r in records), strict=True
    ):
        gold = [(_norm(s), p, _norm(o)) for s, p, o in record["triples"]]
        predicted = [
            (_label(f.subject), f.predicate, _label(f.object))
            for f in extracted.facts.facts
            if not (
                f.predicate == "type"
                and (f.object.key.startswith("ner:") or f.object.key in ("Object", "Concept"))
            )
            and f.subject.kind != "instance"
        ]
        remaining = list(gold)
        for fact in dict.fromkeys(predicted):
            if fact in remaining:
                remaining.remove(fact)
                tp += 1
            else:
                fp += 1
                spurious.append((record["text"], fact))
        fn += len(remaining)
        misses += [(record["text"], t) for t in remaining]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(records),
        "gold_triples": tp + fn,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "sample_misses": misses[:10],
        "sample_spurious": spurious[:10],
    }


def webnlg(extractor: Extractor, folder: Path, limit: int | None) -> dict[str, object]:
    """Score extraction on WebNLG texts against their modified triple sets (the challenge's
    definition of the four levels, :mod:`kg_extract.webnlg`)."""
    entries = read_webnlg(folder)[:limit] if limit else read_webnlg(folder)
    started = time.perf_counter()
    extracted = list(extractor.extract_texts(e.text for e in entries))
    candidates = [webnlg_triples(item) for item in extracted]
    seconds = time.perf_counter() - started
    # The same output with the corpus's name links applied: each variant written as its
    # canonical name (kg_extract.linking; the links use the texts, not the references).
    names = NameCounter()
    for item in extracted:
        names.add(item.facts)
    links = link_entities(names.names())
    canonical = {link.variant: link.canonical for link in links}
    linked = [
        list(dict.fromkeys((canonical.get(s, s), p, canonical.get(o, o)) for s, p, o in triples))
        for triples in candidates
    ]
    references = [list(e.triples) for e in entries]
    return {
        "texts": len(entries),
        "mapping": extractor.config.mapping,
        "reference_triples": sum(len(r) for r in references),
        "candidate_triples": sum(len(c) for c in candidates),
        "texts_without_output": sum(1 for c in candidates if not c),
        "texts_without_output_give": dict(
            Counter(what_it_gives(x) for x, c in zip(extracted, candidates, strict=True) if not c)
        ),
        "scores": webnlg_score(candidates, references),
        "name_links": len(links),
        "scores_with_name_links": webnlg_score(linked, references),
        "seconds": round(seconds, 1),
        "baseline_2020_rule_based_exact_f1_test": 0.158,
        "cyclegt_2020_test": {"exact": 0.340, "strict": 0.308, "partial": 0.360, "ent_type": 0.344},
    }


#: Texts drawn (seed 2026) from the 2020 training split as a second check: the rules are
#: developed on dev, so a rule that only fits dev shows up as a gap between the two.
#: Session 23 read that sample's misses too, so a third sample (seed 2027, disjoint from
#: it) stands for text no session has read.
TRAIN_SAMPLE = 3000


def webnlg_sample(
    extractor: Extractor, folder: Path, n: int, seed: int = 2026, disjoint_from: int | None = None
) -> dict[str, object]:
    """The four levels on ``n`` texts drawn at random (``seed``) from ``folder``.

    With ``disjoint_from``, the texts are drawn from those the ``n`` of that seed leave.
    """
    entries = read_webnlg(folder)
    if disjoint_from is not None:
        taken = {id(e) for e in random.Random(disjoint_from).sample(entries, n)}
        entries = [e for e in entries if id(e) not in taken]
    entries = random.Random(seed).sample(entries, n)
    candidates = [webnlg_triples(x) for x in extractor.extract_texts(e.text for e in entries)]
    return {
        "texts": n,
        "seed": seed,
        **({"disjoint_from_seed": disjoint_from} if disjoint_from is not None else {}),
        "texts_without_output": sum(1 for c in candidates if not c),
        "scores": webnlg_score(candidates, [list(e.triples) for e in entries]),
    }


def what_it_gives(extracted: ExtractedDocument) -> str:
    """What a text gives that is no WebNLG triple: a class fact about a named or common
    thing ("Baked Alaska is a dessert"), only the entity recogniser's types, only scene
    objects, or nothing."""
    facts = extracted.facts.facts
    if not facts:
        return "nothing"
    if any(
        f.predicate == "type"
        and f.subject.kind != "instance"
        and not f.object.key.startswith("ner:")
        for f in facts
    ):
        return "class_fact"
    if all(f.predicate == "type" and f.object.key.startswith("ner:") for f in facts):
        return "entity_types_only"
    return "scene_objects_only"


def webnlg_triples(extracted: ExtractedDocument) -> list[tuple[str, str, str]]:
    """A document's facts as WebNLG candidate triples (see ``candidate_triples``)."""
    return candidate_triples(extracted.facts.facts)


def main() -> None:
    folder = (
        Path(sys.argv[sys.argv.index("--webnlg") + 1]) if "--webnlg" in sys.argv else DEFAULT_WEBNLG
    )
    limit = int(sys.argv[sys.argv.index("--limit") + 1]) if "--limit" in sys.argv else None
    extractor = Extractor(ExtractConfig())  # kg2img's own predicates, as the gold sets use
    results: dict[str, object] = {
        "shapes_world": shapes_world(extractor),
        "shapes_handwritten": hand_written(extractor, "shapes_handwritten"),
        "shapes_synonyms": hand_written(extractor, "shapes_synonyms"),
        "gold_general": gold_general(extractor),
    }
    if folder.is_dir():
        dbpedia = Extractor(ExtractConfig(mapping="dbpedia"), nlp=extractor.nlp)
        results["webnlg_dev"] = webnlg(dbpedia, folder, limit)
        train = folder.parent / "train-2020"
        if train.is_dir():
            results["webnlg_train_sample"] = webnlg_sample(dbpedia, train, TRAIN_SAMPLE)
            results["webnlg_train_sample_unread"] = webnlg_sample(
                dbpedia, train, TRAIN_SAMPLE, seed=2027, disjoint_from=2026
            )
    else:
        results["webnlg_dev"] = f"skipped: {folder} not found"
    emit("extract_quality", results, out_arg())


if __name__ == "__main__":
    main()
