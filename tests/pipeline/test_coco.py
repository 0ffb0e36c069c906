"""COCO-format import: the ShapesWorld export read back, and malformed files."""

import json

import pytest

from kg2img.registry import data_adapters
from pipeline.annotations import AnnotationError
from pipeline.coco import read_coco
from pipeline.datasets import DataOptions, load_dataset
from shapes_world.adapter import shapes_dataset
from shapes_world.export import export_shapes


@pytest.fixture(scope="module")
def coco_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coco")
    export_shapes(folder, n=6, seed=2, split="train", format="coco", fresh_concept_rate=1.0)
    return folder


def test_coco_export_reads_back_as_the_worlds_annotations(coco_export):
    dataset = read_coco(coco_export / "instances.json", coco_export / "captions.json")
    original = shapes_dataset(2, "train", 6, fresh_concept_rate=1.0).images
    assert [r.caption for r in dataset.images] == [r.caption for r in original]
    for read, made in zip(dataset.images, original, strict=True):
        assert [(o.category, o.attributes, o.names) for o in read.objects] == [
            (o.category, o.attributes, o.names) for o in made.objects
        ]
        for a, b in zip(read.objects, made.objects, strict=True):
            assert a.box == pytest.approx(b.box, abs=1e-4)
        assert dataset.pixels(read).shape == (64, 64, 3)
    # COCO has no relations: they are derived from the boxes, one per pair.
    two = next(r for r in dataset.images if len(r.objects) == 2)
    assert len(two.relations) == 1
    # Invented concepts' definitions travel in knowledge.txt beside the JSON.
    assert any("is a" in text for text in dataset.knowledge)


def test_coco_data_source_with_an_image_folder(coco_export, tmp_path):
    source = f"coco:{coco_export}/instances.json,{coco_export}/captions.json"
    dataset = load_dataset(source, DataOptions(images=str(coco_export)))
    assert len(dataset.images) == 6
    moved = load_dataset(f"coco:{coco_export}/instances.json", DataOptions(images=str(tmp_path)))
    assert all(r.caption == "" for r in moved.images)  # no captions file: no captions
    with pytest.raises(AnnotationError, match="no such image"):
        moved.pixels(moved.images[0])


def _write(tmp_path, data, name="instances.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


GOOD = {
    "images": [{"id": 1, "file_name": "a.png", "width": 100, "height": 50}],
    "annotations": [{"id": 1, "image_id": 1, "category_id": 3, "bbox": [10, 5, 20, 10]}],
    "categories": [{"id": 3, "name": "dog"}],
}


def test_a_good_minimal_file_gives_boxes_as_image_fractions(tmp_path):
    (record,) = read_coco(_write(tmp_path, GOOD)).images
    assert record.objects[0].category == "dog"
    assert record.objects[0].box == pytest.approx((0.1, 0.1, 0.3, 0.3))
    assert record.objects[0].mask is None


def test_polygon_masks_are_read_scaled_and_written_back(tmp_path):
    from pipeline.annotations import AnnotatedDataset
    from pipeline.coco import write_coco

    data = json.loads(json.dumps(GOOD))
    data["annotations"][0]["segmentation"] = [[10, 5, 30, 5, 30, 15]]
    (record,) = read_coco(_write(tmp_path, data)).images
    assert record.objects[0].mask[0] == pytest.approx((0.1, 0.1, 0.3, 0.1, 0.3, 0.3))
    out = tmp_path / "out"
    write_coco(AnnotatedDataset([record]), out, (100, 50))
    (written,) = json.loads((out / "instances.json").read_text())["annotations"]
    assert written["segmentation"] == [[10, 5, 30, 5, 30, 15]]
    data["annotations"][0]["segmentation"] = {"counts": "abc", "size": [50, 100]}  # RLE
    assert read_coco(_write(tmp_path, data)).images[0].objects[0].mask is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "{not json", r"invalid JSON at line 1"),
        (lambda d: "[]", "expected a COCO JSON object"),
        (lambda d: {**d, "images": {}}, "'images' must be a list"),
        (
            lambda d: {k: v for k, v in d.items() if k != "categories"},
            "'categories' must be a list",
        ),
        (
            lambda d: {**d, "annotations": [{**d["annotations"][0], "bbox": [1, 2, 3]}]},
            r"annotations\[0\]\.bbox: expected \[x, y, width, height\]",
        ),
        (
            lambda d: {**d, "annotations": [{**d["annotations"][0], "category_id": 9}]},
            r"annotations\[0\]: category_id 9 is not in 'categories'",
        ),
        (
            lambda d: {**d, "annotations": [{**d["annotations"][0], "image_id": 7}]},
            r"annotations\[0\]: image_id 7 is not in 'images'",
        ),
        (
            lambda d: {**d, "images": [{**d["images"][0], "width": "wide"}]},
            r"images\[0\]\.width: expected int",
        ),
        (lambda d: {**d, "images": [d["images"][0]] * 2}, "image id 1 used twice"),
        (
            lambda d: {**d, "annotations": [{**d["annotations"][0], "attributes": ["red"]}]},
            r"annotations\[0\]: attributes must be",
        ),
    ],
)
def test_malformed_coco_files_name_the_file_and_the_entry(tmp_path, change, message):
    path = _write(tmp_path, change(json.loads(json.dumps(GOOD))))
    with pytest.raises(AnnotationError, match=message) as error:
        read_coco(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_bad_captions_file_is_named(tmp_path):
    instances = _write(tmp_path, GOOD)
    captions = _write(tmp_path, {"annotations": [{"image_id": 5, "caption": "x"}]}, "c.json")
    with pytest.raises(AnnotationError, match=r"c\.json: annotations\[0\]: image_id 5"):
        read_coco(instances, captions)
    with pytest.raises(AnnotationError, match="no such file"):
        read_coco(instances, tmp_path / "missing.json")


def test_unknown_data_prefix_and_a_users_adapter(tmp_path):
    with pytest.raises(AnnotationError, match="unknown data adapter 'nope'; known: coco"):
        load_dataset("nope:x")
    calls = []

    def mine(argument, options):
        calls.append(argument)
        return read_coco(_write(tmp_path, GOOD))

    data_adapters.register("mine", mine)
    try:
        assert len(load_dataset("mine:anything").images) == 1
        assert calls == ["anything"]
    finally:
        data_adapters._items.pop("mine")
