"""The extractor's plumbing: worker processes, segments, and the spaCy component."""

import gc
import weakref

from kg_extract import ExtractConfig, Extractor
from kg_extract.corpus import CorpusDocument
from kg_extract.extraction import loaded_objects_frozen
from tests.kg_extract.parses import model_parse

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


def test_worker_processes_and_memory_zones_do_not_change_the_facts(nlp):
    texts = TEXTS * 6 + ["A red circle is above a blue square. " * 40]
    base = {"max_segment_chars": 300, "batch_size": 4}
    one = _facts(Extractor(ExtractConfig(**base), nlp=nlp), texts)
    assert sum(len(f) for f in one.values()) > 100
    for extra in ({"processes": 2}, {"zone_segments": 7}, {"processes": 2, "zone_segments": 7}):
        assert _facts(Extractor(ExtractConfig(**base, **extra), nlp=nlp), texts) == one, extra


def test_words_met_after_the_first_round_leave_the_vocabulary(nlp):
    words = [f"zorbl{i}qux" for i in range(40)]
    texts = [f"The {word} is above a blue square." for word in words]
    extractor = Extractor(ExtractConfig(zone_segments=8, batch_size=4), nlp=nlp)
    docs = list(extractor.extract_texts(texts))
    assert any(words[-1] in (f.subject.key, f.object.key) for f in docs[-1].facts.facts)
    assert words[0] in nlp.vocab.strings  # the first round warms the caches and stays
    assert not any(word in nlp.vocab.strings for word in words[8:])


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


def test_objects_frozen_for_a_run_are_collected_after_it():
    class Cycle:
        pass

    cycle = Cycle()
    cycle.me = cycle  # only the collector frees a cycle
    alive = weakref.ref(cycle)
    with loaded_objects_frozen():
        assert gc.get_freeze_count() > 0
        del cycle
        gc.collect()
        assert alive() is not None  # frozen: passes leave it alone
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None


def test_a_proper_noun_hung_on_a_subjectless_verb_as_an_adverb_becomes_its_subject():
    from kg_extract.extraction import _repair_tags

    # How the small model parses "Batchoy comes from the Philippines." (a dev sentence
    # that no invented name reproduced): the name an adverb of "comes".
    words = ["Batchoy", "comes", "from", "the", "Philippines", "."]
    heads = [1, 1, 1, 4, 2, 1]
    deps = ["advmod", "ROOT", "prep", "det", "pobj", "punct"]
    tags = ["NNP", "VBZ", "IN", "DT", "NNPS", "."]
    pos = ["PROPN", "VERB", "ADP", "DET", "PROPN", "PUNCT"]
    doc = model_parse(words, heads, deps, tags, pos)
    _repair_tags(doc[:], [], frozenset())
    assert doc[0].dep_ == "nsubj"
    # "Yesterday, Tom arrived": an adverb, and the verb has its subject.
    doc = model_parse(
        ["Yesterday", "Tom", "arrived", "."],
        [2, 2, 2, 2],
        ["npadvmod", "nsubj", "ROOT", "punct"],
        ["NN", "NNP", "VBD", "."],
        ["NOUN", "PROPN", "VERB", "PUNCT"],
    )
    _repair_tags(doc[:], [], frozenset())
    assert doc[0].dep_ == "npadvmod"


def test_a_past_tense_verb_read_as_its_objects_adjective_becomes_the_root():
    from kg_extract.extraction import _repair_tags

    # How the small model parses a short "NAME discovered THING.": the verb an
    # adjective of the object, the object the root with the name its subject.
    doc = model_parse(
        ["Howard", "Florey", "discovered", "streptomycin", "in", "1943", "."],
        [1, 3, 3, 3, 3, 4, 3],
        ["compound", "nsubj", "amod", "ROOT", "prep", "pobj", "punct"],
        ["NNP", "NNP", "VBD", "NN", "IN", "CD", "."],
        ["PROPN", "PROPN", "VERB", "NOUN", "ADP", "NUM", "PUNCT"],
    )
    _repair_tags(doc[:], [], frozenset())
    verb = doc[2]
    assert verb.dep_ == "ROOT" and verb.head == verb
    assert (doc[1].dep_, doc[1].head.i) == ("nsubj", 2)
    assert (doc[3].dep_, doc[3].head.i) == ("dobj", 2)
    assert doc[4].head.i == 2  # "in 1943" is when it was discovered


def test_a_plural_root_with_a_subject_and_an_object_is_a_verb():
    from kg_extract.extraction import _repair_tags

    doc = model_parse(
        ["Chile", "borders", "Peru", "."],
        [1, 1, 1, 1],
        ["nsubj", "ROOT", "dobj", "punct"],
        ["NNP", "NNS", "NNP", "."],
        ["PROPN", "NOUN", "PROPN", "PUNCT"],
    )
    _repair_tags(doc[:], [], frozenset())
    assert doc[1].pos_ == "VERB"


def test_a_name_after_an_objectless_verb_is_its_object_and_a_date_stays_a_time():
    from kg_extract.extraction import _repair_tags

    words, heads = ["Chile", "borders", "Peru", "."], [1, 1, 1, 1]
    deps = ["nsubj", "ROOT", "npadvmod", "punct"]
    tags, pos = ["NNP", "VBZ", "NNP", "."], ["PROPN", "VERB", "PROPN", "PUNCT"]
    doc = model_parse(words, heads, deps, tags, pos)
    _repair_tags(doc[:], [], frozenset())
    assert doc[2].dep_ == "dobj"
    doc = model_parse(["Tom", "left", "Monday", "."], heads, deps, ["NNP", "VBD", "NNP", "."], pos)
    doc.ents = [doc.char_span(9, 15, label="DATE")]
    _repair_tags(doc[:], list(doc.ents), frozenset())
    assert doc[2].dep_ == "npadvmod"


def test_a_copulas_complement_tagged_an_adjective_is_a_noun():
    from kg_extract.extraction import _repair_tags

    # How the small model parses "The main ingredient of Binignit is banana." (a dev
    # sentence): "banana" the copula's noun complement, but tagged an adjective.
    words = ["The", "main", "ingredient", "of", "Tarvo", "is", "banana", "."]
    heads = [2, 2, 5, 2, 3, 5, 5, 5]
    deps = ["det", "amod", "nsubj", "prep", "pobj", "ROOT", "attr", "punct"]
    tags = ["DT", "JJ", "NN", "IN", "NNP", "VBZ", "JJ", "."]
    pos = ["DET", "ADJ", "NOUN", "ADP", "PROPN", "AUX", "ADJ", "PUNCT"]
    doc = model_parse(words, heads, deps, tags, pos)
    doc[5].lemma_ = "be"
    _repair_tags(doc[:], [], frozenset())
    assert (doc[6].pos_, doc[6].tag_) == ("NOUN", "NN")
    assert doc[1].pos_ == "ADJ"  # a modifier stays an adjective
