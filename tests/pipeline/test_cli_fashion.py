"""The FashionScenes commands, on the committed sample of test items and a few glosses."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fashion_scenes.mnist import SAMPLE_SOURCE
from pipeline.cli import app

runner = CliRunner()
MINI_WORDNET = Path(__file__).parents[1] / "fashion_scenes" / "data" / "mini-wordnet"


def test_fashion_export_writes_the_schema_and_coco(tmp_path):
    args = ["fashion", "export", str(tmp_path / "s"), "--n", "5", "--split", "test",
            "--source", str(SAMPLE_SOURCE)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [
        json.loads(x) for x in (tmp_path / "s" / "annotations.jsonl").read_text().splitlines()
    ]
    assert len(records) == 5 and all((tmp_path / "s" / r["image"]).is_file() for r in records)
    assert "parka" in (tmp_path / "s" / "knowledge.txt").read_text()
    result = runner.invoke(app, [*args[:2], str(tmp_path / "c"), *args[3:], "--format", "coco"])
    assert result.exit_code == 0, result.output
    coco = json.loads((tmp_path / "c" / "instances.json").read_text())
    assert len(coco["images"]) == 5 and coco["images"][0]["width"] == 64


def test_fashion_export_without_the_data_set_names_what_to_install(tmp_path):
    result = runner.invoke(
        app,
        ["fashion", "export", str(tmp_path / "out"), "--split", "test", "--source", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "dataset-fashion-mnist" in str(result.exception)
    assert not (tmp_path / "out" / "annotations.jsonl").exists()


def test_fashion_export_refuses_an_unknown_split(tmp_path):
    result = runner.invoke(app, ["fashion", "export", str(tmp_path), "--split", "nope"])
    assert result.exit_code == 2


def test_knowledge_wordnet_writes_sentences_and_the_licence(tmp_path):
    out = tmp_path / "k.txt"
    result = runner.invoke(
        app,
        ["knowledge", "wordnet", "--dict", str(MINI_WORDNET), "--out", str(out),
         "--words", str(tmp_path / "w.json")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "A parka is a kind of heavy jacket" in out.read_text()
    assert "Princeton University" in (tmp_path / "k.txt.LICENSE").read_text()
    assert json.loads((tmp_path / "w.json").read_text())["pools"]


def test_knowledge_wordnet_without_a_dictionary_fails_in_one_line(tmp_path):
    result = runner.invoke(
        app, ["knowledge", "wordnet", "--dict", str(tmp_path), "--out", str(tmp_path / "k.txt")]
    )
    assert result.exit_code == 1
    assert "wordnet-base" in str(result.exception)
    assert not (tmp_path / "k.txt").exists()


@pytest.fixture(scope="module")
def fashion_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fashion-run")
    result = runner.invoke(
        app,
        ["train", "--preset", "tiny", "--data", "fashion:test", "--images", str(SAMPLE_SOURCE),
         "--out", str(folder), "--set", "train_scenes=16"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder


def test_a_fashion_model_trains_on_the_generic_pipeline_and_keeps_its_settings(fashion_run):
    config = json.loads((fashion_run / "model" / "model.json").read_text())["config"]
    assert config["hops"] == 2
    # unknown words are read from their is-a edges; the ten class names are always shown
    assert config["encoder"]["hide_unknown_names"] is True
    assert config["encoder"]["concept_label_dropout"] == 0.0
    assert config["output"]["size"] == 64 and config["output"]["palette"] == []
    assert set(config["data"]["attributes"]["colour"]) <= {
        "white", "red", "green", "blue", "yellow", "purple", "orange", "cyan"
    }  # fmt: skip


def test_evaluate_fashion_reports_scores_beside_the_ceiling(fashion_run, monkeypatch):
    monkeypatch.setattr("fashion_scenes.evaluate.default_source", lambda: SAMPLE_SOURCE)
    result = runner.invoke(
        app,
        ["evaluate", "--world", "fashion", "--model", str(fashion_run), "--n", "3", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["generated"]) == {"class", "colour", "size", "relations", "object_count"}
    assert report["ceiling"]["colour"] >= 0.9
