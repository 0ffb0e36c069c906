import gzip

import numpy as np
import pytest

from fashion_scenes.mnist import SAMPLE_SOURCE, FashionMNISTError, Items, read_items, write_items


def test_the_committed_sample_holds_twenty_test_items_of_every_class():
    items = read_items(SAMPLE_SOURCE, "test")
    assert items.images.shape == (200, 28, 28)
    assert items.images.dtype == np.uint8
    assert np.bincount(items.labels).tolist() == [20] * 10
    assert items.images.max() > 200  # real photos, not blank


def test_written_items_read_back_identically(tmp_path):
    items = read_items(SAMPLE_SOURCE, "test")
    part = Items(items.images[:7], items.labels[:7])
    write_items(part, tmp_path, "train")
    back = read_items(tmp_path, "train")
    assert np.array_equal(back.images, part.images)
    assert np.array_equal(back.labels, part.labels)


def test_a_missing_folder_names_the_file_and_the_package(tmp_path):
    with pytest.raises(
        FashionMNISTError, match=r"t10k-images-idx3-ubyte\.gz: not found.*dataset-fashion-mnist"
    ):
        read_items(tmp_path, "test")


def test_a_truncated_file_is_refused_with_its_name(tmp_path):
    write_items(read_items(SAMPLE_SOURCE, "test"), tmp_path, "test")
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw[:-100]))
    with pytest.raises(FashionMNISTError, match=r"t10k-images-idx3-ubyte\.gz: .*data bytes"):
        read_items(tmp_path, "test")


def test_a_file_of_another_kind_is_refused(tmp_path):
    write_items(read_items(SAMPLE_SOURCE, "test"), tmp_path, "test")
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip at all")
    with pytest.raises(FashionMNISTError, match=r"t10k-labels-idx1-ubyte\.gz: unreadable"):
        read_items(tmp_path, "test")
