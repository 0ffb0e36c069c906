import re

import pytest
from PIL import Image
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.generate import SHIPPED_MODEL

runner = CliRunner()


@pytest.mark.skipif(
    not (SHIPPED_MODEL / "model.safetensors").is_file(), reason="no shipped model in this checkout"
)
def test_demo_builds_kg_and_report_with_images_graphs_and_sources(tmp_path):
    result = runner.invoke(app, ["demo", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "index.html").read_text()
    assert page.count("<section>") == 6 + 7  # ShapesWorld, then FashionScenes
    for title in ("Text", "Zero-shot concept", "SPARQL CONSTRUCT", "Entity"):
        assert title in page
    images = re.findall(r"src='(queries/[^']+\.png)'", page)
    assert len(images) == 5 * 4 + 5  # four images and one graph drawing per query
    for path in images:
        assert Image.open(tmp_path / path).size[0] > 0
    assert "A kest is left of a big green circle." in page  # source sentence of a triple
    assert "Kests are small." in page  # the zero-shot concept's definition reached the graph
    assert (tmp_path / "kg-store").is_dir()

    # FashionScenes: ten real and ten generated items, three scenes, three zero-shot words
    # each with the is-a chain read from WordNet sentences.
    fashion = re.findall(r"src='(fashion/[^']+\.png)'", page)
    assert len(fashion) == 20 + 3 * 4 + 3 * 4
    assert "Zero-shot word &#x27;parka&#x27;" in page
    assert "parka is a jacket" in page and "A parka is a kind of heavy jacket" in page
