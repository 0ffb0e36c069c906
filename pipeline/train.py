"""Training: GNN, heads, generator and discriminator together, end to end.

:class:`Trainer` yields one :class:`StepInfo` per step; :func:`run_training` is the caller
that logs metrics, writes sample grids and checkpoints, and exports the EMA model.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import platform
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch_geometric
from torch import Tensor, nn
from torch_geometric.data import Batch, Data

import kg2img
from generator.placement import PlacementConfig
from kg2img.atomic import atomic_write_bytes, atomic_write_text
from kg_embed.config import GENERIC_CONCEPT_LABEL_DROPOUT
from kg_embed.convert import LabelVocabulary
from kg_extract.extraction import ExtractConfig, Extractor
from pipeline.checkpoint import latest_checkpoint, load_checkpoint, save_checkpoint
from pipeline.config import TrainConfig
from pipeline.data import (
    conditioning_graphs,
    knowledge_store,
    placement_from,
    relation_vocabulary,
    training_data,
)
from pipeline.datasets import DataOptions, load_dataset
from pipeline.distributed import DataParallel
from pipeline.loss import KG2ImgLoss
from pipeline.model import KG2ImgModel, ModelConfig, write_knowledge
from pipeline.samples import image_grid_png
from pipeline.vocabulary import DataVocabulary


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite."""


@dataclass
class StepInfo:
    """What one step did."""

    step: int
    losses: dict[str, float]
    images_per_second: float


def pick_device(name: str) -> torch.device:
    """``auto`` → CUDA when available, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda requested but no CUDA device is available")
    return torch.device(name)


def versions() -> dict[str, str]:
    """Versions recorded beside every run."""
    return {
        "kg2img": kg2img.__version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_geometric": torch_geometric.__version__,
        "platform": platform.platform(),
    }


@dataclass
class TrainingSet:
    """The training tensors and the model config completed from the data.

    Attributes:
        data: One ``Data`` per usable image (see :func:`pipeline.data.training_data`).
        model: The run's model config with the data's vocabularies, relation names,
            placement constraints and output settings filled in.
        knowledge: The data set's knowledge texts (saved with the model).
    """

    data: list[Data]
    model: ModelConfig
    knowledge: list[str]


def complete_model_config(
    requested: ModelConfig,
    vocabulary: DataVocabulary,
    relations: tuple[str, ...],
    placement: PlacementConfig,
    defaults: Mapping[str, Any],
) -> ModelConfig:
    """The requested network settings plus what the data decides.

    Vocabularies and relation names always come from the data; concept-name dropout,
    whether unknown names are hidden and the knowledge radius (``hops``) from the data
    set's defaults unless the config sets them. Each placement setting is
    measured on the data, and each output setting is the data set's default, unless the
    config sets it (``--set placement.gap=0.02``, ``--set output.size=128``).
    """
    dropout = requested.encoder.concept_label_dropout
    if dropout is None:
        dropout = defaults.get("encoder", {}).get(
            "concept_label_dropout", GENERIC_CONCEPT_LABEL_DROPOUT
        )
    hide_unknown = requested.encoder.hide_unknown_names
    if hide_unknown is None:  # left None (names used) unless the data set asks
        hide_unknown = defaults.get("encoder", {}).get("hide_unknown_names")
    encoder = dataclasses.replace(
        requested.encoder,
        label_words=vocabulary.words(),
        relations=relations,
        concept_label_dropout=dropout,
        hide_unknown_names=hide_unknown,
    )
    placement = _unless_set(
        requested.placement, {**dataclasses.asdict(placement), **defaults.get("placement", {})}
    )
    output = _unless_set(requested.output, defaults.get("output", {}))
    hops, is_a_closure = knowledge_walk(requested, defaults)
    return dataclasses.replace(
        requested,
        encoder=encoder,
        data=vocabulary,
        placement=placement,
        output=output,
        hops=hops,
        is_a_closure=is_a_closure,
    )


def knowledge_walk(requested: ModelConfig, defaults: Mapping[str, Any]) -> tuple[int, bool | None]:
    """The knowledge radius and is-a reading: the config's, else the data set's defaults.

    The reading stays ``None`` (no closure) when neither says, as models saved before
    it existed record it.
    """
    hops = requested.hops
    if hops == ModelConfig().hops:
        hops = int(defaults.get("hops", hops))
    is_a_closure = requested.is_a_closure
    if is_a_closure is None and "is_a_closure" in defaults:
        is_a_closure = bool(defaults["is_a_closure"])
    return hops, is_a_closure


def _unless_set(requested: Any, found: Mapping[str, Any]) -> Any:
    """``found``'s values for the fields ``requested`` leaves at their defaults."""
    default = type(requested)()
    changed = {
        f.name: getattr(requested, f.name)
        for f in dataclasses.fields(requested)
        if getattr(requested, f.name) != getattr(default, f.name)
    }
    return type(requested)(**{**dataclasses.asdict(default), **found, **changed})


def build_training_data(
    config: TrainConfig, extractor: Extractor, log: Callable[[str], None]
) -> TrainingSet:
    """Read the data set, extract and enrich its graphs, and complete the model config."""
    options = DataOptions(
        images=config.images,
        seed=config.data_seed,
        n=config.train_scenes,
        fresh_concept_rate=config.fresh_concept_rate,
    )
    dataset = load_dataset(config.data, options)
    knowledge_texts = [*dataset.knowledge, *(r.knowledge for r in dataset.images if r.knowledge)]
    knowledge = knowledge_store(extractor, knowledge_texts) if knowledge_texts else None
    started = time.perf_counter()
    # The graphs are walked as the finished model will walk them at generation time.
    hops, is_a_closure = knowledge_walk(config.model, dataset.model_defaults)
    items, warnings = conditioning_graphs(
        dataset, extractor, knowledge, hops, config.graph_source, is_a_closure=bool(is_a_closure)
    )
    for warning in warnings[:10]:
        log(f"warning: {warning}")
    if not items:
        raise RuntimeError("no usable training scenes")
    vocabulary = DataVocabulary.from_images(item.record for item in items)
    model = complete_model_config(
        config.model,
        vocabulary,
        relation_vocabulary(item.graph for item in items),
        placement_from(items),
        dataset.model_defaults,
    )
    assert model.encoder.label_words is not None and model.encoder.relations is not None
    labels = LabelVocabulary(
        model.encoder.label_words, model.encoder.label_buckets, model.encoder.relations
    )
    data = training_data(items, dataset, model.generator.image_size, labels, vocabulary)
    from_captions = sum(item.from_caption for item in items)
    log(
        f"training pool: {len(data)} scenes ({from_captions} graphs from captions, "
        f"{len(data) - from_captions} from annotations; {len(warnings)} left out) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    # The data set's own knowledge goes with the model; per-image texts (ShapesWorld's
    # invented concepts) are training augmentation only.
    return TrainingSet(data, model, list(dataset.knowledge))


#: Relations that say what a concept is: never left out by ``knowledge_edge_dropout``.
_IS_A_RELATIONS = frozenset({"type", "subclass_of"})


def droppable_relations(model: ModelConfig) -> Tensor:
    """``(edge types,)`` bool: which edge types ``knowledge_edge_dropout`` may leave out.

    Every relation but is-a and what the data annotates (its attribute names and spatial
    relations, which the image must show), with its inverse.
    """
    assert model.encoder.relations is not None and model.encoder.label_words is not None
    names = LabelVocabulary(
        model.encoder.label_words, model.encoder.label_buckets, model.encoder.relations
    ).relation_names()
    kept = _IS_A_RELATIONS | {n for n, _ in model.data.attributes} | set(model.data.relations)
    return torch.tensor([n.removeprefix("inv:") not in kept for n in names], dtype=torch.bool)


def drop_knowledge_edges(data: Data, droppable: Tensor, p: float, rng: torch.Generator) -> Data:
    """A copy of a training graph with each droppable edge left out with chance ``p``.

    An edge and its inverse (stored side by side by :func:`kg_embed.to_pyg`) go together;
    a node left with no edge goes too, unless it is a scene object, so the graph reads as
    one whose knowledge never stated the fact.
    """
    forward_types = data.edge_type[0::2]
    chance = torch.rand(forward_types.shape[0], generator=rng)
    keep = (~droppable[forward_types] | (chance >= p)).repeat_interleave(2)
    if bool(keep.all()):
        return data
    edge_index = data.edge_index[:, keep]
    used = torch.zeros(int(data.num_nodes), dtype=torch.bool)
    used[edge_index.flatten()] = True
    used[data.object_index] = True
    new_id = torch.cumsum(used, 0) - 1
    dropped = data.clone()
    dropped.kind, dropped.label = data.kind[used], data.label[used]
    dropped.edge_index = new_id[edge_index]
    dropped.edge_type = data.edge_type[keep]
    dropped.object_index = new_id[data.object_index]
    dropped.node_iris = [iri for iri, u in zip(data.node_iris, used.tolist(), strict=True) if u]
    dropped.num_nodes = int(used.sum())
    return dropped


class _Phase(nn.Module):
    """One loss phase as a module, so ``DistributedDataParallel`` can wrap it.

    Only ``trainable`` (the modules this phase updates) is registered: those are the
    parameters whose gradients get averaged across processes.
    """

    def __init__(self, loss: KG2ImgLoss, phase: str, trainable: nn.Module) -> None:
        super().__init__()
        self.trainable = trainable
        self.run = functools.partial(loss.phase_loss, phase)

    def forward(self, batch: Batch, z: Tensor) -> tuple[Tensor, dict[str, float]]:
        """The phase's loss and its terms."""
        return self.run(batch, z)


class Trainer:
    """Owns the model, optimizers, EMA and RNG; :meth:`steps` runs the loop."""

    def __init__(
        self,
        config: TrainConfig,
        training: TrainingSet,
        device: torch.device,
        parallel: DataParallel | None = None,
        model: KG2ImgModel | None = None,
    ) -> None:
        """Set up a run (``model``: a prepared model with a discriminator, for comparisons)."""
        self.config = config
        self.model_config = training.model
        self.dataset = training.data
        self.device = device
        self.parallel = parallel or DataParallel()
        torch.manual_seed(config.seed)
        built = model if model is not None else KG2ImgModel(self.model_config, discriminator=True)
        self.model = built.to(device)
        assert self.model.discriminator is not None
        # Each rank draws its own batches; with one process this is just the seed.
        self.rng = torch.Generator().manual_seed(config.seed + 1_000_003 * self.parallel.rank)
        self.loss = KG2ImgLoss(self.model, config.loss, generator=self.rng)
        generation = nn.ModuleDict(
            {k: m for k, m in self.model.named_children() if k != "discriminator"}
        )
        # Wrapping copies rank 0's weights to every rank.
        self._phases = {
            "G": self.parallel.wrap(_Phase(self.loss, "G", generation)),
            "D": self.parallel.wrap(_Phase(self.loss, "D", self.model.discriminator)),
        }
        betas = (config.beta1, 0.999)
        self.optimizers = {
            "g": torch.optim.Adam(generation.parameters(), lr=config.lr_g, betas=betas),
            "d": torch.optim.Adam(
                self.model.discriminator.parameters(), lr=config.lr_d, betas=betas
            ),
        }
        self.ema = {k: v.detach().clone() for k, v in self.model.inference_state().items()}
        self._droppable = droppable_relations(self.model_config)
        self.step = 0
        self.autocast = config.precision == "bf16" or (
            config.precision == "auto" and device.type == "cuda"
        )
        if config.compile:
            # In place: the module keeps its class and its state-dict keys (EMA,
            # checkpoints), unlike torch.compile(module), which wraps it.
            self.model.generator.compile()

    def resume(self, folder: Path) -> None:
        """Continue from a checkpoint folder."""
        step, ema, _ = load_checkpoint(folder, self.model, self.optimizers, self.rng)
        self.step = step
        self.ema = {k: v.to(self.device) for k, v in ema.items()}

    def _batch(self) -> tuple[Batch, Tensor]:
        indices = torch.randint(len(self.dataset), (self.config.batch_size,), generator=self.rng)
        graphs = [self.dataset[i] for i in indices.tolist()]
        if self.config.knowledge_edge_dropout > 0:
            graphs = [
                drop_knowledge_edges(
                    g, self._droppable, self.config.knowledge_edge_dropout, self.rng
                )
                for g in graphs
            ]
        batch = Batch.from_data_list(graphs).to(self.device)
        z = torch.randn(
            self.config.batch_size, self.model_config.generator.z_dim, generator=self.rng
        )
        return batch, z.to(self.device)

    def _update_ema(self) -> None:
        state = self.model.inference_state()
        floats = [name for name, value in state.items() if value.dtype.is_floating_point]
        decay = min(self.config.ema_decay, (1 + self.step) / (10 + self.step))
        with torch.no_grad():
            # One fused update for every tensor (ema += (1 - decay)(value - ema)): a loop
            # costs two kernel launches per tensor on a GPU.
            torch._foreach_lerp_(
                [self.ema[name] for name in floats],
                [state[name].detach() for name in floats],
                1 - decay,
            )
            for name, value in state.items():
                if not value.dtype.is_floating_point:
                    self.ema[name].copy_(value)

    def train_step(self) -> dict[str, float]:
        """One D step and one G step on a fresh batch."""
        batch, z = self._batch()
        losses: dict[str, float] = {}
        self.model.train()
        discriminator = self.model.discriminator
        assert discriminator is not None
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.autocast):
            self.optimizers["d"].zero_grad(set_to_none=True)
            total, terms = self._phases["D"](batch, z)
            total.backward()
            losses.update(terms)
            self.optimizers["d"].step()
            self.optimizers["g"].zero_grad(set_to_none=True)
            # The discriminator is not trained in the G phase.
            discriminator.requires_grad_(False)
            total, terms = self._phases["G"](batch, z)
            total.backward()
            discriminator.requires_grad_(True)
            losses.update(terms)
            self.optimizers["g"].step()
        bad = [k for k, v in losses.items() if not math.isfinite(v)]
        if bad:
            raise TrainingDiverged(f"step {self.step + 1}: non-finite loss {', '.join(bad)}")
        self._update_ema()
        self.step += 1
        return losses

    def steps(self) -> Iterator[StepInfo]:
        """Train until ``config.steps``, yielding after every step."""
        while self.step < self.config.steps:
            started = time.perf_counter()
            losses = self.train_step()
            elapsed = time.perf_counter() - started
            yield StepInfo(self.step, losses, self.config.batch_size / max(elapsed, 1e-9))

    def ema_model(self) -> KG2ImgModel:
        """A copy of the model holding the EMA weights, in eval mode on CPU."""
        model = KG2ImgModel(self.model_config)
        model.load_state_dict({k: v.cpu() for k, v in self.ema.items()})
        return model.eval()

    def sample_grid(self, n: int = 8) -> bytes:
        """A PNG grid: real images (top row) and EMA samples with true boxes (bottom row)."""
        model = self.ema_model()
        data = self.dataset[:n]
        batch = Batch.from_data_list(data)
        z = torch.randn(
            len(data), self.model_config.generator.z_dim, generator=torch.Generator().manual_seed(0)
        )
        with torch.no_grad():
            fake = model.generate(z, model.encode(batch), batch.y_box)
        return image_grid_png(torch.cat([batch.image, fake]), columns=len(data))


def saved_config(run_dir: Path) -> TrainConfig:
    """The config a run folder was trained with (for ``--resume``)."""
    path = run_dir / "config.json"
    if not path.is_file():
        raise ValueError(f"{run_dir}: nothing to resume (no config.json)")
    try:
        return TrainConfig.from_json(json.loads(path.read_text(encoding="utf-8"))["config"])
    except (json.JSONDecodeError, KeyError) as error:
        raise ValueError(f"{path}: unreadable run config ({error})") from error


def run_training(
    config: TrainConfig,
    run_dir: Path,
    resume: bool = False,
    on_step: Callable[[StepInfo], None] | None = None,
    log: Callable[[str], None] = print,
) -> Path:
    """Train, writing metrics, samples, checkpoints and the final model into ``run_dir``.

    With ``resume``, training continues from the newest complete checkpoint (pass the
    run's config, see :func:`saved_config`; ``steps`` may be raised to train longer).

    Returns:
        The exported model folder (``run_dir/model``).

    Raises:
        TrainingDiverged: On a NaN/inf loss; the last good checkpoint is kept.
    """
    parallel = DataParallel()
    if config.threads > 0:
        torch.set_num_threads(config.threads)
    device = parallel.start(pick_device(config.device))
    if parallel.is_main:
        run_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_text(
            run_dir / "config.json",
            json.dumps(
                {
                    "config": config.to_json(),
                    "versions": versions(),
                    "world_size": parallel.world_size,
                },
                indent=2,
            ),
        )
    else:
        log = _silent
    log(f"device: {device}" + (f" × {parallel.world_size} processes" if parallel.enabled else ""))
    try:
        return _train_in_process(config, run_dir, resume, on_step, log, parallel, device)
    finally:
        parallel.stop()


def _silent(message: str) -> None:
    del message


def _train_in_process(
    config: TrainConfig,
    run_dir: Path,
    resume: bool,
    on_step: Callable[[StepInfo], None] | None,
    log: Callable[[str], None],
    parallel: DataParallel,
    device: torch.device,
) -> Path:
    extractor = Extractor(ExtractConfig())
    training = build_training_data(config, extractor, log)
    trainer = Trainer(config, training, device, parallel)
    if resume:
        checkpoint = latest_checkpoint(run_dir)
        if checkpoint is not None:
            trainer.resume(checkpoint)
            log(f"resumed from {checkpoint.name}")
    main = parallel.is_main
    metrics = run_dir / "metrics.jsonl"
    if main and not resume and metrics.exists():
        metrics.unlink()
    if main:
        (run_dir / "samples").mkdir(exist_ok=True)

    def write_checkpoint() -> None:
        save_checkpoint(
            run_dir, trainer.step, trainer.model, trainer.ema, trainer.optimizers, trainer.rng
        )

    started = time.perf_counter()
    images = 0
    for info in trainer.steps():
        images += config.batch_size
        if not main:
            continue
        if on_step is not None:
            on_step(info)
        if info.step % config.log_every == 0 or info.step == config.steps:
            record: dict[str, Any] = {
                "step": info.step,
                **{k: round(v, 5) for k, v in info.losses.items()},
                "images_per_s": round(images / (time.perf_counter() - started), 2),
            }
            with metrics.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record) + "\n")
        if info.step % config.sample_every == 0 or info.step == config.steps:
            atomic_write_bytes(
                run_dir / "samples" / f"step-{info.step:07d}.png", trainer.sample_grid()
            )
        if info.step % config.checkpoint_every == 0 or info.step == config.steps:
            write_checkpoint()
    model_dir = run_dir / "model"
    parallel.barrier()
    if not main:
        return model_dir
    export_model(trainer, training, model_dir, time.perf_counter() - started, parallel.world_size)
    return model_dir


def export_model(
    trainer: Trainer,
    training: TrainingSet,
    model_dir: Path,
    wall_seconds: float,
    world_size: int = 1,
) -> None:
    """Save the EMA model, its knowledge and a ``training.json`` record into ``model_dir``."""
    trainer.ema_model().save(model_dir)
    write_knowledge(model_dir, training.knowledge)
    atomic_write_text(
        model_dir / "training.json",
        json.dumps(
            {
                "config": trainer.config.to_json(),
                "versions": versions(),
                "steps": trainer.step,
                "world_size": world_size,
                "wall_seconds": round(wall_seconds, 1),
            },
            indent=2,
        ),
    )
