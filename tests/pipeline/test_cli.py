import json
import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()


def test_cli_shapes_export_writes_requested_count(tmp_path):
    result = runner.invoke(app, ["shapes", "export", str(tmp_path), "--n", "4", "--seed", "9"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "annotations.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == [f"train-9-{i}" for i in range(4)]
    result = runner.invoke(
        app, ["shapes", "export", str(tmp_path / "coco"), "--n", "3", "--format", "coco"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads((tmp_path / "coco" / "instances.json").read_text())["images"]) == 3


def test_cli_shapes_export_rejects_unknown_split_as_usage_error(tmp_path):
    result = runner.invoke(app, ["shapes", "export", str(tmp_path), "--split", "nope"])
    assert result.exit_code == 2
    assert not (tmp_path / "annotations.jsonl").exists()
    result = runner.invoke(app, ["shapes", "export", str(tmp_path), "--format", "xml"])
    assert result.exit_code == 2 and not (tmp_path / "annotations.jsonl").exists()


def test_console_script_reports_failure_in_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-c", "from pipeline.cli import main; main()", "shapes", "export",
         str(blocker / "sub"), "--n", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.startswith("kg2img: error:")
    assert len(proc.stderr.strip().splitlines()) == 1
