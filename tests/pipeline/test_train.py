import dataclasses
import json
import math

import pytest
import torch
from safetensors.torch import load_file
from torch_geometric.data import Batch

from kg_extract import ExtractConfig, Extractor
from pipeline.checkpoint import latest_checkpoint
from pipeline.config import PRESETS, TrainConfig, resolve
from pipeline.model import CheckpointError, KG2ImgModel
from pipeline.train import (
    Trainer,
    TrainingDiverged,
    TrainingSet,
    build_training_data,
    run_training,
)

TINY = PRESETS["tiny"]


@pytest.fixture(scope="module")
def tiny_data():
    return build_training_data(TINY, Extractor(ExtractConfig()), lambda m: None)


def _with_generator(tiny_data, **changes) -> tuple[TrainConfig, TrainingSet]:
    """The tiny config and its training data with the generator settings changed."""
    generator = dataclasses.replace(TINY.model.generator, **changes)
    config = dataclasses.replace(TINY, model=dataclasses.replace(TINY.model, generator=generator))
    data = dataclasses.replace(
        tiny_data, model=dataclasses.replace(tiny_data.model, generator=generator)
    )
    return config, data


def test_training_pool_targets_match_objects(tiny_data):
    heads = len(tiny_data.model.data.heads)
    assert heads == 3  # ShapesWorld: category (shape), colour, size
    for data in tiny_data.data:
        n = len(data.object_index)
        assert data.y_heads.shape == (n, heads) and data.y_box.shape == (n, 4)
        assert (data.y_heads >= 0).all()  # ShapesWorld annotates every attribute
        assert data.image.shape == (1, 3, 16, 16)


def test_model_config_is_completed_from_the_data(tiny_data):
    model = tiny_data.model
    assert model.data.categories == ("circle", "square", "triangle")
    assert set(model.encoder.label_words) == set(model.data.words())
    assert {"colour", "shape", "type", "other"} <= set(model.encoder.relations)
    assert 0.2 < model.placement.centre_min < model.placement.centre_max < 0.8
    assert model.output.size == 64 and len(model.output.palette) == 8  # ShapesWorld's defaults
    assert model.encoder.concept_label_dropout == 1.0  # its concepts come from definitions


def test_one_training_step_changes_gnn_weights(tiny_data):
    trainer = Trainer(TINY, tiny_data, torch.device("cpu"))
    before = {k: v.clone() for k, v in trainer.model.encoder.state_dict().items()}
    trainer.train_step()
    after = trainer.model.encoder.state_dict()
    changed = [k for k in before if not torch.equal(before[k], after[k])]
    assert any(k.startswith("convs.") for k in changed)
    assert "label_embedding.weight" in changed


@pytest.mark.parametrize("preset", ["tiny", "fashion-layout", "object-classifier"])
def test_a_step_under_bf16_autocast_trains_and_keeps_fp32_weights(tiny_data, preset):
    # CUDA training uses bf16 autocast; CPU autocast runs the same mixed-dtype code paths
    # (the layout map once added fp32 boxes into a bf16 canvas and failed on the GPU).
    config = dataclasses.replace(TINY, precision="bf16")
    training = tiny_data
    if preset == "fashion-layout":  # Fourier bands and pixel layers, as FashionScenes trains
        _, training = _with_generator(tiny_data, fourier_bands=2, pixel_layers=2)
    if preset == "object-classifier":  # crops cut and classified under autocast
        _, training = _with_generator(tiny_data, object_crop=8)
    trainer = Trainer(config, training, torch.device("cpu"))
    assert trainer.autocast
    before = {k: v.clone() for k, v in trainer.model.encoder.state_dict().items()}
    losses = trainer.train_step()
    assert all(math.isfinite(v) for v in losses.values())
    assert ("object_class_ce" in losses) == (preset == "object-classifier")
    after = trainer.model.encoder.state_dict()
    assert any(k.startswith("convs.") and not torch.equal(before[k], after[k]) for k in before)
    assert all(p.dtype == torch.float32 for p in trainer.model.parameters())
    assert not Trainer(TINY, tiny_data, torch.device("cpu")).autocast  # auto: fp32 on CPU


@pytest.mark.parametrize(("steps_before", "decay"), [(1000, 0.9), (0, 0.1), (5, 0.4)])
def test_the_ema_moves_each_weight_by_one_minus_decay_towards_the_trained_one(
    tiny_data, steps_before, decay
):
    """The configured decay (0.9), after a warm-up where the average decays faster,
    ``(1 + k) / (10 + k)`` after ``k`` steps, so it lets go of the initial weights."""
    trainer = Trainer(dataclasses.replace(TINY, ema_decay=0.9), tiny_data, torch.device("cpu"))
    trainer.step = steps_before
    before = {k: v.clone() for k, v in trainer.ema.items()}
    trainer.train_step()
    state = trainer.model.inference_state()
    moved = 0
    for name, value in state.items():
        if value.dtype.is_floating_point:
            expected = decay * before[name] + (1 - decay) * value
            torch.testing.assert_close(trainer.ema[name], expected)
            moved += not torch.equal(trainer.ema[name], before[name])
        else:
            assert torch.equal(trainer.ema[name], value)
    assert moved > 0
    assert not any(k.startswith("discriminator.") for k in trainer.ema)  # generation only


def test_gradients_reach_every_trained_module(tiny_data):
    trainer = Trainer(TINY, tiny_data, torch.device("cpu"))
    batch = Batch.from_data_list(tiny_data.data[:4])
    trainer.loss.accumulate_gradients("G", batch, torch.randn(4, TINY.model.generator.z_dim))
    for name in ("encoder", "boxes", "attributes", "generator"):
        grads = [p.grad for p in getattr(trainer.model, name).parameters()]
        assert any(g is not None and g.abs().sum() > 0 for g in grads), name


def test_save_load_gives_identical_outputs(tiny_data, tmp_path):
    torch.manual_seed(0)
    model = KG2ImgModel(tiny_data.model).eval()
    model.save(tmp_path)
    loaded = KG2ImgModel.load(tmp_path).eval()
    batch = Batch.from_data_list(tiny_data.data[:3])
    z = torch.randn(3, TINY.model.generator.z_dim)
    with torch.no_grad():
        a = model.generate(z, model.encode(batch), batch.y_box)
        b = loaded.generate(z, loaded.encode(batch), batch.y_box)
    assert torch.equal(a, b)


@pytest.mark.parametrize("noise_candidates", [1, 3])
def test_resume_continues_bit_for_bit(tmp_path, noise_candidates):
    # With several noise candidates the objective draws noise of its own: from the
    # trainer's seeded generator, which the checkpoint holds.
    config = dataclasses.replace(
        TINY, loss=dataclasses.replace(TINY.loss, noise_candidates=noise_candidates)
    )
    straight = run_training(config, tmp_path / "a", log=lambda m: None)
    half = dataclasses.replace(config, steps=2)
    run_training(half, tmp_path / "b", log=lambda m: None)
    resumed = run_training(config, tmp_path / "b", resume=True, log=lambda m: None)
    a, b = (
        load_file(str(straight / "model.safetensors")),
        load_file(str(resumed / "model.safetensors")),
    )
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_nan_loss_stops_training_and_keeps_last_good_checkpoint(tmp_path, monkeypatch):
    config = dataclasses.replace(TINY, steps=4, checkpoint_every=1)
    calls = {"n": 0}
    original = Trainer.train_step

    def flaky(self):
        calls["n"] += 1
        losses = original(self)
        if calls["n"] == 3:
            raise TrainingDiverged("step 3: non-finite loss g_total")
        return losses

    monkeypatch.setattr(Trainer, "train_step", flaky)
    with pytest.raises(TrainingDiverged, match="step 3"):
        run_training(config, tmp_path, log=lambda m: None)
    assert latest_checkpoint(tmp_path).name == "step-0000002"


def test_trainer_detects_non_finite_loss(tiny_data):
    trainer = Trainer(TINY, tiny_data, torch.device("cpu"))
    with torch.no_grad():
        trainer.model.generator.to_rgb.bias.fill_(float("nan"))
    with pytest.raises(TrainingDiverged, match="step 1"):
        trainer.train_step()


def _edit_config(folder, change, version=None):
    record = json.loads((folder / "model.json").read_text())
    change(record["config"])
    if version is not None:
        record["format"] = version
    (folder / "model.json").write_text(json.dumps(record))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: (d / "model.safetensors").write_bytes(
                (d / "model.safetensors").read_bytes()[:100]
            ),
            "corrupt",
        ),
        (lambda d: (d / "model.safetensors").write_bytes(b"\x00" * 64), "corrupt"),
        (lambda d: (d / "model.json").write_text("{"), "invalid JSON"),
        (lambda d: _edit_config(d, lambda c: c["encoder"].update(hidden=32)), "do not match"),
        (lambda d: _edit_config(d, lambda c: c["data"].update(categories=["b", "a"])), "sorted"),
        # A folder written before format versions: the config at the top level.
        (
            lambda d: (d / "model.json").write_text(
                json.dumps(json.loads((d / "model.json").read_text())["config"])
            ),
            "model format 'kg2img-model/1",
        ),
        (
            lambda d: _edit_config(d, lambda c: None, "kg2img-model/9"),
            "model format 'kg2img-model/9",
        ),
        (lambda d: (d / "model.json").unlink(), "not a model folder"),
    ],
)
def test_bad_checkpoints_give_clear_errors(tmp_path, damage, message):
    KG2ImgModel(TINY.model).save(tmp_path)
    damage(tmp_path)
    with pytest.raises(CheckpointError, match=message):
        KG2ImgModel.load(tmp_path)


def test_settings_a_config_makes_win_over_what_the_data_says():
    from generator.placement import PlacementConfig
    from pipeline.model import OutputConfig
    from pipeline.train import complete_model_config
    from pipeline.vocabulary import DataVocabulary

    requested = resolve("tiny", None, ["placement.gap=0.05", "output.size=128"]).model
    measured = PlacementConfig(centre_min=0.2, centre_max=0.8, gap=-0.1, relation_margin=0.1)
    defaults = {"output": {"size": 64, "palette": [[255, 0, 0]]}}
    done = complete_model_config(requested, DataVocabulary(), ("other",), measured, defaults)
    assert done.placement == PlacementConfig(0.2, 0.8, gap=0.05, relation_margin=0.1)
    assert done.output == OutputConfig(size=128, palette=((255, 0, 0),))


def test_training_graphs_are_walked_as_the_finished_model_walks_them(monkeypatch):
    """The data set's knowledge walk (two hops, is-a closure) builds the training graphs,
    not only the model's record of them: a model must see in training the graphs it is
    given at generation time."""
    import pipeline.train as train

    real_load, real_graphs = train.load_dataset, train.conditioning_graphs
    walked = []

    def load(source, options):
        dataset = real_load(source, options)
        return dataclasses.replace(dataset, model_defaults={"hops": 2, "is_a_closure": True})

    def graphs(dataset, extractor, knowledge, hops, *args, is_a_closure=False, **kwargs):
        walked.append((hops, is_a_closure))
        return real_graphs(dataset, extractor, knowledge, hops, *args, is_a_closure=is_a_closure,
                           **kwargs)  # fmt: skip

    monkeypatch.setattr(train, "load_dataset", load)
    monkeypatch.setattr(train, "conditioning_graphs", graphs)
    pool = build_training_data(TINY, Extractor(ExtractConfig()), lambda m: None)
    assert walked == [(2, True)]
    assert (pool.model.hops, pool.model.is_a_closure) == (2, True)
    # a config that says otherwise wins, in the graphs and in the record alike
    walked.clear()
    asked = dataclasses.replace(TINY, model=dataclasses.replace(TINY.model, hops=3,
                                                                is_a_closure=False))  # fmt: skip
    pool = build_training_data(asked, Extractor(ExtractConfig()), lambda m: None)
    assert walked == [(3, False)]
    assert (pool.model.hops, pool.model.is_a_closure) == (3, False)


def test_configs_round_trip_through_json(tiny_data):
    completed = dataclasses.replace(TINY, model=tiny_data.model)
    for config in (TINY, completed):
        assert TrainConfig.from_json(json.loads(json.dumps(config.to_json()))) == config


def test_config_overrides_and_errors():
    config = resolve("tiny", None, ["encoder.hidden=24", "steps=7", "compile=false"])
    assert config.model.encoder.hidden == 24 and config.model.generator.cond_dim == 24
    assert config.steps == 7 and config.compile is False
    palette = resolve("tiny", None, ["output.palette=[[255, 0, 0], [0, 0, 255]]"])
    assert palette.model.output.palette == ((255, 0, 0), (0, 0, 255))
    with pytest.raises(ValueError, match="JSON list"):
        resolve("tiny", None, ["output.palette=red"])
    assert resolve("tiny", None, ["placement.gap=0.02"]).model.placement.gap == 0.02
    # a switch left to the data set (None) takes true/false, as the README's commands use it
    for text, value in (("true", True), ("no", False), ("null", None)):
        switched = resolve("tiny", None, [f"encoder.hide_unknown_names={text}"])
        assert switched.model.encoder.hide_unknown_names is value
    assert resolve("tiny", None, ["is_a_closure=yes"]).model.is_a_closure is True
    assert resolve("tiny", None, ["knowledge_edge_dropout=0.25"]).knowledge_edge_dropout == 0.25
    with pytest.raises(ValueError, match="knowledge_edge_dropout"):
        resolve("tiny", None, ["knowledge_edge_dropout=1.5"])
    with pytest.raises(ValueError, match="unknown setting"):
        resolve("tiny", None, ["encoder.hiden=3"])
    with pytest.raises(ValueError, match="unknown preset"):
        resolve("nope", None, [])
    with pytest.raises(ValueError):
        resolve("tiny", None, ["steps=many"])


def test_training_reads_an_annotation_folder(tmp_path):
    from shapes_world.export import export_shapes

    export_shapes(tmp_path / "data", n=12, seed=4, split="train")
    config = dataclasses.replace(TINY, data=str(tmp_path / "data"), steps=2)
    model_dir = run_training(config, tmp_path / "run", log=lambda m: None)
    assert (model_dir / "model.safetensors").is_file()
    assert (model_dir / "knowledge.txt").is_file()
    pool = build_training_data(config, Extractor(ExtractConfig()), lambda m: None)
    assert len(pool.data) == 12
    # Only the built-in world asks for a palette: a folder's model hands out raw pixels,
    # and sees concept names half the time (real categories must stay apart).
    assert pool.model.output.palette == ()
    assert pool.model.encoder.concept_label_dropout == 0.5


def test_the_coco_export_trains_on_the_same_data_as_the_world(tmp_path):
    from shapes_world.export import export_shapes

    export_shapes(tmp_path / "coco", n=12, seed=4, split="train", format="coco")
    export_shapes(tmp_path / "folder", n=12, seed=4, split="train")
    extractor = Extractor(ExtractConfig())
    coco = dataclasses.replace(
        TINY, data=f"coco:{tmp_path}/coco/instances.json,{tmp_path}/coco/captions.json"
    )
    folder = dataclasses.replace(TINY, data=str(tmp_path / "folder"))
    a = build_training_data(coco, extractor, lambda m: None)
    b = build_training_data(folder, extractor, lambda m: None)
    assert len(a.data) == len(b.data) == 12
    assert a.model.data.heads == b.model.data.heads
    for x, y in zip(a.data, b.data, strict=True):
        assert torch.equal(x.y_heads, y.y_heads)
        assert torch.allclose(x.y_box, y.y_box, atol=1e-3)  # pixels in COCO, rounded
        assert torch.equal(x.image, y.image)


def test_annotation_folder_bad_record_names_file_and_line(tmp_path):
    from pipeline.annotations import read_annotation_folder

    (tmp_path / "annotations.jsonl").write_text(
        '{"id": "a", "caption": "x", "objects": [{"category": "dog", "box": [0.5, 0, 0.2, 1]}]}\n'
    )
    with pytest.raises(ValueError, match=r"annotations\.jsonl:1: box .*x0 < x1"):
        read_annotation_folder(tmp_path)


def test_image_tensor_pads_non_square_images_to_square_keeping_aspect():
    import numpy as np

    from pipeline.data import image_tensor

    wide = np.zeros((20, 40, 3), dtype=np.uint8)
    wide[:, :, 0] = 255  # a red 2:1 photo
    t = image_tensor(wide, 16)
    assert t.shape == (3, 16, 16)
    red_rows = (t[0] > 0.9).all(dim=1)
    assert red_rows.sum() == 8  # the photo keeps its 2:1 shape: half the height, centred
    assert red_rows[4:12].all() and not red_rows[:4].any() and not red_rows[12:].any()
    tall = image_tensor(np.full((40, 10, 3), 255, dtype=np.uint8), 8)
    assert (
        tall.shape == (3, 8, 8) and (tall[:, :, 3:5] > 0.9).all() and (tall[:, :, :1] < -0.9).all()
    )
    small = image_tensor(np.full((4, 4, 3), 255, dtype=np.uint8), 16)
    assert small.shape == (3, 16, 16) and torch.allclose(small, torch.ones(3, 16, 16))
    assert torch.stack([t, image_tensor(np.zeros((16, 16, 3), dtype=np.uint8), 16)]).shape == (
        2,
        3,
        16,
        16,
    )


@pytest.mark.slow
def test_compiled_generator_trains_keeps_its_class_and_state_keys(tmp_path):
    from generator.networks import LayoutGenerator

    config = dataclasses.replace(TINY, compile=True, steps=2)
    run_training(config, tmp_path, log=lambda m: None)  # the EMA update raised KeyError
    model = KG2ImgModel.load(tmp_path / "model")
    assert not any("_orig_mod" in key for key in model.state_dict())
    assert isinstance(model.generator, LayoutGenerator)
    model_config = KG2ImgModel.load(tmp_path / "model").config
    trainer = Trainer(config, TrainingSet([], model_config, []), torch.device("cpu"))
    assert isinstance(trainer.model.generator, LayoutGenerator)
    assert trainer.model.uses_layout  # generation dispatches on the configured kind


def test_saved_models_keep_their_label_words_when_the_lexicon_changes(tmp_path, monkeypatch):
    import kg_embed.convert as convert
    from kg_embed import EncoderConfig
    from pipeline.generate import SHIPPED_MODEL
    from pipeline.model import read_model_config

    KG2ImgModel(TINY.model).save(tmp_path)
    saved = json.loads((tmp_path / "model.json").read_text())["config"]["encoder"]["label_words"]
    assert saved == sorted(saved) and "red" in saved
    monkeypatch.setattr(convert, "lexicon_words", lambda: ("aardvark", "red"))
    assert EncoderConfig().label_words == ("aardvark", "red")  # new configs follow the lexicon
    model = KG2ImgModel.load(tmp_path)
    assert list(model.encoder.vocabulary.known) == saved  # a trained model does not
    assert model.encoder.vocabulary.id("red") == saved.index("red")
    shipped = read_model_config(SHIPPED_MODEL)
    assert shipped.encoder.label_words == shipped.data.words()  # a trained model: its data's
    with pytest.raises(ValueError, match="sorted, distinct"):
        EncoderConfig(label_words=("red", "blue"))


def test_saved_model_is_inference_only_and_pipeline_round_trips(tiny_data, tmp_path):
    from pipeline.generate import Pipeline

    run = run_training(TINY, tmp_path / "run", log=lambda m: None)
    names = load_file(str(run / "model.safetensors")).keys()
    assert names and not any(n.startswith("discriminator.") for n in names)
    checkpoint = latest_checkpoint(tmp_path / "run")
    assert any(
        n.startswith("discriminator.") for n in load_file(str(checkpoint / "model.safetensors"))
    )
    pipeline = Pipeline.load(run)
    pipeline.save(tmp_path / "copy")
    again = Pipeline.load(tmp_path / "copy")
    assert again.knowledge_texts == pipeline.knowledge_texts and pipeline.knowledge_texts
    text = "a small red circle left of a large blue square"
    a, b = pipeline.generate(text, n=2, seed=3), again.generate(text, n=2, seed=3)
    assert all((x == y).all() for x, y in zip(a.images, b.images, strict=True))
    assert torch.equal(a.boxes, b.boxes)


@pytest.mark.slow
def test_the_shipped_config_is_what_training_computes_today():
    """The shipped model's vocabularies, relation types and placement are what the code
    derives from its training data now (about a minute: extracts 6,000 captions)."""
    from pipeline.generate import SHIPPED_MODEL
    from pipeline.model import read_model_config

    record = json.loads((SHIPPED_MODEL / "training.json").read_text())
    config = dataclasses.replace(PRESETS["quick"], **{
        k: record["config"][k] for k in ("seed", "data_seed", "data", "train_scenes",
                                         "fresh_concept_rate")
    })  # fmt: skip
    computed = build_training_data(config, Extractor(ExtractConfig()), lambda m: None).model
    assert computed == read_model_config(SHIPPED_MODEL)


def test_the_squared_pixel_term_is_counted_only_when_weighted(tiny_data):
    from pipeline.loss import KG2ImgLoss, LossWeights

    trainer = Trainer(TINY, tiny_data, torch.device("cpu"))
    batch = Batch.from_data_list(tiny_data.data[:4])
    z = torch.randn(4, TINY.model.generator.z_dim)
    plain = KG2ImgLoss(trainer.model, LossWeights())
    squared = KG2ImgLoss(trainer.model, LossWeights(pixel=0.0, pixel_squared=5.0))
    total_plain, terms = plain.phase_loss("G", batch, z)
    assert terms["g_pixel_squared"] == 0.0
    total_squared, terms = squared.phase_loss("G", batch, z)
    assert terms["g_pixel_squared"] > 0.0
    expected_change = 5.0 * terms["g_pixel_squared"] - 10.0 * terms["g_pixel"]
    assert float((total_squared - total_plain).detach()) == pytest.approx(
        expected_change, rel=1e-4, abs=1e-4
    )


def test_the_fashion_preset_is_how_the_shipped_fashion_model_was_trained():
    from pipeline.generate import shipped_model_dir

    record = json.loads((shipped_model_dir("fashion") / "training.json").read_text())
    assert TrainConfig.from_json(record["config"]).to_json() == PRESETS["fashion"].to_json()


def test_noise_candidates_score_the_pixel_terms_on_the_closest_draw(tiny_data):
    from pipeline.loss import KG2ImgLoss, LossWeights

    trainer = Trainer(TINY, tiny_data, torch.device("cpu"))
    model = trainer.model
    batch = Batch.from_data_list(tiny_data.data[:6])
    z = torch.randn(6, TINY.model.generator.z_dim)
    loss = KG2ImgLoss(model, LossWeights(noise_candidates=8))
    with torch.no_grad():
        scene = model.encode(batch)
        chosen = loss._closest_noise(z, scene, batch.y_box, batch.image, 1.0)
        own = loss._pixel_distance(model.generate(z, scene, batch.y_box), batch.image, 1.0)
        best = loss._pixel_distance(model.generate(chosen, scene, batch.y_box), batch.image, 1.0)
    assert chosen.shape == z.shape
    assert bool((best <= own + 1e-6).all())
    assert bool((best < own).any()), "eight draws should beat the first for some image"
    # The G phase's pixel term is the closest draw's: never above the single-draw term.
    torch.manual_seed(0)
    _, single = KG2ImgLoss(model, LossWeights()).phase_loss("G", batch, z)
    _, closest = KG2ImgLoss(model, LossWeights(noise_candidates=8)).phase_loss("G", batch, z)
    assert closest["g_pixel"] < single["g_pixel"]
    with pytest.raises(ValueError, match="noise_candidates"):
        LossWeights(noise_candidates=0)


def _edges(data, names):
    return {
        (data.node_iris[s].rsplit("/", 1)[-1], names[r], data.node_iris[t].rsplit("/", 1)[-1])
        for (s, t), r in zip(data.edge_index.t().tolist(), data.edge_type.tolist(), strict=True)
    }


def test_knowledge_edge_dropout_leaves_out_incidental_facts_and_keeps_what_a_thing_is():
    from kg_embed import EncoderConfig, LabelVocabulary, enrich, to_pyg
    from pipeline.data import knowledge_store
    from pipeline.model import ModelConfig
    from pipeline.train import drop_knowledge_edges, droppable_relations
    from pipeline.vocabulary import DataVocabulary

    extractor = Extractor(ExtractConfig())
    knowledge = knowledge_store(extractor, ["An espadrille is a sandal with a sole."])
    (caption,) = list(extractor.extract_texts(["A red espadrille is left of a large bag."]))
    graph = enrich(extractor.fact_graph(caption), knowledge, hops=2)
    relations = ("colour", "left_of", "other", "size", "type", "with")
    model = ModelConfig(
        encoder=EncoderConfig(label_words=("bag", "red", "sandal"), relations=relations),
        data=DataVocabulary(
            categories=("bag", "sandal"),
            attributes=(("colour", ("red",)), ("size", ("large",))),
            relations=("left_of",),
        ),
    )
    labels = LabelVocabulary(("bag", "red", "sandal"), 16, relations)
    names = labels.relation_names()
    data = to_pyg(graph, labels)
    droppable = droppable_relations(model)
    assert [n for n, d in zip(names, droppable.tolist(), strict=True) if d] == [
        "other",
        "with",
        "inv:other",
        "inv:with",
    ]
    before = _edges(data, names)
    assert ("espadrille", "with", "sole") in before

    dropped = drop_knowledge_edges(data, droppable, 1.0, torch.Generator().manual_seed(0))
    kept = _edges(dropped, names)
    assert kept == {e for e in before if e[1].removeprefix("inv:") not in ("with", "other")}
    assert ("espadrille", "type", "sandal") in kept and ("0", "left_of", "1") in kept
    assert not any(iri.endswith("/sole") for iri in dropped.node_iris)  # left unconnected
    objects = [dropped.node_iris[i] for i in dropped.object_index.tolist()]
    assert objects == [data.node_iris[i] for i in data.object_index.tolist()]
    assert dropped.kind.shape[0] == dropped.label.shape[0] == dropped.num_nodes
    Batch.from_data_list([dropped, data])  # still batches with untouched graphs

    assert drop_knowledge_edges(data, droppable, 0.0, torch.Generator()) is data
    draws = [
        _edges(drop_knowledge_edges(data, droppable, 0.5, torch.Generator().manual_seed(3)), names)
        for _ in range(2)
    ]
    assert draws[0] == draws[1]  # the trainer's seeded generator decides


def test_the_object_classifier_learns_real_objects_and_weighs_on_the_generated_ones(tiny_data):
    from pipeline.loss import KG2ImgLoss, LossWeights

    config, data = _with_generator(tiny_data, object_crop=8)
    trainer = Trainer(config, data, torch.device("cpu"))
    assert trainer.model.discriminator.objects is not None
    # Training only: a saved model leaves the classifier out with the discriminator.
    assert not any("objects" in k for k in trainer.model.inference_state())
    batch = Batch.from_data_list(tiny_data.data[:6])
    z = torch.randn(6, data.model.generator.z_dim)

    torch.manual_seed(0)
    weighed = KG2ImgLoss(trainer.model, LossWeights()).phase_loss("G", batch, z)
    torch.manual_seed(0)
    unweighed = KG2ImgLoss(trainer.model, LossWeights(object_class=0.0)).phase_loss("G", batch, z)
    assert float((weighed[0] - unweighed[0]).detach()) == pytest.approx(
        weighed[1]["object_class_ce"], rel=1e-4
    )

    # The D phase fits the classifier to the real objects' categories.
    loss = KG2ImgLoss(trainer.model, LossWeights())
    classifier = trainer.model.discriminator.objects
    optimiser = torch.optim.Adam(classifier.parameters(), lr=1e-2)
    first = loss.phase_loss("D", batch, z)[1]["object_class_ce_real"]
    for _ in range(30):
        optimiser.zero_grad()
        loss.phase_loss("D", batch, z)[0].backward()
        optimiser.step()
    assert loss.phase_loss("D", batch, z)[1]["object_class_ce_real"] < 0.5 * first


def test_a_registered_discriminator_taking_only_its_config_still_builds():
    """Only a discriminator asked for an object classifier is told the categories."""
    from generator.networks import GeneratorConfig, LayoutDiscriminator, LayoutGenerator
    from kg2img.registry import generators
    from pipeline.model import ModelConfig

    generators.register("layout-config-only", (LayoutGenerator, lambda c: LayoutDiscriminator(c)))
    config = ModelConfig(generator=GeneratorConfig(kind="layout-config-only"))
    assert KG2ImgModel(config, discriminator=True).discriminator.objects is None


def test_the_latent_encoder_trains_with_the_generator_and_is_left_out_of_saved_models(
    tiny_data, tmp_path
):
    config, data = _with_generator(tiny_data, latent_encoder=8)
    trainer = Trainer(config, data, torch.device("cpu"))
    encoder = trainer.model.latent_encoder
    assert encoder is not None and KG2ImgModel(data.model).latent_encoder is None
    before = {k: v.clone() for k, v in encoder.state_dict().items()}
    losses = trainer.train_step()
    assert losses["latent_kl"] >= 0.0 and math.isfinite(losses["latent_kl"])
    assert any(not torch.equal(before[k], v) for k, v in encoder.state_dict().items())
    assert not any(k.startswith("latent_encoder.") for k in trainer.ema)
    # A run resumed from its checkpoint (which holds the encoder) continues bit for bit.
    straight = run_training(config, tmp_path / "a", log=lambda m: None)
    run_training(dataclasses.replace(config, steps=2), tmp_path / "b", log=lambda m: None)
    resumed = run_training(config, tmp_path / "b", resume=True, log=lambda m: None)
    a, b = (load_file(str(folder / "model.safetensors")) for folder in (straight, resumed))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert not any(k.startswith("latent_encoder.") for k in a)
    KG2ImgModel.load(straight)  # a saved model loads without it


def test_with_a_latent_encoder_the_pixel_terms_are_scored_on_the_image_drawn_from_its_reading(
    tiny_data,
):
    from pipeline.loss import KG2ImgLoss, LossWeights

    _, data = _with_generator(tiny_data, latent_encoder=8)
    torch.manual_seed(0)
    model = KG2ImgModel(data.model, discriminator=True)
    batch = Batch.from_data_list(tiny_data.data[:4])
    z = torch.randn(4, data.model.generator.z_dim)
    loss = KG2ImgLoss(model, LossWeights(latent_kl=0.5))
    torch.manual_seed(1)
    total, terms = loss.phase_loss("G", batch, z)
    # The reading, with the same draw of its noise: the pixel term is that image's.
    torch.manual_seed(1)
    with torch.no_grad():
        mean, log_variance = model.latent_encoder(batch.image)
        read = mean + torch.randn_like(mean) * (0.5 * log_variance).exp()
        scene = model.encode(batch)
        paired = model.generate(read, scene, batch.y_box)
        prior = model.generate(z, scene, batch.y_box)
    layout = model.layout_map(scene, batch.y_box, 4)
    weight = 1.0 + loss.weights.object_pixels * (layout[:, -3:-2] > 0).float()
    assert terms["g_pixel"] == pytest.approx(
        float(((paired - batch.image).abs() * weight).mean()), rel=1e-5
    )
    assert terms["g_pixel"] != pytest.approx(
        float(((prior - batch.image).abs() * weight).mean()), rel=1e-3
    )
    kl = 0.5 * (mean**2 + log_variance.exp() - 1 - log_variance).sum(1).mean()
    assert terms["latent_kl"] == pytest.approx(float(kl), rel=1e-5)
    torch.manual_seed(1)
    without_kl, _ = KG2ImgLoss(model, LossWeights(latent_kl=0.0)).phase_loss("G", batch, z)
    assert float((total - without_kl).detach()) == pytest.approx(0.5 * float(kl), abs=1e-5)
    # Gradients reach the encoder through the pixel and KL terms.
    total.backward()
    assert any(
        p.grad is not None and p.grad.abs().sum() > 0 for p in model.latent_encoder.parameters()
    )
    with pytest.raises(ValueError, match=r"noise_candidates and generator\.latent_encoder"):
        KG2ImgLoss(model, LossWeights(noise_candidates=4))
    # Refused when the run is configured, before its folder is made.
    with pytest.raises(ValueError, match=r"noise_candidates and generator\.latent_encoder"):
        resolve("tiny", None, ["generator.latent_encoder=8", "loss.noise_candidates=4"])
