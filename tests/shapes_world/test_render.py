import math

import numpy as np
import pytest

from shapes_world import Scene, SceneObject, make_example, render, render_array, spec
from shapes_world.render import object_mask


def _single(shape: str, colour: str = "red", size: str = "large") -> Scene:
    return Scene.from_objects((SceneObject(shape, colour, size, 0.5, 0.5),))


def test_render_is_64px_rgb_with_black_background():
    image = render(_single("circle"))
    assert image.size == (64, 64)
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (0, 0, 0)


@pytest.mark.parametrize("colour", spec.COLOURS)
def test_render_palette_is_exact(colour):
    pixels = render_array(_single("square", colour)).reshape(-1, 3)
    colours = {tuple(int(v) for v in p) for p in pixels}
    assert colours == {(0, 0, 0), spec.PALETTE[colour]}


@pytest.mark.parametrize("size", spec.SIZES)
def test_render_circle_area_matches_radius(size):
    mask = object_mask(SceneObject("circle", "red", size, 0.5, 0.5))
    r = spec.SIZE_RADIUS[size] * 64
    assert mask.sum() == pytest.approx(math.pi * r * r, rel=0.05)


@pytest.mark.parametrize("size", spec.SIZES)
def test_render_square_half_side_is_point_nine_r(size):
    mask = object_mask(SceneObject("square", "red", size, 0.5, 0.5))
    cols = np.flatnonzero(mask.any(axis=0))
    width = cols.max() - cols.min() + 1
    assert width == pytest.approx(2 * 0.9 * spec.SIZE_RADIUS[size] * 64, abs=1.01)


def test_render_triangle_apex_and_base_follow_spec():
    r = 0.2 * 64
    mask = object_mask(SceneObject("triangle", "red", "large", 0.5, 0.5))
    rows = np.flatnonzero(mask.any(axis=1))
    # Pixel centres sit at index + 0.5.
    assert rows.min() + 0.5 == pytest.approx(32 - r, abs=1.5)
    assert rows.max() + 0.5 == pytest.approx(32 + 0.8 * r, abs=1.0)
    base = np.flatnonzero(mask[rows.max()])
    assert base.max() - base.min() + 1 == pytest.approx(2 * 1.05 * r, abs=2.5)
    # Narrow at the top: the apex row is much narrower than the base.
    assert mask[rows.min()].sum() < base.size / 3


def test_render_objects_never_overlap_in_pixels():
    for i in range(200):
        scene = make_example(3, "train", i).scene
        masks = [object_mask(o) for o in scene.objects]
        for a in range(len(masks)):
            for b in range(a + 1, len(masks)):
                assert not (masks[a] & masks[b]).any()
