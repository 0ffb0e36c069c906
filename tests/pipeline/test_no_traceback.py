"""Never a traceback: any text through extraction, generation and knowledge definitions."""

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_extract.extraction import ExtractConfig, Extractor
from pipeline.data import knowledge_store
from pipeline.generate import NothingToDrawError, Pipeline, SceneTooLargeError
from shapes_world import iter_split
from shapes_world.concepts import knowledge_corpus

DATA = Path(__file__).parents[2] / "benchmarks" / "data"
#: Real captions nobody here wrote (FACTUAL / Visual Genome), and hand-written descriptions.
CAPTIONS = Path(__file__).parents[1] / "data" / "factual_train_sample.txt"
SENTENCES = sorted(
    {
        json.loads(line)["text"]
        for name in ("gold_general.jsonl", "shapes_handwritten.jsonl", "shapes_synonyms.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    }
    | set(CAPTIONS.read_text(encoding="utf-8").splitlines())
    | {e.caption for e in iter_split(7, "test", 100)}
    | set(re.split(r"(?<=[.!?])\s+", knowledge_corpus())[:200])
    | {  # definitions with coordinated adjectives once crashed the scene grammar
        "A tusk is round and gray.\n",
        "Blicks are small and yellow. A blick is pointy.\n",
        "A dax is big, orange and pointy.\n\n",
    }
)
WORDS = sorted({w for s in SENTENCES for w in re.findall(r"\w+|[^\w\s]", s)})
SEPARATORS = [" ", " ", " ", "\n", "\n\n", ", ", ". ", " and ", "  ", "\t"]

english = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=40
).map(lambda pairs: "".join(w + s for w, s in pairs))
mixed = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4).map("\n".join)
texts = st.one_of(english, mixed, st.text(max_size=300), st.sampled_from(SENTENCES))
quick = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@quick
@given(text=texts)
def test_extraction_of_any_text_gives_facts_and_rdf_not_a_traceback(extractor, text):
    (doc,) = list(extractor.extract_texts([text]))
    quads = list(extractor.quads(doc))
    assert quads and all(len(quad) == 4 and None not in quad for quad in quads)


@quick
@given(text=texts, knowledge=texts)
def test_generation_from_any_text_with_any_knowledge_draws_or_says_why(pipeline, text, knowledge):
    extractor = Extractor(ExtractConfig(), nlp=pipeline.extractor.nlp)
    guided = Pipeline(pipeline.model, extractor, knowledge_store(extractor, [knowledge]))
    try:
        result = guided.generate(text, n=1)
    except (NothingToDrawError, SceneTooLargeError) as error:
        assert str(error)  # the one-line reason the CLI prints
        return
    assert len(result.images) == 1 and result.images[0].shape == (64, 64, 3)


def test_coordinated_adjective_definitions_reach_the_graph(extractor):
    (doc,) = list(extractor.extract_texts(["A tusk is round and gray.\n"]))
    facts = {(f.subject.key, f.predicate, f.object.key) for f in doc.facts.facts}
    assert {("tusk", "shape", "circle"), ("tusk", "colour", "gray")} <= facts
    for fact in doc.facts.facts:
        assert 0 <= fact.start < fact.end <= len(doc.facts.text)
