import numpy as np

from fashion_scenes import spec
from fashion_scenes.dataset import annotate, fashion_dataset, iter_scenes
from fashion_scenes.mnist import SAMPLE_SOURCE, read_items
from fashion_scenes.scene import Item, relation_holds, render, separated
from fashion_scenes.wordnet import word_lists

ITEMS = read_items(SAMPLE_SOURCE, "test")


def test_scenes_keep_boxes_inside_the_canvas_and_apart():
    for scene in iter_scenes("test", 60, seed=3, items=ITEMS):
        assert spec.MIN_ITEMS <= len(scene.items) <= spec.MAX_ITEMS
        for item in scene.items:
            assert item.x >= 0 and item.x + item.side <= spec.CANVAS_SIZE
            assert item.y >= 0 and item.y + item.side <= spec.CANVAS_SIZE
        for a in scene.items:
            for b in scene.items:
                if a is not b:
                    assert separated(a, b)


def test_captions_state_only_relations_that_hold():
    for scene in iter_scenes("test", 60, seed=4, items=ITEMS):
        for s, predicate, o in scene.stated:
            assert relation_holds(predicate, scene.items[s], scene.items[o])


def test_the_same_seed_gives_the_same_scenes():
    first = [s.caption for s in iter_scenes("val", 10, seed=1, items=ITEMS)]
    again = [s.caption for s in iter_scenes("val", 10, seed=1, items=ITEMS)]
    other = [s.caption for s in iter_scenes("val", 10, seed=2, items=ITEMS)]
    assert first == again and first != other


def test_an_item_is_its_photo_times_its_colour_at_its_size():
    photo_index = 5
    item = Item(int(ITEMS.labels[photo_index]), photo_index, "red", "large", 10, 20, "x")
    image = render((item,), ITEMS.images)
    crop = image[20:48, 10:38].astype(np.float32)
    expected = (
        ITEMS.images[photo_index].astype(np.float32)[..., None]
        / 255
        * np.array(spec.PALETTE["red"])
    )
    assert np.abs(crop - expected).max() <= 0.5
    assert image.sum() == image[20:48, 10:38].sum()  # black elsewhere
    small = render((Item(0, photo_index, "white", "small", 0, 0, "x"),), ITEMS.images)
    assert small[20:, :].max() == 0 and small[:, 20:].max() == 0 and small[:20, :20].max() > 0


def test_zero_shot_scenes_name_one_item_by_a_test_word_and_training_never_does():
    test_words = {w for words in word_lists()["test"].values() for w in words}
    dev_words = {w for words in word_lists()["dev"].values() for w in words}
    for scene in iter_scenes("zero-shot", 30, seed=0, items=ITEMS):
        assert sum(item.word in test_words for item in scene.items) == 1
    for scene in iter_scenes("train", 300, seed=0, fresh_word_rate=1.0, items=ITEMS):
        for item in scene.items:
            assert item.word not in test_words and item.word not in dev_words


def test_word_pools_are_disjoint_and_never_a_class_name():
    lists = word_lists()
    pools = [{w for words in lists[k].values() for w in words} for k in ("train", "dev", "test")]
    assert not (pools[0] & pools[1]) and not (pools[0] & pools[2]) and not (pools[1] & pools[2])
    assert not (set(spec.CLASS_NAMES) & (pools[0] | pools[1] | pools[2]))
    assert len(pools[2]) >= 30


def test_single_item_scenes_are_one_large_white_item_named_by_its_class():
    for scene in iter_scenes("single", 10, seed=0, items=ITEMS):
        (item,) = scene.items
        assert (item.size, item.colour) == ("large", "white")
        assert scene.caption.lower().rstrip(".").split(" ", 1)[1] == spec.CLASS_NAMES[item.label]


def test_scenes_in_the_schema_carry_class_colour_size_box_and_the_hyponym_word():
    scene = next(
        s
        for s in iter_scenes("zero-shot", 5, seed=0, items=ITEMS)
        if any(i.word != spec.CLASS_NAMES[i.label] for i in s.items)
    )
    record = annotate(scene)
    for item, obj in zip(scene.items, record.objects, strict=True):
        assert obj.category == spec.CLASS_NAMES[item.label]
        assert dict(obj.attributes) == {"colour": item.colour, "size": item.size}
        assert obj.box == item.box
        assert (item.word in obj.names) == (item.word != obj.category)


def test_the_dataset_renders_what_it_annotates():
    dataset = fashion_dataset("test", 4, seed=0, source=SAMPLE_SOURCE)
    for record in dataset.images:
        pixels = dataset.pixels(record)
        assert pixels.shape == (64, 64, 3)
        for obj in record.objects:
            x0, y0, x1, y1 = (round(v * 64) for v in obj.box)
            assert pixels[y0:y1, x0:x1].max() > 0
    assert "parka" in dataset.knowledge[0]
