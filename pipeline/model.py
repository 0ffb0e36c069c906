"""The model: graph encoder + box predictor + attribute heads + generator.

A saved model folder is self-describing and inference-only::

    model.json         {"format": "kg2img-model/2", "config": ModelConfig}: networks,
                       the vocabularies of its training data, placement and output settings
    model.safetensors  encoder, heads and generator weights (the EMA ones after training)
    knowledge.txt      optional: the data set's knowledge texts, used when generating

The discriminator and the optimiser state live only in training checkpoints. Nothing is
ever unpickled.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import load_file
from safetensors.torch import save as safetensors_bytes
from torch import Tensor, nn
from torch_geometric.data import Batch

import generator.networks  # noqa: F401  (registers the built-in generator kinds)
from generator.layout import ObjectLayout
from generator.networks import AttributeHeads, BoxPredictor, GeneratorConfig, LatentEncoder
from generator.placement import PlacementConfig
from kg2img.atomic import atomic_write_bytes, atomic_write_text
from kg2img.registry import generators
from kg2img.validate import check_fields
from kg_embed.config import EncoderConfig
from kg_embed.encoder import make_encoder
from pipeline.vocabulary import DataVocabulary

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "model.json"
KNOWLEDGE_FILE = "knowledge.txt"
#: The model folder format this code writes and reads.
MODEL_FORMAT = "kg2img-model/2"


class CheckpointError(ValueError):
    """A model folder that is missing, truncated, corrupt or does not match its config."""


@dataclass(frozen=True)
class OutputConfig:
    """How generator output becomes pixels.

    Attributes:
        size: Width and height of the images handed out, in pixels.
        palette: RGB colours to snap every pixel to (or to the background) — only for
            data sets drawn in flat colours; empty for photographs.
        background: RGB of the background that ``palette`` snapping falls back to.
    """

    size: int = 64
    palette: tuple[tuple[int, int, int], ...] = ()
    background: tuple[int, int, int] = (0, 0, 0)

    def __post_init__(self) -> None:
        check_fields(self, {"size": (8, 4096)})
        try:
            palette = tuple(tuple(int(v) for v in c) for c in self.palette)
            background = tuple(int(v) for v in self.background)
        except (TypeError, ValueError) as error:
            raise ValueError(f"output palette: expected RGB triples ({error})") from None
        if any(len(c) != 3 or not all(0 <= v <= 255 for v in c) for c in (*palette, background)):
            raise ValueError("output palette: expected RGB triples of 0…255")
        object.__setattr__(self, "palette", palette)
        object.__setattr__(self, "background", background)


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild the networks and use them.

    Attributes:
        encoder: Graph encoder settings.
        generator: Generator/discriminator settings (``cond_dim`` follows the encoder's
            hidden size).
        hops: Knowledge neighbourhood radius used when building conditioning graphs.
        is_a_closure: Whether the knowledge walk reads is-a chains as RDFS entails them
            (``kg_extract.subgraph.neighbourhood_of``); ``None`` leaves it to the data
            set, and a model saved without it did not.
        data: What the training data named (the heads are built from it).
        placement: Where objects may go.
        output: How images are handed out.
    """

    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    hops: int = 1
    is_a_closure: bool | None = None
    data: DataVocabulary = field(default_factory=DataVocabulary)
    placement: PlacementConfig = field(default_factory=PlacementConfig)
    output: OutputConfig = field(default_factory=OutputConfig)

    def __post_init__(self) -> None:
        check_fields(self, {"hops": (0, 8)})
        # The generator is conditioned on the encoder's embeddings: keep the widths tied.
        if self.generator.cond_dim != self.encoder.hidden:
            tied = dataclasses.replace(self.generator, cond_dim=self.encoder.hidden)
            object.__setattr__(self, "generator", tied)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        values = asdict(self)
        values["data"] = self.data.to_json()
        return values

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelConfig:
        """Inverse of :meth:`to_json` (unknown keys are an error)."""
        try:
            placement = data.get("placement", {})
            output = data.get("output", {})
            return cls(
                encoder=EncoderConfig(**data["encoder"]),
                generator=GeneratorConfig(**data["generator"]),
                hops=data.get("hops", 1),
                is_a_closure=data.get("is_a_closure"),
                data=DataVocabulary.from_json(data.get("data", {})),
                placement=PlacementConfig(**placement),
                output=OutputConfig(**output),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise CheckpointError(f"invalid model config ({error})") from error


@dataclass
class SceneOutput:
    """What the conditioning stage produces for a batch of graphs.

    Attributes:
        objects: ``(M, H)`` object embeddings.
        object_batch: ``(M,)`` scene of each object.
        graphs: ``(B, H)`` pooled graph embeddings.
        box_mean, box_log_std: ``(M, 2)`` centre distribution.
        box_size: ``(M, 2)`` predicted width and height.
        logits: One ``(M, classes)`` tensor per head of ``config.data.heads``.
    """

    objects: Tensor
    object_batch: Tensor
    graphs: Tensor
    box_mean: Tensor
    box_log_std: Tensor
    box_size: Tensor
    logits: list[Tensor]


def _generator_parts(kind: str) -> tuple[Any, Any]:
    try:
        return generators.get(kind)
    except KeyError as error:
        raise ValueError(str(error.args[0])) from None


#: State-dict prefixes of the networks that only training uses.
_TRAINING_ONLY = ("discriminator.", "latent_encoder.")


def _discriminator(make: Any, config: ModelConfig) -> nn.Module:
    # Only a discriminator asked for an object classifier needs to know the categories
    # (a registered discriminator of a user's need not take the argument).
    if config.generator.object_crop:
        return make(config.generator, categories=len(config.data.categories))
    return make(config.generator)


class KG2ImgModel(nn.Module):
    """Encoder, heads and generator; with ``discriminator=True`` (training) also D.

    Training builds the generator config's latent encoder too, if it asks for one; like
    the discriminator it is no part of a saved model (:meth:`inference_state`).
    """

    def __init__(self, config: ModelConfig | None = None, discriminator: bool = False) -> None:
        super().__init__()
        self.config = config or ModelConfig()
        if not torch.empty(0).is_meta:  # the budget is checked without allocating
            parameter_shapes(self.config, discriminator)
        c = self.config
        make_generator, make_discriminator = _generator_parts(c.generator.kind)
        self.encoder = make_encoder(c.encoder)
        self.boxes = BoxPredictor(c.encoder.hidden, c.placement)
        self.attributes = AttributeHeads(c.encoder.hidden, [len(v) for _, v in c.data.heads])
        self.generator: nn.Module = make_generator(c.generator)
        self.discriminator: nn.Module | None = (
            _discriminator(make_discriminator, c) if discriminator else None
        )
        self.latent_encoder: LatentEncoder | None = (
            LatentEncoder(c.generator) if discriminator and c.generator.latent_encoder else None
        )

    @property
    def uses_layout(self) -> bool:
        """Whether the generator draws from a layout of object boxes (else a pooled vector)."""
        return bool(getattr(self.generator, "uses_layout", False))

    def inference_state(self) -> dict[str, Tensor]:
        """The weights a saved model holds (no discriminator, no latent encoder)."""
        return {k: v for k, v in self.state_dict().items() if not k.startswith(_TRAINING_ONLY)}

    def encode(self, batch: Batch) -> SceneOutput:
        """Run the GNN and the per-object heads on a batch of graphs."""
        encoded = self.encoder(
            batch.kind, batch.label, batch.edge_index, batch.edge_type, batch.batch
        )
        objects = encoded.nodes[batch.object_index]
        object_batch = batch.batch[batch.object_index]
        mean, log_std, size = self.boxes(objects)
        return SceneOutput(
            objects, object_batch, encoded.graphs, mean, log_std, size, self.attributes(objects)
        )

    def generate(self, z: Tensor, scene: SceneOutput, boxes: Tensor) -> Tensor:
        """Images for encoded scenes with the given ``(M, 4)`` boxes ``(cx, cy, w, h)``."""
        assert scene.objects.shape[0] == boxes.shape[0], "one box per object"
        if self.uses_layout:
            layout = ObjectLayout(scene.objects, scene.object_batch, boxes, z.shape[0])
            return self.generator(z, layout)
        return self.generator(z, scene.graphs)

    def layout_map(self, scene: SceneOutput, boxes: Tensor, num_scenes: int) -> Tensor | None:
        """The discriminator's condition for layout models (``None`` for the baseline)."""
        if self.uses_layout:
            return self.generator.layout_map(  # type: ignore[operator]
                ObjectLayout(scene.objects, scene.object_batch, boxes, num_scenes)
            )
        return None

    def save(self, folder: Path, weights: dict[str, Tensor] | None = None) -> None:
        """Write ``model.safetensors`` and ``model.json`` into ``folder`` (atomically).

        ``weights`` (default: this model's) may include a discriminator only when saving a
        training checkpoint; a model folder for generation gets :meth:`inference_state`.
        """
        folder.mkdir(parents=True, exist_ok=True)
        tensors = weights if weights is not None else self.inference_state()
        payload = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
        atomic_write_bytes(folder / WEIGHTS_FILE, safetensors_bytes(payload))
        record = {"format": MODEL_FORMAT, "config": self.config.to_json()}
        atomic_write_text(folder / CONFIG_FILE, json.dumps(record, indent=2))

    @classmethod
    def load(
        cls, folder: Path, map_location: str = "cpu", discriminator: bool = False
    ) -> KG2ImgModel:
        """Load a model folder, checking that weights and config agree.

        Raises:
            CheckpointError: On a missing, truncated, corrupt, mismatched or old-format
                folder.
        """
        config = read_model_config(folder)
        config_path, weights_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
        try:
            expected = parameter_shapes(config, discriminator)
        except ValueError as error:
            raise CheckpointError(f"{config_path}: {error}") from error
        _check_weight_shapes(weights_path, expected, config_path.name)
        model = cls(config, discriminator=discriminator)
        try:
            state = load_file(str(weights_path), device=map_location)
        except (SafetensorError, OSError, ValueError) as error:
            raise CheckpointError(f"{weights_path}: corrupt weights ({error})") from error
        try:
            model.load_state_dict(state, strict=True)
        except RuntimeError as error:
            first = str(error).strip().splitlines()
            detail = " ".join(first[:2])[:300]
            raise CheckpointError(
                f"{weights_path}: weights do not match {config_path.name} ({detail})"
            ) from error
        return model


def write_knowledge(folder: Path, texts: list[str]) -> None:
    """Save knowledge texts beside a model (one file; :func:`read_knowledge` reads it)."""
    if texts:
        joined = "\n\n".join(t.strip("\n") for t in texts)
        atomic_write_text(folder / KNOWLEDGE_FILE, joined + "\n")


def read_knowledge(folder: Path) -> list[str]:
    """The knowledge saved beside a model (empty if none)."""
    path = folder / KNOWLEDGE_FILE
    if not path.is_file():
        return []
    try:
        return [path.read_text(encoding="utf-8")]
    except UnicodeDecodeError as error:
        raise CheckpointError(f"{path}: not UTF-8 text ({error.reason})") from None


def read_model_config(folder: Path) -> ModelConfig:
    """The config of a model folder.

    Raises:
        CheckpointError: If the folder is not a model folder, is of another format
            version, or its config is invalid.
    """
    config_path, weights_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
    if not config_path.is_file() or not weights_path.is_file():
        raise CheckpointError(
            f"{folder}: not a model folder (needs {CONFIG_FILE} and {WEIGHTS_FILE})"
        )
    try:
        record = json.loads(config_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise CheckpointError(f"{config_path}: invalid JSON ({error.msg})") from error
    except UnicodeDecodeError as error:
        raise CheckpointError(f"{config_path}: not UTF-8 text ({error.reason})") from error
    if not isinstance(record, dict):
        raise CheckpointError(f"{config_path}: invalid model config (not a JSON object)")
    version = record.get("format")
    if version != MODEL_FORMAT:
        found = "kg2img-model/1 (kg2img 0.1, no format field)" if version is None else version
        raise CheckpointError(
            f"{config_path}: model format {str(found)[:60]!r}; this kg2img reads "
            f"{MODEL_FORMAT} — retrain the model with this version"
        )
    try:
        return ModelConfig.from_json(record.get("config"))  # type: ignore[arg-type]
    except CheckpointError as error:
        raise CheckpointError(f"{config_path}: {error}") from error


#: Most parameters a model may have (1.6 GB in float32); a bigger config is refused
#: before anything is allocated.
MAX_PARAMETERS = 400_000_000


def parameter_shapes(
    config: ModelConfig, discriminator: bool = False
) -> dict[str, tuple[int, ...]]:
    """The shape of every tensor of the model's state, found without allocating memory.

    Raises:
        ValueError: If the model would have more than :data:`MAX_PARAMETERS` parameters.
    """
    shapes = dict(_meta_shapes(config, discriminator))
    total = sum(math.prod(shape) for shape in shapes.values())
    if total > MAX_PARAMETERS:
        raise ValueError(
            f"the model config asks for {total:,} parameters; at most {MAX_PARAMETERS:,} "
            "(reduce encoder.hidden, generator.channels or image_size)"
        )
    return shapes


@functools.lru_cache(maxsize=8)
def _meta_shapes(
    config: ModelConfig, discriminator: bool
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    # Cached per config: building on the meta device takes about 0.25 s (spectral norm's
    # power iterations), and a load or a training run builds the same model several times.
    with torch.device("meta"):
        model = KG2ImgModel(config, discriminator=discriminator)
    return tuple((name, tuple(t.shape)) for name, t in model.state_dict().items())


def _check_weight_shapes(
    weights_path: Path, expected: dict[str, tuple[int, ...]], config_name: str
) -> None:
    """Compare the weight file's header with the config's shapes, before loading."""
    try:
        with safe_open(str(weights_path), framework="pt") as weights:
            found = {name: tuple(weights.get_slice(name).get_shape()) for name in weights.keys()}  # noqa: SIM118
    except (SafetensorError, OSError, ValueError) as error:
        raise CheckpointError(f"{weights_path}: corrupt weights ({error})") from error
    missing = sorted(set(expected) - set(found))
    unexpected = sorted(set(found) - set(expected))
    wrong = sorted(k for k in set(expected) & set(found) if expected[k] != found[k])
    if missing or unexpected or wrong:
        parts = [
            f"{label}: {', '.join(names[:3])}{' …' if len(names) > 3 else ''}"
            for label, names in (
                ("missing", missing),
                ("unexpected", unexpected),
                ("other shapes", wrong),
            )
            if names
        ]
        raise CheckpointError(
            f"{weights_path}: weights do not match {config_name} ({'; '.join(parts)})"
        )


__all__ = [
    "MAX_PARAMETERS",
    "MODEL_FORMAT",
    "CheckpointError",
    "KG2ImgModel",
    "ModelConfig",
    "OutputConfig",
    "SceneOutput",
    "parameter_shapes",
    "read_knowledge",
    "read_model_config",
    "write_knowledge",
]
