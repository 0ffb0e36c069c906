import pytest
import torch

from generator.layout import ObjectLayout, paint_layout
from generator.networks import (
    AttributeHeads,
    BoxPredictor,
    DCGANDiscriminator,
    DCGANGenerator,
    GeneratorConfig,
    LatentEncoder,
    LayoutDiscriminator,
    LayoutGenerator,
)
from generator.placement import PlacementConfig, derive_relation, sample_boxes, violations
from kg2img.registry import generators

CONFIG = GeneratorConfig(cond_dim=8, feature_dim=4, z_dim=2, channels=8, image_size=16)


def _layout(boxes, batch, num_scenes=2):
    features = torch.randn(len(boxes), CONFIG.cond_dim)
    return ObjectLayout(
        features, torch.tensor(batch), torch.tensor(boxes, dtype=torch.float32), num_scenes
    )


def test_layout_paints_objects_only_inside_their_boxes():
    layout = ObjectLayout(
        torch.ones(1, 2), torch.tensor([0]), torch.tensor([[0.25, 0.25, 0.2, 0.2]]), num_scenes=2
    )
    painted = paint_layout(layout, 16)
    mask = painted[0, 2]
    ys, xs = mask.nonzero(as_tuple=True)
    assert mask.sum() > 0
    assert xs.max() < 8 and ys.max() < 8  # box half-side 0.1 around 0.25
    assert painted[1].abs().sum() == 0  # the second scene has no objects
    u, v = painted[0, 3][mask > 0], painted[0, 4][mask > 0]
    assert u.min() >= -1 and u.max() <= 1 and v.min() >= -1 and v.max() <= 1


def test_layout_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="layout shapes"):
        ObjectLayout(torch.zeros(2, 3), torch.zeros(3, dtype=torch.long), torch.zeros(2, 4), 1)
    with pytest.raises(ValueError, match="layout shapes"):  # (x, y, radius) is not a box
        ObjectLayout(torch.zeros(2, 3), torch.zeros(2, dtype=torch.long), torch.zeros(2, 3), 1)


def test_layout_paints_rectangles_with_their_aspect_ratio():
    wide = torch.tensor([[0.5, 0.5, 0.8, 0.2]])
    painted = paint_layout(ObjectLayout(torch.ones(1, 2), torch.tensor([0]), wide, 1), 32)
    ys, xs = painted[0, 2].nonzero(as_tuple=True)
    width, height = int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)
    assert width == pytest.approx(0.8 * 32, abs=1) and height == pytest.approx(0.2 * 32, abs=1)


def test_layout_generator_output_shape_and_z_check():
    g = LayoutGenerator(CONFIG)
    cond = _layout([[0.3, 0.3, 0.2, 0.2], [0.7, 0.6, 0.4, 0.3], [0.5, 0.5, 0.2, 0.1]], [0, 0, 1])
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
    box = [0.3, 0.5, 0.3, 0.3]
    left = g(z, ObjectLayout(features, torch.tensor([0]), torch.tensor([box]), 1))
    box[0] = 0.7
    right = g(z, ObjectLayout(features, torch.tensor([0]), torch.tensor([box]), 1))
    assert not torch.allclose(left, right)
    assert torch.allclose(left, left.flip(-1).flip(-1))


def test_box_predictor_stays_inside_the_placement_ranges():
    placement = PlacementConfig(centre_min=0.2, centre_max=0.8, size_min=0.1, size_max=0.5)
    mean, log_std, size = BoxPredictor(8, placement)(torch.randn(50, 8) * 10)
    assert mean.shape == (50, 2) and log_std.shape == (50, 2) and size.shape == (50, 2)
    assert (mean >= 0.2).all() and (mean <= 0.8).all()
    assert (size >= 0.1).all() and (size <= 0.5).all()


def test_attribute_heads_one_per_vocabulary_entry():
    heads = AttributeHeads(8, [3, 8, 2])
    logits = heads(torch.randn(4, 8))
    assert [tuple(x.shape) for x in logits] == [(4, 3), (4, 8), (4, 2)]


def test_placement_from_boxes_spans_the_data():
    boxes = [(0.3, 0.4, 0.2, 0.1), (0.7, 0.6, 0.3, 0.5)]
    config = PlacementConfig.from_boxes(boxes, [0.05] * 99 + [-0.5], [0.2] * 10)
    assert (config.centre_min, config.centre_max) == (0.3, 0.7)
    assert (config.size_min, config.size_max) == (0.1, 0.5)
    assert config.gap == 0.05  # the 10th percentile of 100 values: one outlier does not count
    assert config.relation_margin == 0.2
    assert PlacementConfig.from_boxes(boxes, [], []).gap is None  # no pairs: unconstrained


def test_violations_count_broken_relations_and_overlaps():
    config = PlacementConfig(gap=0.0, relation_margin=0.1)
    apart = torch.tensor([[[0.2, 0.5, 0.1, 0.1], [0.8, 0.5, 0.1, 0.1]]])
    overlapping = torch.tensor([[[0.5, 0.5, 0.3, 0.3], [0.55, 0.5, 0.3, 0.3]]])
    assert violations(apart, [(0, "left_of", 1)], config).tolist() == [0.0]
    assert violations(apart, [(1, "left_of", 0)], config).tolist() == [1.0]
    assert violations(overlapping, [], config).tolist() == [1.0]
    # An open predicate ("ride") constrains nothing; no gap means overlaps are allowed.
    loose = PlacementConfig()
    assert violations(overlapping, [(0, "ride", 1)], loose).tolist() == [0.0]


def test_sample_boxes_honours_a_relation_when_it_can():
    config = PlacementConfig(centre_min=0.1, centre_max=0.9, gap=0.0, relation_margin=0.1)
    mean = torch.tensor([[0.5, 0.5], [0.5, 0.5]])
    log_std = torch.full((2, 2), -1.0)
    size = torch.full((2, 2), 0.1)
    boxes = sample_boxes(
        mean, log_std, size, [(0, "left_of", 1)], config, torch.Generator().manual_seed(0)
    )
    assert boxes.shape == (2, 4)
    assert boxes[0, 0] < boxes[1, 0] - 0.1


def test_derived_relations_follow_the_boxes():
    assert derive_relation((0.0, 0.4, 0.2, 0.6), (0.6, 0.4, 0.8, 0.6)) == "left_of"
    assert derive_relation((0.4, 0.0, 0.6, 0.2), (0.4, 0.6, 0.6, 0.8)) == "above"
    assert derive_relation((0.4, 0.4, 0.5, 0.5), (0.0, 0.0, 1.0, 1.0)) == "inside"
    assert derive_relation((0.0, 0.0, 1.0, 1.0), (0.4, 0.4, 0.5, 0.5)) == "surrounding"


def test_generator_kinds_come_from_the_registry():
    assert {"layout", "dcgan"} <= set(generators.names())
    with pytest.raises(KeyError, match="unknown generator 'nope'"):
        generators.get("nope")


def test_dcgan_baseline_shapes():
    config = GeneratorConfig(kind="dcgan", cond_dim=8, z_dim=2, image_size=16)
    g, d = DCGANGenerator(config), DCGANDiscriminator(config)
    images = g(torch.randn(3, 2), torch.randn(3, 8))
    assert images.shape == (3, 3, 16, 16)
    assert d(images, torch.randn(3, 8)).shape == (3,)


def test_fourier_bands_describe_positions_inside_boxes_only():
    import dataclasses

    g = LayoutGenerator(dataclasses.replace(CONFIG, fourier_bands=3, pixel_layers=3))
    layout = g.layout_map(_layout([[0.3, 0.3, 0.25, 0.25]], [0], num_scenes=1))
    sines, cosines = g._bands(layout)
    assert sines.shape == cosines.shape == (1, 2 * 3, 16, 16)
    outside = layout[:, -3] == 0
    assert sines[0][:, outside[0]].abs().max() == 0 and cosines[0][:, outside[0]].abs().max() == 0
    inside = ~outside[0]
    assert cosines[0][:, inside].abs().max() > 0.5  # varying detail within the box
    assert len([m for m in g.pixelwise if isinstance(m, torch.nn.Conv2d)]) == 3


def test_default_generator_keeps_the_architecture_saved_models_have():
    keys = set(LayoutGenerator(CONFIG).state_dict())
    assert keys == {
        "project.weight", "project.bias", "pixelwise.0.weight", "pixelwise.0.bias",
        "pixelwise.2.weight", "pixelwise.2.bias", "spatial.0.weight", "spatial.0.bias",
        "spatial.2.weight", "spatial.2.bias", "to_rgb.weight", "to_rgb.bias",
    }  # fmt: skip


def test_a_crop_of_the_whole_image_is_the_image_and_a_box_crop_holds_only_its_box():
    from generator.networks import crop_objects

    image = torch.zeros(2, 3, 16, 16)
    image[1, :, 0:8, 8:16] = 1.0  # scene 1: the top-right quarter is white
    image[0] = torch.rand(3, 16, 16)
    batch = torch.tensor([0, 1, 1])
    boxes = torch.tensor([[0.5, 0.5, 1.0, 1.0], [0.75, 0.25, 0.5, 0.5], [0.25, 0.75, 0.5, 0.5]])
    crops = crop_objects(image, batch, boxes, size=16, reach=1.0)
    assert crops.shape == (3, 3, 16, 16)
    assert torch.allclose(crops[0], image[0], atol=1e-6)
    quarters = crop_objects(image, batch, boxes, size=8, reach=1.0)  # one pixel per pixel
    assert quarters[1].min() == 1.0  # the white quarter, filling its crop
    assert quarters[2].max() == 0.0  # the black quarter opposite


def test_the_object_classifier_sits_in_the_layout_discriminator_only_when_asked():
    import dataclasses

    plain = LayoutDiscriminator(CONFIG)
    assert plain.objects is None
    with_objects = LayoutDiscriminator(dataclasses.replace(CONFIG, object_crop=8), categories=5)
    logits = with_objects.classify_objects(
        torch.randn(2, 3, 16, 16), torch.tensor([0, 1, 1]), torch.rand(3, 4) * 0.5 + 0.25
    )
    assert logits.shape == (3, 5)
    with pytest.raises(ValueError, match="multiple of 4"):
        GeneratorConfig(object_crop=6)
    with pytest.raises(ValueError, match="dcgan generator draws no object boxes"):
        GeneratorConfig(kind="dcgan", object_crop=8)


@pytest.mark.parametrize("size", [16, 64])
def test_the_latent_encoder_reads_one_normal_per_image_whatever_the_resolution(size):
    import dataclasses

    config = dataclasses.replace(CONFIG, latent_encoder=4, image_size=size)
    encoder = LatentEncoder(config)
    images = torch.randn(3, 3, size, size)
    mean, log_variance = encoder(images)
    assert mean.shape == log_variance.shape == (3, config.z_dim)
    # Each image's reading is its own (a batch reads as its images one by one).
    single = encoder(images[1:2])[0]
    torch.testing.assert_close(single, mean[1:2], rtol=1e-5, atol=1e-6)
    assert not torch.allclose(mean[0], mean[1])
    huge = encoder(images * 1e6)[1]
    assert bool((huge <= 4.0).all() and (huge >= -10.0).all())  # exp() stays finite
    with pytest.raises(ValueError, match="latent_encoder"):
        GeneratorConfig(latent_encoder=-1)
