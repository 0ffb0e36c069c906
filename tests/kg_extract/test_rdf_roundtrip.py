import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg_extract.store import FORMATS, QUAD_FORMATS, RDFFileWriter, load_rdf_file

TEXTS = [
    "A small red circle is left of a big blue square. A glorp is a cyan triangle.",
    'Marie Curie was born in Warsaw. The "quoted" <tag> {x}|y^z\\w was written by Ada.',
]


def _quads(extractor, texts):
    return [q for d in extractor.extract_texts(texts) for q in extractor.quads(d)]


def _as_graph(quads, with_graphs):
    if with_graphs:
        ds = Dataset()
        for q in quads:
            ds.add(q)
        return ds
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def _roundtrip(tmp_path, quads, suffix):
    path = tmp_path / f"out{suffix}"
    writer = RDFFileWriter(path)
    writer.write(quads)
    writer.close()
    parsed = load_rdf_file(path)
    fmt = FORMATS[suffix]
    expected = _as_graph(quads, fmt in QUAD_FORMATS)
    if fmt in QUAD_FORMATS:
        got = {(s, p, o, g) for s, p, o, g in parsed.quads((None, None, None, None))}
        return got == {
            (s, p, o, g.identifier if hasattr(g, "identifier") else g)
            for s, p, o, g in expected.quads((None, None, None, None))
        }
    return isomorphic(parsed, expected)


@pytest.mark.parametrize("suffix", sorted(FORMATS))
def test_rdf_serialize_parse_is_isomorphic_in_every_format(extractor, tmp_path, suffix):
    quads = _quads(extractor, TEXTS)
    assert len(quads) > 50
    assert _roundtrip(tmp_path, quads, suffix)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=80))
def test_rdf_arbitrary_unicode_yields_valid_iris_and_roundtrips(extractor, tmp_path, text):
    quads = _quads(extractor, ["Ada " + text + " was born in Paris. There is a red " + text + "."])
    for s, p, _o, g in quads:
        for term in (s, p, g):
            assert not any(c in str(term) for c in ' <>"{}|\\^`\n'), term
    for suffix in (".nq", ".trig"):
        assert _roundtrip(tmp_path, quads, suffix)
