import pytest
import torch

from generator.layout import ObjectLayout, paint_layout
from generator.networks import (
    BoxPredictor,
    DCGANDiscriminator,
    DCGANGenerator,
    GeneratorConfig,
    LayoutDiscriminator,
    LayoutGenerator,
)

CONFIG = GeneratorConfig(cond_dim=8, feature_dim=4, z_dim=2, channels=8, image_size=16)


def _layout(boxes, batch, num_scenes=2):
    features = torch.randn(len(boxes), CONFIG.cond_dim)
    return ObjectLayout(
        features, torch.tensor(batch), torch.tensor(boxes, dtype=torch.float32), num_scenes
    )


def test_layout_paints_objects_only_inside_their_boxes():
    layout = ObjectLayout(
        torch.ones(1, 2), torch.tensor([0]), torch.tensor([[0.25, 0.25, 0.1]]), num_scenes=2
    )
    painted = paint_layout(layout, 16)
    mask = painted[0, 2]
    ys, xs = mask.nonzero(as_tuple=True)
    assert mask.sum() > 0
    assert xs.max() < 8 and ys.max() < 8  # box half-side 0.135 around 0.25
    assert painted[1].abs().sum() == 0  # the second scene has no objects
    u, v = painted[0, 3][mask > 0], painted[0, 4][mask > 0]
    assert u.min() >= -1 and u.max() <= 1 and v.min() >= -1 and v.max() <= 1


def test_layout_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="layout shapes"):
        ObjectLayout(torch.zeros(2, 3), torch.zeros(3, dtype=torch.long), torch.zeros(2, 3), 1)


def test_layout_generator_output_shape_and_z_check():
    g = LayoutGenerator(CONFIG)
    cond = _layout([[0.3, 0.3, 0.1], [0.7, 0.6, 0.2], [0.5, 0.5, 0.1]], [0, 0, 1])
    out = g(torch.randn(2, CONFIG.z_dim), cond)
    assert out.shape == (2, 3, 16, 16)
    with pytest.raises(ValueError, match="z has shape"):
        g(torch.randn(3, CONFIG.z_dim), cond)
    d = LayoutDiscriminator(CONFIG)
    assert d(out, g.layout_map(cond)).shape == (2, 1, 2, 2)


def test_layout_generator_image_depends_on_object_position():
    torch.manual_seed(0)
    g = LayoutGenerator(CONFIG)
    features = torch.randn(1, CONFIG.cond_dim)
    z = torch.zeros(1, CONFIG.z_dim)
    left = g(z, ObjectLayout(features, torch.tensor([0]), torch.tensor([[0.3, 0.5, 0.15]]), 1))
    right = g(z, ObjectLayout(features, torch.tensor([0]), torch.tensor([[0.7, 0.5, 0.15]]), 1))
    assert not torch.allclose(left, right)
    assert torch.allclose(left, left.flip(-1).flip(-1))


def test_box_predictor_ranges():
    mean, log_std, radius = BoxPredictor(8)(torch.randn(5, 8) * 10)
    assert mean.shape == (5, 2) and log_std.shape == (5, 2) and radius.shape == (5,)
    assert (mean > 0.1).all() and (mean < 0.9).all()
    assert (radius > 0.05).all() and (radius < 0.3).all()


def test_dcgan_baseline_shapes():
    config = GeneratorConfig(kind="dcgan", cond_dim=8, z_dim=2, image_size=16)
    g, d = DCGANGenerator(config), DCGANDiscriminator(config)
    images = g(torch.randn(3, 2), torch.randn(3, 8))
    assert images.shape == (3, 3, 16, 16)
    assert d(images, torch.randn(3, 8)).shape == (3,)
