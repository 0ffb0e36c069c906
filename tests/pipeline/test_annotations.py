"""The annotation schema: records round-trip and bad records are named."""

import json

import pytest

from pipeline.annotations import (
    AnnotatedImage,
    AnnotatedObject,
    AnnotatedRelation,
    AnnotationError,
    read_annotation_folder,
)


def test_record_round_trips_through_json():
    record = AnnotatedImage(
        "img-1",
        "a dog chases a red ball",
        (
            AnnotatedObject("dog", (0.1, 0.2, 0.5, 0.9), (("pose", "running"),)),
            AnnotatedObject(
                "ball",
                (0.6, 0.7, 0.7, 0.8),
                (("colour", "red"),),
                ("toy",),
                ((0.6, 0.7, 0.7, 0.7, 0.65, 0.8),),
            ),
        ),
        (AnnotatedRelation(0, "chases", 1),),
        knowledge="A ball is round.",
        image="images/1.jpg",
    )
    assert AnnotatedImage.from_json(json.loads(json.dumps(record.to_json()))) == record


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{", "invalid JSON"),
        ('{"id": "a", "objects": {}}', "objects: expected a list"),
        ('{"id": "a", "objects": [{"category": "", "box": [0, 0, 1, 1]}]}', "category"),
        ('{"id": "a", "objects": [{"category": "x", "box": [0, 0, 1]}]}', "box"),
        ('{"id": "a", "objects": [{"category": "x", "box": [0, 0, 1.5, 1]}]}', "fractions"),
        ('{"id": "a", "objects": [], "relations": [[0, "on", 1]]}', "no such object"),
        ('{"id": "a", "objects": [], "format": "kg2img-annotations/9"}', "format"),
        ('{"id": "a", "objects": [{"category": "x", "box": [0, 0, 1, 1], "mask": [[0, 0, 1]]}]}',
         "mask"),
        ('{"id": "a", "objects": [{"category": "x", "box": [0, 0, 1, 1], '
         '"attributes": {"category": "y"}}]}', "reserved|category"),
    ],
)  # fmt: skip
def test_bad_records_name_the_file_and_line(tmp_path, line, message):
    (tmp_path / "annotations.jsonl").write_text('{"id": "ok", "objects": []}\n' + line + "\n")
    with pytest.raises(AnnotationError, match=message) as error:
        read_annotation_folder(tmp_path)
    assert "annotations.jsonl:2" in str(error.value)


def test_folder_errors(tmp_path):
    with pytest.raises(AnnotationError, match="not an annotation folder"):
        read_annotation_folder(tmp_path)
    (tmp_path / "annotations.jsonl").write_text('{"id": "a", "objects": []}\n' * 2)
    with pytest.raises(AnnotationError, match="id 'a' used twice"):
        read_annotation_folder(tmp_path)
    (tmp_path / "annotations.jsonl").write_bytes(b"\xff\xfe")
    with pytest.raises(AnnotationError, match="not UTF-8"):
        read_annotation_folder(tmp_path)


def test_missing_and_broken_images_are_named(tmp_path):
    (tmp_path / "annotations.jsonl").write_text('{"id": "a", "objects": [], "image": "a.png"}\n')
    (tmp_path / "b.png").write_bytes(b"not a png")
    dataset = read_annotation_folder(tmp_path)
    with pytest.raises(AnnotationError, match=r"a\.png: no such image"):
        dataset.pixels(dataset.images[0])
    broken = AnnotatedImage("b", "", (), image="b.png")
    with pytest.raises(AnnotationError, match=r"b\.png: not a readable image"):
        dataset.pixels(broken)
