import json

from pipeline.shapes_export import export_shapes
from shapes_world import TRAIN_CONCEPTS, ZERO_SHOT_CONCEPTS


def test_export_writes_pngs_captions_and_knowledge(tmp_path):
    from PIL import Image

    captions = export_shapes(tmp_path, n=5, seed=3, split="zero-shot")
    records = [json.loads(line) for line in captions.read_text().splitlines()]
    assert len(records) == 5
    for record in records:
        image = Image.open(tmp_path / record["image"])
        assert image.size == (64, 64)
        assert record["caption"] and record["graph"]["objects"]
    knowledge = (tmp_path / "knowledge.txt").read_text()
    assert all(c in knowledge.lower() for c in ZERO_SHOT_CONCEPTS)
    assert not any(f" {c} " in f" {knowledge.lower()} " for c in TRAIN_CONCEPTS)
    assert not list(tmp_path.rglob("*.tmp"))
