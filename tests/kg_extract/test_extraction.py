"""The extractor's plumbing: worker processes, segments, and the spaCy component."""

from kg_extract import ExtractConfig, Extractor
from kg_extract.corpus import CorpusDocument

TEXTS = [
    "A small red circle is left of a big blue square. It is above a green triangle.",
    "A glorp is a small red triangle. Glorps were first described by Ada Lindqvist.",
    "Marie Curie was born in Warsaw. She studied in Paris and discovered polonium.",
    "The dog chased the cat and the mouse in the garden.",
]


def _facts(extractor, texts):
    docs = [CorpusDocument(f"d{i}", t, "test") for i, t in enumerate(texts)]
    return {
        e.document.doc_id: [_fields(f) for f in e.facts.facts]
        for e in extractor.extract_documents(docs)
    }


def _fields(fact):
    return fact.subject, fact.predicate, fact.object, fact.start, fact.end, fact.rule


def test_two_worker_processes_extract_exactly_what_one_process_does(nlp):
    texts = TEXTS * 6 + ["A red circle is above a blue square. " * 40]
    config = ExtractConfig(max_segment_chars=300, batch_size=4)
    one = _facts(Extractor(config, nlp=nlp), texts)
    two = _facts(
        Extractor(ExtractConfig(max_segment_chars=300, batch_size=4, processes=2), nlp=nlp), texts
    )
    assert one == two
    assert sum(len(f) for f in one.values()) > 100


def test_facts_of_a_document_do_not_depend_on_the_documents_before_it(nlp):
    extractor = Extractor(ExtractConfig(), nlp=nlp)
    forward = _facts(extractor, TEXTS)
    backward = _facts(extractor, TEXTS[::-1])
    n = len(TEXTS) - 1
    assert all(forward[f"d{i}"] == backward[f"d{n - i}"] for i in range(len(TEXTS)))


def test_objects_of_later_segments_get_their_own_numbers(nlp):
    text = "A small red circle is left of a big blue square. " * 30
    extractor = Extractor(ExtractConfig(max_segment_chars=400), nlp=nlp)
    (doc,) = extractor.extract_texts([text])
    instances = {f.subject.key for f in doc.facts.facts if f.subject.kind == "instance"}
    assert len(instances) == 60
    sentences = {f.sentence for f in doc.facts.facts}
    assert sentences == set(range(30))


def test_the_rules_component_leaves_other_uses_of_the_pipeline_alone(nlp):
    Extractor(ExtractConfig(), nlp=nlp)
    assert nlp.pipe_names[-1] == "kg2img_rules"
    doc = nlp("Marie Curie was born in Warsaw.")
    assert [t.text for t in doc][:2] == ["Marie", "Curie"]
    assert [e.label_ for e in doc.ents] == ["PERSON", "GPE"]
