import json

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def _build(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("A glorp is a big cyan square. A small red circle is left of a glorp.")
    result = runner.invoke(app, ["extract", str(corpus), "--store", str(tmp_path / "st")])
    assert result.exit_code == 0, result.output
    return tmp_path / "st"


def test_cli_extract_then_query_json(tmp_path):
    store = _build(tmp_path)
    query = "PREFIX kg: <https://kg2img.org/ns#> SELECT ?s WHERE { ?s kg:left_of ?o }"
    result = runner.invoke(app, ["query", "--store", str(store), query, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert len(rows) == 1 and rows[0]["s"].endswith("/obj/0")


def test_cli_query_csv_and_table(tmp_path):
    store = _build(tmp_path)
    query = "SELECT ?l WHERE { ?c a <https://kg2img.org/ns#Concept> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    csv_out = runner.invoke(app, ["query", "--store", str(store), query, "--format", "csv"])
    assert csv_out.stdout.splitlines() == ["l", "glorp"]
    table = runner.invoke(app, ["query", "--store", str(store), query])
    assert "glorp" in table.stdout and "(1 rows)" in table.stdout


def test_cli_query_malformed_sparql_exits_1_with_one_line(tmp_path):
    store = _build(tmp_path)
    result = runner.invoke(app, ["query", "--store", str(store), "SELECT ?x WHERE {"])
    assert result.exit_code == 1
    assert "malformed SPARQL" in str(result.exception)


def test_cli_query_missing_store_fails_without_creating_it(tmp_path):
    result = runner.invoke(app, ["query", "--store", str(tmp_path / "none"), "ASK { ?s ?p ?o }"])
    assert result.exit_code == 1
    assert not (tmp_path / "none").exists()


def test_cli_stats_export_and_subgraph(tmp_path):
    store = _build(tmp_path)
    stats = runner.invoke(app, ["stats", "--store", str(store)])
    assert "documents: 1" in stats.stdout and "concepts: 1" in stats.stdout
    out = tmp_path / "kg.nq"
    assert runner.invoke(app, ["export", str(out), "--store", str(store)]).exit_code == 0
    assert out.read_text().count("\n") > 20
    png = tmp_path / "g.png"
    sub = runner.invoke(
        app, ["subgraph", "--store", str(store), "--entity", "glorp", "--draw", str(png)]
    )
    assert sub.exit_code == 0, sub.output
    assert "value/cyan" in sub.stdout
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_cli_extract_bad_shard_is_usage_error(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("Hi.")
    result = runner.invoke(
        app, ["extract", str(corpus), "--out", str(tmp_path / "o.nt"), "--shard", "3/2"]
    )
    assert result.exit_code == 2


def test_cli_extract_with_the_dbpedia_mapping_writes_dbpedia_properties(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text(
        "Copenhagen is the capital of Denmark. The University of Burgundy has 27,400 students. "
        "Elliot See was a test pilot."
    )
    out = tmp_path / "o.nt"
    result = runner.invoke(app, ["extract", str(corpus), "--out", str(out), "--mapping", "dbpedia"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert (
        "/entity/denmark> <http://dbpedia.org/ontology/capital> "
        "<https://kg2img.org/entity/copenhagen>"
    ) in text
    assert (
        "<http://dbpedia.org/ontology/numberOfStudents> "
        '"27400"^^<http://www.w3.org/2001/XMLSchema#integer>'
    ) in text
    # a type DBpedia states as a property keeps its type and gains the property
    see, pilot = "<https://kg2img.org/entity/elliot_see>", "<https://kg2img.org/concept/test_pilot>"
    assert f"{see} <http://dbpedia.org/ontology/occupation> {pilot}" in text
    assert f"{see} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {pilot}" in text


def test_cli_extract_names_a_bad_mapping_file_and_writes_nothing(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("Copenhagen is the capital of Denmark.")
    mapping = tmp_path / "m.toml"
    mapping.write_text("namespace = [")
    out = tmp_path / "o.nt"
    result = runner.invoke(
        app, ["extract", str(corpus), "--out", str(out), "--mapping", str(mapping)]
    )
    # The console entry point prints such a ValueError as one line (see pipeline.cli.main).
    assert result.exit_code != 0 and isinstance(result.exception, ValueError)
    assert "m.toml: not TOML" in str(result.exception)
    assert not out.exists()
