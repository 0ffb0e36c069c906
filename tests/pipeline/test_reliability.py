"""Reliability round 2 through the command line and the library: bounded, clear, clean."""

import json
import math
import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from pipeline.cli import one_line
from pipeline.config import resolve
from pipeline.generate import MAX_SCENE_OBJECTS, SceneTooLargeError, not_honoured
from pipeline.generate_cli import scene_json_to_rdf
from pipeline.model import CheckpointError, KG2ImgModel, ModelConfig, parameter_shapes
from pipeline.results import format_result, terminal_safe

CLI = [sys.executable, "-c", "from pipeline.cli import main; main()"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("encoder.hidden=64.5", "expected a whole number"),
        ("generator.z_dim=8.0", "expected a whole number"),
        ("lr_g=nan", "expected a finite number"),
        ("loss.pixel=inf", "expected a finite number"),
        ("encoder.layers=1e7", "expected a whole number"),
        ("encoder.layers=100000", "out of range"),
        ("hops=-3", "out of range"),
        ("hops=1000000000", "out of range"),
        ("generator.image_size=-8", "out of range"),
        ("encoder.hidden=5000", "out of range"),
        ("batch_size=0", "out of range"),
    ],
)
def test_every_config_field_is_checked_with_one_line(setting, message):
    with pytest.raises(ValueError, match=message) as caught:
        resolve("tiny", None, [setting])
    assert setting.split("=")[0].rsplit(".", 1)[-1] in str(caught.value)


def test_config_json_with_wrong_types_names_the_file(tmp_path):
    bad = tmp_path / "c.json"
    bad.write_text(json.dumps({"model": {"encoder": {"hidden": 64.5}, "generator": {}}}))
    with pytest.raises(ValueError, match=r"c\.json: .*hidden = 64\.5"):
        resolve("quick", bad, [])
    bad.write_text(json.dumps({"loss": {"nope": 1}}))
    with pytest.raises(ValueError, match=r"c\.json: invalid training config"):
        resolve("quick", bad, [])


def test_parameter_budget_is_checked_before_allocating():
    config = resolve("quick", None, ["encoder.hidden=4096", "generator.channels=4096"]).model
    with pytest.raises(ValueError, match="parameters; at most"):
        parameter_shapes(config)
    with pytest.raises(ValueError, match="parameters; at most"):
        KG2ImgModel(config)


def test_a_model_json_that_disagrees_with_its_weights_fails_before_allocating(
    tiny_run, tmp_path, monkeypatch
):
    import shutil

    model = tmp_path / "model"
    shutil.copytree(tiny_run / "model", model)
    record = json.loads((model / "model.json").read_text())
    config = record["config"]
    config["encoder"]["hidden"] = 3000
    (model / "model.json").write_text(json.dumps(record))
    built_for_real = []
    real_init = KG2ImgModel.__init__

    def spy(self, *args, **kwargs):
        built_for_real.append(not torch.empty(0).is_meta)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(KG2ImgModel, "__init__", spy)
    with pytest.raises(CheckpointError, match=r"weights do not match model\.json .*other shapes"):
        KG2ImgModel.load(model)
    assert built_for_real == [False]  # only the shape check on the meta device ran
    config["encoder"]["hidden"] = "wide"
    (model / "model.json").write_text(json.dumps(record))
    with pytest.raises(CheckpointError, match=r"model\.json: invalid model config"):
        KG2ImgModel.load(model)


def test_model_config_from_json_refuses_floats_and_nan():
    good = ModelConfig().to_json()
    for field, value in (("hidden", 64.5), ("layers", math.nan)):
        bad = json.loads(json.dumps(good))
        bad["encoder"][field] = value
        with pytest.raises(CheckpointError, match=field):
            ModelConfig.from_json(bad)


def test_descriptions_and_scenes_over_the_limits_are_clear_errors(pipeline):
    with pytest.raises(SceneTooLargeError, match="at most 10,000"):
        pipeline.generate("a red circle. " * 1000, n=1)
    objects = [{"id": i, "shape": "circle", "colour": "red"} for i in range(MAX_SCENE_OBJECTS + 1)]
    with pytest.raises(SceneTooLargeError, match=f"at most {MAX_SCENE_OBJECTS}"):
        pipeline.generate(scene_json_to_rdf({"objects": objects}), n=1)


def test_the_largest_scene_is_placed_quickly(pipeline):
    objects = [{"id": i, "shape": "circle", "size": "small"} for i in range(MAX_SCENE_OBJECTS)]
    relations = [[i, "left_of", i + 1] for i in range(MAX_SCENE_OBJECTS - 1)]
    started = time.monotonic()
    result = pipeline.generate(scene_json_to_rdf({"objects": objects, "relations": relations}), n=2)
    assert time.monotonic() - started < 10  # quadratic Python placement took 19 s for 500
    assert result.boxes.shape == (2, MAX_SCENE_OBJECTS, 4)


def test_contradictions_and_unknown_values_are_reported_not_silently_drawn(pipeline):
    red_blue = pipeline.generate("a red blue circle", n=1)
    assert any("2 values of colour (blue, red)" in line for line in red_blue.not_honoured)
    cycle = pipeline.generate(
        "A red circle is left of a blue square. The blue square is left of the red circle.", n=2
    )
    assert any("does not hold" in line for line in cycle.not_honoured)
    unknown = pipeline.generate("a hexagon above a red circle", n=1)
    assert any("'hexagon'" in line and "does not define" in line for line in unknown.not_honoured)
    plain = pipeline.generate("a small red circle left of a big blue square", n=2)
    assert not any("values of" in line or "does not define" in line for line in plain.not_honoured)
    graph = scene_json_to_rdf({"objects": [{"id": 0, "shape": "circle", "colour": "ultraviolet"}]})
    boxes = torch.tensor([[[0.5, 0.5, 0.1, 0.1]]])
    objects = sorted(graph.subjects(predicate=None, object=None, unique=True))[:1]
    lines = not_honoured(graph, objects, boxes, pipeline.model.encoder.vocabulary.known)
    assert any("'ultraviolet' is not a value this model knows" in line for line in lines)


def test_cli_meta_json_lists_facts_not_honoured_and_warns(tiny_run, tmp_path):
    out = tmp_path / "out"
    run = subprocess.run(
        [*CLI, "generate", "--model", str(tiny_run), "--text", "a red blue circle", "--n", "1",
         "--out-dir", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "kg2img: warning:" in run.stderr and "values of colour" in run.stderr
    meta = json.loads((out / "meta.json").read_text())
    assert any("values of colour" in line for line in meta["not_honoured"])


def test_cli_prompts_draw_every_readable_line_and_fail_naming_the_others(tiny_run, tmp_path):
    prompts = tmp_path / "p.txt"
    prompts.write_text("a red circle\nof the and\na blue square\n")
    out = tmp_path / "out"
    run = subprocess.run(
        [*CLI, "generate", "--model", str(tiny_run), "--prompts", str(prompts), "--n", "1",
         "--out-dir", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["1", "3"]
    assert "p.txt:2: no object to draw in 'of the and'; understood:" in run.stderr
    assert "1 of 3 lines could not be drawn (line 2)" in run.stderr.strip().splitlines()[-1]


def test_cli_json_graph_errors_name_the_file(tmp_path):
    for body in ('{"objects": []}', '{"objects": [{"id": 0, "shape": {"a": 1}}]}', "[1, 2]"):
        graph = tmp_path / "scene.json"
        graph.write_text(body)
        run = subprocess.run([*CLI, "generate", "--graph", str(graph)], capture_output=True,
                             text=True, timeout=300)  # fmt: skip
        assert run.returncode == 1
        assert len(run.stderr.strip().splitlines()) == 1 and "scene.json" in run.stderr


def test_error_lines_are_capped_and_terminal_safe():
    line = one_line("bad input: " + "x" * 175_000 + "\x1b[31m")
    assert len(line) <= 500 and "175,0" in line
    assert "\x1b" not in one_line("a\x1b[2Jb") and "\\x1b" in one_line("a\x1b[2Jb")
    assert terminal_safe("red\x1b]0;title\x07\u202eevil") == "red\\x1b]0;title\\x07\\u202eevil"


def test_query_table_escapes_terminal_codes(tmp_path):
    from rdflib import Literal

    from kg_extract.store import QueryResult

    result = QueryResult(variables=("x",), rows=((Literal("\x1b[2J\x1b[31mred"),),))
    table = format_result(result, "table")
    assert "\x1b" not in table and "\\x1b[2J" in table
    assert "\x1b" in format_result(result, "json").encode().decode("unicode_escape")  # data kept


def test_cli_extract_refuses_a_base_with_a_newline_and_writes_nothing(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("A red circle.")
    out = tmp_path / "kg.ttl"
    run = subprocess.run([*CLI, "extract", str(text), "--out", str(out), "--base", "http://evil/x\n"],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert run.returncode == 1 and "invalid base IRI" in run.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [text]


def test_cli_extract_refuses_a_fifo_and_reports_skipped_inputs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    fifo = corpus / "pipe.txt"
    os.mkfifo(fifo)
    (corpus / "data.csv").write_text("a,b")
    (corpus / "notes").write_text("no suffix")
    (corpus / "ok.txt").write_text("A red circle.")
    run = subprocess.run([*CLI, "extract", str(fifo), str(corpus), "--out", str(tmp_path / "kg.nq")],
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "pipe.txt: not a regular file" in run.stderr
    assert "1 written" in run.stderr
    assert "inputs skipped: 2 not .txt/.md/.jsonl, 2 not a regular file" in run.stderr
    strict = subprocess.run([*CLI, "extract", str(fifo), "--out", str(tmp_path / "s.nq"), "--strict"],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert strict.returncode == 1 and not (tmp_path / "s.nq").exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_during_out_leave_no_temporary_file(tmp_path, sig):
    corpus = tmp_path / "corpus.jsonl"
    text = "A small red circle is left of a big blue square. Marie Curie was born in Warsaw."
    corpus.write_text(
        "".join(json.dumps({"id": f"d{i}", "text": text}) + "\n" for i in range(3000))
    )
    out = tmp_path / "out" / "kg.nq"
    proc = subprocess.Popen([*CLI, "extract", str(corpus), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.parent.glob(".kg.nq.*.tmp")):
        time.sleep(0.05)
    assert list(out.parent.glob(".kg.nq.*.tmp")), "the run never started writing"
    time.sleep(0.5)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert list(out.parent.iterdir()) == [], stderr[-2000:]
