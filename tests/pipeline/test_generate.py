import json

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from generator.placement import PlacementConfig, sample_boxes
from pipeline.cli import app
from pipeline.generate import NothingToDrawError, decode_images
from pipeline.generate_cli import scene_json_to_rdf
from pipeline.model import OutputConfig
from shapes_world import spec

runner = CliRunner()


def test_generate_from_text_returns_images_and_conditioning_graph(pipeline):
    result = pipeline.generate("A glorp is left of a small red circle.", n=3, seed=1)
    assert len(result.images) == 3
    assert all(i.shape == (64, 64, 3) and i.dtype == np.uint8 for i in result.images)
    assert result.boxes.shape == (3, 2, 4)
    # Enrichment brought the concept's definition (a big cyan square) into the graph.
    assert any(str(o).endswith("/value/cyan") for o in result.graph.objects())
    assert any(s["sentence"].startswith("A glorp is left of") for s in result.source)


def test_generate_is_deterministic_by_seed(pipeline):
    a = pipeline.generate("a red circle above a blue square", n=2, seed=5)
    b = pipeline.generate("a red circle above a blue square", n=2, seed=5)
    c = pipeline.generate("a red circle above a blue square", n=2, seed=6)
    assert all(np.array_equal(x, y) for x, y in zip(a.images, b.images, strict=True))
    assert torch.equal(a.boxes, b.boxes)
    assert not torch.equal(a.boxes, c.boxes)


def test_generate_refuses_text_without_objects(pipeline):
    with pytest.raises(NothingToDrawError, match="understood"):
        pipeline.generate("Marie Curie was born in Warsaw.")


def test_sampled_boxes_satisfy_stated_relations_and_keep_apart():
    mean = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
    log_std = torch.full((2, 2), -1.0)
    size = torch.full((2, 2), 0.22)
    placement = PlacementConfig(0.22, 0.78, 0.1, 0.4, gap=0.02, relation_margin=0.1)
    for seed in range(10):
        boxes = sample_boxes(
            mean,
            log_std,
            size,
            [(0, "left_of", 1)],
            placement,
            torch.Generator().manual_seed(seed),
        )
        assert boxes[0, 0] < boxes[1, 0] - 0.1
        gap = ((boxes[0, :2] - boxes[1, :2]).abs() - 0.22).max()
        assert gap >= 0.02


def test_decode_snaps_to_the_models_palette_and_only_when_it_has_one():
    image = torch.rand(1, 3, 32, 32) * 2 - 1
    palette = tuple(spec.PALETTE.values())
    (decoded,) = decode_images(image, OutputConfig(size=64, palette=palette))
    allowed = {(0, 0, 0), *palette}
    assert decoded.shape == (64, 64, 3)
    assert {tuple(int(v) for v in p) for p in decoded.reshape(-1, 3)} <= allowed
    (raw,) = decode_images(image, OutputConfig(size=32))  # photographs: no palette
    assert len({tuple(int(v) for v in p) for p in raw.reshape(-1, 3)}) > 100
    (unsnapped,) = decode_images(image, OutputConfig(size=32, palette=palette), snap=False)
    assert np.array_equal(raw, unsnapped)


def test_scene_json_to_rdf_rejects_unknown_relation():
    with pytest.raises(ValueError, match="unknown relation"):
        scene_json_to_rdf(
            {"objects": [{"id": 0, "shape": "circle"}], "relations": [[0, "near", 0]]}
        )


def test_cli_generate_text_writes_images_grid_graph_and_meta(tiny_run, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--text",
            "a red circle left of a blue square",
            "--n",
            "2",
            "--out-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "000.png",
        "001.png",
        "graph.ttl",
        "grid.png",
        "meta.json",
    ]
    meta = json.loads((out / "meta.json").read_text())
    assert meta["seed"] == 0 and meta["n"] == 2 and meta["sources"]


def test_cli_generate_prompts_and_graph_json(tiny_run, tmp_path):
    prompts = tmp_path / "p.txt"
    prompts.write_text("a red circle\n\na big green square above a small gray triangle\n")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--prompts",
            str(prompts),
            "--n",
            "1",
            "--out-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["1", "3"]
    graph = tmp_path / "g.json"
    graph.write_text(
        json.dumps(
            {
                "objects": [{"id": 0, "shape": "circle", "colour": "red", "size": "small"}],
                "relations": [],
            }
        )
    )
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--graph",
            str(graph),
            "--n",
            "1",
            "--out-dir",
            str(tmp_path / "g"),
        ],
    )
    assert result.exit_code == 0, result.output


def test_cli_generate_knowledge_defines_new_concept(tiny_run, tmp_path):
    knowledge = tmp_path / "k.txt"
    knowledge.write_text("A zorble is a big orange triangle.")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--text",
            "a zorble",
            "--knowledge",
            str(knowledge),
            "--n",
            "1",
            "--out-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "value/orange" in (out / "graph.ttl").read_text()


def test_cli_generate_store_entity_and_sparql(tiny_run, tmp_path):
    corpus = tmp_path / "k.txt"
    corpus.write_text("A glorp is a big cyan square. A small red circle is above a glorp.")
    assert (
        runner.invoke(app, ["extract", str(corpus), "--store", str(tmp_path / "st")]).exit_code == 0
    )
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--store",
            str(tmp_path / "st"),
            "--entity",
            "glorp",
            "--n",
            "1",
            "--out-dir",
            str(tmp_path / "e"),
        ],
    )
    assert result.exit_code == 0, result.output
    sparql = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://kg2img.org/ns#Object> ; ?p ?o }"
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--store",
            str(tmp_path / "st"),
            "--sparql",
            sparql,
            "--n",
            "1",
            "--out-dir",
            str(tmp_path / "s"),
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "generate",
            "--model",
            str(tiny_run),
            "--store",
            str(tmp_path / "st"),
            "--sparql",
            "SELECT * WHERE { ?s ?p ?o }",
        ],
    )
    assert result.exit_code == 1


def test_cli_generate_needs_exactly_one_query(tmp_path):
    assert runner.invoke(app, ["generate"]).exit_code == 2
    assert runner.invoke(app, ["generate", "--text", "a", "--entity", "b"]).exit_code == 2


def test_cli_train_dry_run_prints_resolved_config():
    result = runner.invoke(
        app, ["train", "--out", "unused", "--preset", "tiny", "--set", "steps=9", "--dry-run"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["steps"] == 9


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.ttl", "@prefix x: <http://x/> .\nx:a x:b", "malformed turtle"),
        ("bad.jsonld", '{"@id": ', "malformed json-ld"),
        ("bad.json", '{"objects": [{"id": 0}], "relations": [[0, "near", 0]]}', "unknown relation"),
        ("bad.xyz", "", "unknown RDF extension"),
    ],
)
def test_cli_generate_bad_graph_file_fails_naming_the_file(
    tiny_run, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_text(content)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["generate", "--model", str(tiny_run), "--graph", str(path), "--out-dir", str(out)]
    )
    assert result.exit_code == 1
    assert name in str(result.exception) and message in str(result.exception)
    assert not out.exists()


def test_huge_literal_and_unknown_predicates_convert_without_error(pipeline):
    from rdflib import Graph, Literal, URIRef

    from kg_extract.vocab import KG

    graph = Graph()
    obj = URIRef("https://kg2img.org/doc/q/obj/0")
    graph.add((obj, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), KG.Object))
    graph.add((obj, KG.colour, URIRef("https://kg2img.org/value/red")))
    graph.add((obj, URIRef("http://example.org/unknownPredicate"), Literal("x" * 1_000_000)))
    result = pipeline.generate(graph, n=1)
    assert len(result.images) == 1
