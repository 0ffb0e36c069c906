import json

from PIL import Image

from pipeline.annotations import read_annotation_folder
from shapes_world import TRAIN_CONCEPTS, ZERO_SHOT_CONCEPTS
from shapes_world.adapter import shapes_dataset
from shapes_world.export import export_shapes


def test_export_writes_pngs_annotations_and_knowledge(tmp_path):
    written = export_shapes(tmp_path, n=5, seed=3, split="zero-shot")
    records = [json.loads(line) for line in written.read_text().splitlines()]
    assert len(records) == 5
    for record in records:
        assert Image.open(tmp_path / record["image"]).size == (64, 64)
        assert record["caption"] and record["objects"]
    knowledge = (tmp_path / "knowledge.txt").read_text()
    assert all(c in knowledge.lower() for c in ZERO_SHOT_CONCEPTS)
    assert not any(f" {c} " in f" {knowledge.lower()} " for c in TRAIN_CONCEPTS)
    assert not list(tmp_path.rglob("*.tmp"))


def test_exported_folder_reads_back_as_the_adapters_records(tmp_path):
    export_shapes(tmp_path, n=8, seed=1, split="train")
    folder = read_annotation_folder(tmp_path)
    made = shapes_dataset(1, "train", 8)
    for read, original in zip(folder.images, made.images, strict=True):
        assert read.caption == original.caption and read.relations == original.relations
        assert [o.category for o in read.objects] == [o.category for o in original.objects]
        assert (folder.pixels(read) == made.pixels(original)).all()
