import numpy as np
import pytest

from fashion_scenes import spec
from fashion_scenes.dataset import iter_scenes
from fashion_scenes.judge import (
    ExpectedItem,
    Score,
    detect,
    judge,
    load_classifier,
    nearest_colour,
    to_frame,
)
from fashion_scenes.mnist import SAMPLE_SOURCE, read_items
from fashion_scenes.scene import render

ITEMS = read_items(SAMPLE_SOURCE, "test")


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


def test_true_renders_are_read_back_nearly_perfectly(classifier):
    total = Score()
    for scene in iter_scenes("test", 40, seed=7, items=ITEMS):
        expected = [ExpectedItem(i.label, i.colour, i.size) for i in scene.items]
        total.add(judge(render(scene.items, ITEMS.images), expected, scene.stated, classifier))
    scores = total.accuracies()
    assert scores["colour"] >= 0.95 and scores["size"] >= 0.95
    assert scores["relations"] >= 0.95 and scores["object_count"] >= 0.95
    assert scores["class"] >= 0.75  # real photos; the classifier's own test accuracy is ~0.9


def test_a_wrong_image_scores_low(classifier):
    scene = next(s for s in iter_scenes("test", 20, seed=8, items=ITEMS) if len(s.items) == 3)
    expected = [ExpectedItem(i.label, i.colour, i.size) for i in scene.items]
    blank = np.zeros((64, 64, 3), dtype=np.uint8)
    score = judge(blank, expected, scene.stated, classifier)
    assert score.label == score.colour == score.size == score.count_correct == 0


def test_every_palette_colour_is_read_from_its_tint():
    gray = ITEMS.images[0].astype(np.float32).reshape(-1, 1)
    for name, rgb in spec.PALETTE.items():
        pixels = gray / 255 * np.array(rgb, dtype=np.float32)
        assert nearest_colour(pixels[gray[:, 0] > 40]) == name


def test_items_are_framed_like_the_classifier_training_items():
    frame = to_frame(ITEMS.images[3])
    assert frame.shape == (28, 28) and 0.9 <= frame.max() <= 1.0
    assert frame[0].max() == 0 and frame[-1].max() == 0  # a 1-px border at least


def test_detections_carry_size_from_their_extent(classifier):
    scene = next(s for s in iter_scenes("test", 30, seed=9, items=ITEMS) if len(s.items) >= 2)
    found = detect(render(scene.items, ITEMS.images), classifier)
    assert sorted(d.size for d in found) == sorted(i.size for i in scene.items)


def test_other_weights_are_refused_with_the_file_name(tmp_path):
    import torch
    from safetensors.torch import save_file

    path = tmp_path / "judge.safetensors"
    save_file({"w": torch.zeros(2)}, str(path))
    with pytest.raises(ValueError, match=r"judge\.safetensors: not the judge.s weights"):
        load_classifier(path)
    path.write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not the judge's weights"):
        load_classifier(path)
