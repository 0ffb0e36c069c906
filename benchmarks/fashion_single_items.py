"""Single Fashion-MNIST items: the seed's DCGAN (one-hot class) against kg2img, side by side.

Both train on the same data — one large white item per image, its class name as the
caption (``fashion:single``, training items only) — for the same wall-clock budget on this
machine, then each generates ``--per-class`` items of every class. Scores:

* judge accuracy: the FashionScenes judge's classifier on the generated items;
* Fréchet distance on the classifier's 256-d features against real test items (the floor:
  real training items against real test items);
* CAS: a fresh classifier of the judge's architecture trained only on generated items
  (as many as the training set holds, by default), tested on the 10,000 real test items
  (beside it: the same classifier trained on as many real training items, and on those
  items drawn as single-item scenes and detected as the generated ones are);
* diversity: mean pixel distance between two items generated for one class (real items
  of one class for reference).

kg2img runs the shipped FashionScenes config (the ``fashion`` preset) with the pixel terms
scored on an image drawn from the noise a latent encoder reads off the real image, the
adversarial term weighed up and the discriminator's object classifier
(``KG2IMG_SETTINGS``): on scenes the paired pixel loss is what makes small items
recognisable, but on single items every caption names a whole class, and with random
noise the pixel terms regress to the class mean.

    python benchmarks/fashion_single_items.py [--budget 600] [--out FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
import torch
from _common import emit
from torch_geometric.data import Batch
from train_throughput import OneHotModel

from fashion_scenes import spec
from fashion_scenes.judge import ItemClassifier, detect, load_classifier
from fashion_scenes.judge_training import accuracy, frames
from fashion_scenes.mnist import Items, default_source, read_items
from fashion_scenes.scene import Item, render
from kg2img.images import frechet_distance
from kg_extract import ExtractConfig, Extractor
from pipeline.config import resolve
from pipeline.generate import decode_images
from pipeline.loss import LossWeights
from pipeline.model import KG2ImgModel
from pipeline.train import Trainer, build_training_data

#: What this benchmark changes in the ``fashion`` preset (the shipped FashionScenes model's
#: config) for single items; every run so far has also kept ``quick``'s fresh-concept rate.
KG2IMG_SETTINGS = (
    "generator.latent_encoder=16", "loss.latent_kl=0.05", "loss.adversarial=0.3",
    "loss.pixel_squared=5", "fresh_concept_rate=0.5", "generator.object_crop=16",
    "loss.object_class=0.3",
)  # fmt: skip


def train_for(trainer: Trainer, seconds: float) -> int:
    """Train until the budget is spent; returns the steps taken."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        trainer.train_step()
    return trainer.step


def ema_copy(trainer: Trainer, model: KG2ImgModel) -> KG2ImgModel:
    state = model.state_dict()
    state.update({k: v.cpu() for k, v in trainer.ema.items()})
    model.load_state_dict(state)
    return model.eval()


def generate(model: KG2ImgModel, examples: list, per_class: int, seed: int) -> np.ndarray:
    """``(10 · per_class, 64, 64, 3)`` uint8 items, class-major."""
    torch.manual_seed(seed)
    images = []
    with torch.no_grad():
        for example in examples:
            batch = Batch.from_data_list([example] * per_class)
            z = torch.randn(per_class, model.config.generator.z_dim)
            fake = model.generate(z, model.encode(batch), batch.y_box)
            images += decode_images(fake, model.config.output)
    return np.stack(images)


def item_frames(images: np.ndarray, classifier: ItemClassifier) -> np.ndarray:
    """The judge's framing of the largest item found in each image (blank if none)."""
    out = np.zeros((len(images), 28, 28), dtype=np.float32)
    for k, image in enumerate(images):
        found = detect(image, classifier)
        if found:
            out[k] = found[0].frame
    return out


def features(classifier: ItemClassifier, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return classifier.features(torch.from_numpy(x)[:, None]).numpy()


def train_cas(x: np.ndarray, y: np.ndarray, epochs: int, seed: int) -> ItemClassifier:
    torch.manual_seed(seed)
    model = ItemClassifier()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        model.train()
        for idx in np.array_split(rng.permutation(len(x)), max(1, len(x) // 128)):
            loss = torch.nn.functional.cross_entropy(
                model(torch.from_numpy(x[idx])[:, None]), torch.from_numpy(y[idx])
            )
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return model.eval()


def diversity(images: np.ndarray, per_class: int) -> float:
    x = images.astype(np.float32) / 255.0
    pairs = [
        np.abs(x[c * per_class + i] - x[c * per_class + i + 1]).mean()
        for c in range(len(x) // per_class)
        for i in range(0, per_class - 1, 2)
    ]
    return round(float(np.mean(pairs)), 5)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", type=float, default=600.0, help="Seconds of training each.")
    parser.add_argument("--scenes", type=int, default=6000)
    parser.add_argument("--per-class", type=int, default=600, help="Generated items per class.")
    parser.add_argument("--cas-epochs", type=int, default=10)
    parser.add_argument(
        "--set", action="append", default=[], help="More kg2img overrides (key=value)."
    )
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    extractor = Extractor(ExtractConfig())
    settings = [
        "data=fashion:single", f"train_scenes={args.scenes}", "device=cpu", *KG2IMG_SETTINGS,
        *args.set,
    ]  # fmt: skip
    base = resolve("fashion", None, settings)
    data = build_training_data(base, extractor, lambda m: None)
    ours = Trainer(base, data, torch.device("cpu"))
    # The seed's DCGAN: a one-hot class in, adversarial loss only, DCGAN's Adam rates.
    dcgan_model_config = dataclasses.replace(
        data.model,
        generator=dataclasses.replace(data.model.generator, kind="dcgan", z_dim=64, object_crop=0),
    )
    dcgan_config = dataclasses.replace(
        base,
        lr_g=2e-4,
        lr_d=2e-4,
        loss=LossWeights(pixel=0.0, pixel_squared=0.0, adversarial=1.0, box=0.0, attributes=0.0),
    )
    dcgan_data = dataclasses.replace(data, model=dcgan_model_config)
    torch.manual_seed(base.seed)
    dcgan = Trainer(
        dcgan_config, dcgan_data, torch.device("cpu"), model=OneHotModel(dcgan_model_config)
    )
    steps = {"kg2img": train_for(ours, args.budget), "dcgan_one_hot": train_for(dcgan, args.budget)}
    models = {
        "kg2img": ema_copy(ours, KG2ImgModel(data.model)),
        "dcgan_one_hot": ema_copy(dcgan, OneHotModel(dcgan_model_config)),
    }
    label_head = [name for name, _ in data.model.data.heads].index("category")
    categories = data.model.data.heads[label_head][1]
    examples = []
    for name in spec.CLASS_NAMES:
        example = next(
            d for d in data.data if int(d.y_heads[0, label_head]) == categories.index(name)
        )
        examples.append(example)
    labels = np.repeat(np.arange(10), args.per_class)
    judge_classifier = load_classifier()
    test = read_items(default_source(), "test")
    train = read_items(default_source(), "train")
    test_x = frames(test, 0.0, 0)
    rng = np.random.default_rng(0)
    pick_train = rng.choice(len(train), 10 * args.per_class, replace=False)
    pick_test = rng.choice(len(test), 10 * args.per_class, replace=False)
    real_train_x = frames(Items(train.images[pick_train], train.labels[pick_train]), 0.0, 0)
    real_test_feat = features(judge_classifier, test_x[pick_test])
    results = {}
    for name, model in models.items():
        images = generate(model, examples, args.per_class, seed=1)
        x = item_frames(images, judge_classifier)
        cas = train_cas(x, labels, args.cas_epochs, seed=0)
        results[name] = {
            "training_steps": steps[name],
            "judge_accuracy": round(accuracy(judge_classifier, x, labels), 4),
            "frechet_distance": round(
                frechet_distance(features(judge_classifier, x), real_test_feat), 3
            ),
            "cas_real_test_accuracy": round(accuracy(cas, test_x, test.labels), 4),
            "diversity": diversity(images, args.per_class),
        }
        print(name, results[name])
    real_cas = train_cas(real_train_x, train.labels[pick_train], args.cas_epochs, seed=0)
    # Real items drawn as the single-item scenes are (large, white, centred), 64 px.
    corner = (spec.CANVAS_SIZE - spec.SIZE_PIXELS["large"]) // 2
    real_labels = train.labels[pick_train]
    real_canvases = np.stack(
        [
            render(
                (Item(int(real_labels[k]), int(i), "white", "large", corner, corner, ""),),
                train.images,
            )
            for k, i in enumerate(pick_train)
        ]
    )
    order = np.argsort(real_labels, kind="stable")
    # The same real items through the generated items' path (drawn, detected, framed), to
    # tell what that path costs CAS from what the generator does.
    drawn_cas = train_cas(
        item_frames(real_canvases, judge_classifier), real_labels, args.cas_epochs, seed=0
    )
    reference = {
        "frechet_real_train_vs_real_test": round(
            frechet_distance(features(judge_classifier, real_train_x), real_test_feat), 3
        ),
        "cas_trained_on_real_items": round(accuracy(real_cas, test_x, test.labels), 4),
        "cas_trained_on_real_items_drawn_and_detected": round(
            accuracy(drawn_cas, test_x, test.labels), 4
        ),
        "judge_accuracy_on_real_test": round(accuracy(judge_classifier, test_x, test.labels), 4),
        "diversity_real_same_class": diversity(real_canvases[order], args.per_class),
    }  # fmt: skip
    emit("fashion_single_items", {
        "budget_seconds_each": args.budget,
        "objectives": {
            "kg2img": "the shipped FashionScenes config's networks; L1 + squared pixel loss on "
            "the image drawn from the latent encoder's reading of the real one (KL to the "
            "prior), adversarial and object-classifier terms on prior noise, box and "
            "attribute terms; graph-conditioned (GNN)",
            "dcgan_one_hot": "DCGAN generator on z ⊕ one-hot class, projection discriminator, "
            "hinge adversarial loss only, Adam 2e-4",
        }, "kg2img_settings": settings, "cas_epochs": args.cas_epochs,
        "train_scenes": args.scenes,
        "items_per_class": args.per_class, "models": results, "reference": reference,
        "fid_ratio_kg2img_to_dcgan": round(
            results["kg2img"]["frechet_distance"] / results["dcgan_one_hot"]["frechet_distance"], 3
        ),
    }, args.out)  # fmt: skip


if __name__ == "__main__":
    main()
