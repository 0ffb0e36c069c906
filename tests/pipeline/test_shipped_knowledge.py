"""The shipped models read their knowledge as they were trained to read it.

A shipped model keeps its knowledge as text and extracts it when it loads, so a change
to the extractor changes the graph a trained model is given (session 10: a model trained
on one reading of the WordNet glosses lost 0.08 of its class accuracy on the next). The
facts each shipped model's knowledge gives are snapshotted beside these tests; a change
to them must come with a retrained or re-evaluated model and a new snapshot:

    KG2IMG_UPDATE_KNOWLEDGE_SNAPSHOTS=1 pytest tests/pipeline/test_shipped_knowledge.py
"""

import os
from pathlib import Path

import pytest

from pipeline.generate import shipped_model_dir
from pipeline.model import read_knowledge

SNAPSHOTS = Path(__file__).parent / "data"


def _facts(extractor, texts: list[str]) -> list[str]:
    lines = set()
    for extracted in extractor.extract_texts(texts):
        for fact in extracted.facts.facts:
            lines.add(f"{fact.subject.key}\t{fact.predicate}\t{fact.object.key}")
    return sorted(lines)


@pytest.mark.parametrize("name", ["shapes", "fashion"])
def test_a_shipped_model_gets_the_knowledge_graph_it_was_trained_with(extractor, name):
    facts = _facts(extractor, read_knowledge(shipped_model_dir(name)))
    snapshot = SNAPSHOTS / f"shipped_knowledge_{name}.tsv"
    if os.environ.get("KG2IMG_UPDATE_KNOWLEDGE_SNAPSHOTS") == "1":
        snapshot.write_text("\n".join(facts) + "\n", encoding="utf-8")
    expected = snapshot.read_text(encoding="utf-8").splitlines()
    gone, new = sorted(set(expected) - set(facts)), sorted(set(facts) - set(expected))
    assert not gone and not new, (
        f"the extractor reads {name}'s knowledge differently: {len(gone)} facts gone "
        f"(e.g. {gone[:3]}), {len(new)} new (e.g. {new[:3]}); re-evaluate or retrain the "
        "shipped model, then update the snapshot (see this module's docstring)"
    )
