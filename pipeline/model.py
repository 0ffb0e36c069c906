"""The trained bundle: graph encoder + box predictor + attribute head + generator (+ D).

It saves and loads itself as safetensors weights plus a JSON config; nothing is ever
unpickled.
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

from generator.layout import ObjectLayout
from generator.networks import (
    AttributeHead,
    BoxPredictor,
    DCGANDiscriminator,
    DCGANGenerator,
    GeneratorConfig,
    LayoutDiscriminator,
    LayoutGenerator,
)
from kg2img.atomic import atomic_write_bytes, atomic_write_text
from kg2img.validate import check_fields
from kg_embed.config import EncoderConfig
from kg_embed.encoder import make_encoder
from shapes_world import spec

WEIGHTS_FILE = "model.safetensors"
CONFIG_FILE = "model.json"


class CheckpointError(ValueError):
    """A model folder that is missing, truncated, corrupt or does not match its config."""


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild the networks.

    Attributes:
        encoder: Graph encoder settings.
        generator: Generator/discriminator settings (``cond_dim`` follows the encoder's
            hidden size).
        hops: Knowledge neighbourhood radius used when building conditioning graphs.
    """

    encoder: EncoderConfig = field(default_factory=EncoderConfig)
    generator: GeneratorConfig = field(default_factory=GeneratorConfig)
    hops: int = 1

    def __post_init__(self) -> None:
        check_fields(self, {"hops": (0, 8)})
        # The generator is conditioned on the encoder's embeddings: keep the widths tied.
        if self.generator.cond_dim != self.encoder.hidden:
            tied = dataclasses.replace(self.generator, cond_dim=self.encoder.hidden)
            object.__setattr__(self, "generator", tied)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelConfig:
        """Inverse of :meth:`to_json` (unknown keys are an error)."""
        try:
            return cls(
                encoder=EncoderConfig(**data["encoder"]),
                generator=GeneratorConfig(**data["generator"]),
                hops=data.get("hops", 1),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise CheckpointError(f"invalid model config ({error})") from error


@dataclass
class SceneOutput:
    """What the conditioning stage produces for a batch of graphs.

    Attributes:
        objects: ``(M, H)`` object embeddings.
        object_batch: ``(M,)`` scene of each object.
        graphs: ``(B, H)`` pooled graph embeddings.
        box_mean, box_log_std: ``(M, 2)`` position distribution.
        radius: ``(M,)`` predicted radius.
        logits: colour, shape and size logits of the auxiliary head.
    """

    objects: Tensor
    object_batch: Tensor
    graphs: Tensor
    box_mean: Tensor
    box_log_std: Tensor
    radius: Tensor
    logits: tuple[Tensor, Tensor, Tensor]


class KG2ImgModel(nn.Module):
    """Encoder, heads and generator trained together; the discriminator rides along."""

    def __init__(self, config: ModelConfig | None = None) -> None:
        super().__init__()
        self.config = config or ModelConfig()
        if not torch.empty(0).is_meta:  # the budget is checked without allocating
            parameter_shapes(self.config)
        c = self.config
        self.encoder = make_encoder(c.encoder)
        self.boxes = BoxPredictor(c.encoder.hidden)
        self.attributes = AttributeHead(
            c.encoder.hidden, len(spec.COLOURS), len(spec.SHAPES), len(spec.SIZES)
        )
        if c.generator.kind == "layout":
            self.generator: nn.Module = LayoutGenerator(c.generator)
            self.discriminator: nn.Module = LayoutDiscriminator(c.generator)
        else:
            self.generator = DCGANGenerator(c.generator)
            self.discriminator = DCGANDiscriminator(c.generator)

    def encode(self, batch: Batch) -> SceneOutput:
        """Run the GNN and the per-object heads on a batch of graphs."""
        encoded = self.encoder(
            batch.kind, batch.label, batch.edge_index, batch.edge_type, batch.batch
        )
        objects = encoded.nodes[batch.object_index]
        object_batch = batch.batch[batch.object_index]
        mean, log_std, radius = self.boxes(objects)
        return SceneOutput(
            objects, object_batch, encoded.graphs, mean, log_std, radius, self.attributes(objects)
        )

    def generate(self, z: Tensor, scene: SceneOutput, boxes: Tensor) -> Tensor:
        """Images for encoded scenes with the given ``(M, 3)`` boxes."""
        assert scene.objects.shape[0] == boxes.shape[0], "one box per object"
        if isinstance(self.generator, LayoutGenerator):
            layout = ObjectLayout(scene.objects, scene.object_batch, boxes, z.shape[0])
            return self.generator(z, layout)
        return self.generator(z, scene.graphs)

    def layout_map(self, scene: SceneOutput, boxes: Tensor, num_scenes: int) -> Tensor | None:
        """The discriminator's condition for layout models (``None`` for the baseline)."""
        if isinstance(self.generator, LayoutGenerator):
            return self.generator.layout_map(
                ObjectLayout(scene.objects, scene.object_batch, boxes, num_scenes)
            )
        return None

    def save(self, folder: Path, weights: dict[str, Tensor] | None = None) -> None:
        """Write ``model.safetensors`` and ``model.json`` into ``folder`` (atomically)."""
        folder.mkdir(parents=True, exist_ok=True)
        tensors = weights if weights is not None else self.state_dict()
        payload = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
        atomic_write_bytes(folder / WEIGHTS_FILE, safetensors_bytes(payload))
        atomic_write_text(folder / CONFIG_FILE, json.dumps(self.config.to_json(), indent=2))

    @classmethod
    def load(cls, folder: Path, map_location: str = "cpu") -> KG2ImgModel:
        """Load a model folder, checking that weights and config agree.

        Raises:
            CheckpointError: On a missing, truncated, corrupt or mismatched checkpoint.
        """
        config_path, weights_path = folder / CONFIG_FILE, folder / WEIGHTS_FILE
        if not config_path.is_file() or not weights_path.is_file():
            raise CheckpointError(
                f"{folder}: not a model folder (needs {CONFIG_FILE} and {WEIGHTS_FILE})"
            )
        try:
            config = ModelConfig.from_json(json.loads(config_path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as error:
            raise CheckpointError(f"{config_path}: invalid JSON ({error.msg})") from error
        except CheckpointError as error:
            raise CheckpointError(f"{config_path}: {error}") from error
        try:
            expected = parameter_shapes(config)
        except ValueError as error:
            raise CheckpointError(f"{config_path}: {error}") from error
        _check_weight_shapes(weights_path, expected, config_path.name)
        model = cls(config)
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


#: Most parameters a model may have (1.6 GB in float32); a bigger config is refused
#: before anything is allocated.
MAX_PARAMETERS = 400_000_000


def parameter_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """The shape of every tensor of the model's state, found without allocating memory.

    Raises:
        ValueError: If the model would have more than :data:`MAX_PARAMETERS` parameters.
    """
    shapes = dict(_meta_shapes(config))
    total = sum(math.prod(shape) for shape in shapes.values())
    if total > MAX_PARAMETERS:
        raise ValueError(
            f"the model config asks for {total:,} parameters; at most {MAX_PARAMETERS:,} "
            "(reduce encoder.hidden, generator.channels or image_size)"
        )
    return shapes


@functools.lru_cache(maxsize=8)
def _meta_shapes(config: ModelConfig) -> tuple[tuple[str, tuple[int, ...]], ...]:
    # Cached per config: building on the meta device takes about 0.25 s (spectral norm's
    # power iterations), and a load or a training run builds the same model several times.
    with torch.device("meta"):
        model = KG2ImgModel(config)
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
    "CheckpointError",
    "KG2ImgModel",
    "ModelConfig",
    "SceneOutput",
    "parameter_shapes",
]
