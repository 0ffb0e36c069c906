"""Generators and discriminators conditioned on per-object graph embeddings.

``LayoutGenerator`` is the default (sg2im-style: layout map → convolutional generator);
``DCGANGenerator``/``DCGANDiscriminator`` are the seed's global-vector baseline, kept so
anyone can compare. No optimizer or loss lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn.utils.parametrizations import spectral_norm

from generator.layout import ObjectLayout, paint_layout
from generator.placement import PlacementConfig
from kg2img.registry import generators
from kg2img.validate import check_fields


@dataclass(frozen=True)
class GeneratorConfig:
    """Generator and discriminator settings.

    Attributes:
        kind: ``layout`` (default) or ``dcgan`` (baseline).
        cond_dim: Width of the per-object conditioning vectors (the GNN's hidden size).
        feature_dim: Layout feature channels per object.
        z_dim: Noise channels.
        channels: Convolution width of generator and discriminator.
        image_size: Training and generation resolution (square).
        box_reach: Half-extent of an object's painted layout region, in half box sizes
            (a little over 1 gives the generator room for the object's edges).
        fourier_bands: Sine and cosine bands of each object's local coordinates added to
            the layout (0: none). With them the per-pixel layers can draw fine detail
            inside a box (photos' texture and outline) instead of smooth blobs.
        pixel_layers: Per-pixel (1×1) layers before the spatial ones.
        object_crop: Side, in pixels, of the crop through which the discriminator's object
            classifier reads each object's category from the image (0: no object
            classifier). Trained on real images only, it makes the generator draw what
            tells one category from another, not only what looks real next to a layout.
        latent_encoder: Width of a training-only network that reads a real image's noise
            back from the image (0: none; the noise is then drawn at random). With it each
            real image is drawn from its own noise, so the noise learns the whole variety
            of what a caption shows rather than its most typical item (a conditional VAE
            with a GAN term, Larsen et al. 2016; Zhu et al. 2017); generation still draws
            the noise from the normal prior.
    """

    kind: str = "layout"
    cond_dim: int = 64
    feature_dim: int = 32
    z_dim: int = 8
    channels: int = 64
    image_size: int = 32
    box_reach: float = 1.15
    fourier_bands: int = 0
    pixel_layers: int = 2
    object_crop: int = 0
    latent_encoder: int = 0

    def __post_init__(self) -> None:
        limits = {"cond_dim": (1, 4096), "feature_dim": (1, 4096), "z_dim": (1, 4096)}
        check_fields(
            self,
            {
                **limits,
                "channels": (1, 4096),
                "image_size": (8, 1024),
                "box_reach": (0.5, 4.0),
                "fourier_bands": (0, 16),
                "pixel_layers": (1, 16),
                "object_crop": (0, 256),
                "latent_encoder": (0, 1024),
            },
        )
        if not isinstance(self.kind, str) or not self.kind:
            raise ValueError("generator kind: expected a registered name (layout, dcgan)")
        if self.image_size % 8:
            raise ValueError("image_size must be a multiple of 8")
        if self.object_crop % 4:
            raise ValueError("object_crop must be a multiple of 4 (0: no object classifier)")
        if self.object_crop and self.kind == "dcgan":
            raise ValueError("object_crop: the dcgan generator draws no object boxes to classify")


class BoxPredictor(nn.Module):
    """Predicts each object's centre distribution and box size from its embedding.

    Centres and sizes are squashed into the ranges of the model's placement config, so a
    prediction never leaves what the training data showed.

    Shapes:
        embeddings ``(M, H)`` → mean ``(M, 2)``, log_std ``(M, 2)``, size ``(M, 2)``
        (width, height), all as fractions of the image.
    """

    def __init__(self, cond_dim: int, placement: PlacementConfig, hidden: int = 64) -> None:
        super().__init__()
        self.placement = placement
        self.net = nn.Sequential(
            nn.Linear(cond_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.mean = nn.Linear(hidden, 2)
        self.log_std = nn.Linear(hidden, 2)
        self.size = nn.Linear(hidden, 2)

    def forward(self, embeddings: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Return ``(mean, log_std, size)``."""
        p = self.placement
        h = self.net(embeddings)
        mean = p.centre_min + (p.centre_max - p.centre_min) * torch.sigmoid(self.mean(h))
        log_std = self.log_std(h).clamp(-5.0, 0.0)
        size = p.size_min + (p.size_max - p.size_min) * torch.sigmoid(self.size(h))
        return mean, log_std, size


class AttributeHeads(nn.Module):
    """One linear read-out per head: the category and each attribute name.

    Auxiliary tasks that make the embeddings carry what is to be drawn.

    Heads are kept in the order given (the saved vocabulary's), under their position, so
    any attribute name works.

    Shapes:
        embeddings ``(M, H)`` → one ``(M, n_classes)`` logit tensor per head.
    """

    def __init__(self, cond_dim: int, classes: Sequence[int]) -> None:
        super().__init__()
        self.heads = nn.ModuleList(nn.Linear(cond_dim, max(1, n)) for n in classes)

    def forward(self, embeddings: Tensor) -> list[Tensor]:
        """Return the logits of every head."""
        return [head(embeddings) for head in self.heads]


class LayoutGenerator(nn.Module):
    """``G(z, cond)``: noise plus an object layout → image (nominally ``[-1, 1]``).

    Per-pixel layers (1×1 convolutions) turn each object's features and local coordinates
    into colour and coverage; 3×3 layers then shape edges and texture.

    Shapes:
        z ``(B, z_dim)``, cond an :class:`ObjectLayout` of ``B`` scenes →
        ``(B, 3, image_size, image_size)``.
    """

    #: Drawn from a layout of object boxes (the model passes an :class:`ObjectLayout`).
    uses_layout = True

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        self.config = config
        c = config.channels
        self.project = nn.Linear(config.cond_dim, config.feature_dim)
        in_channels = config.feature_dim + 3 + config.z_dim + 4 * config.fourier_bands
        layers: list[nn.Module] = [nn.Conv2d(in_channels, c, 1), nn.ReLU()]
        for _ in range(config.pixel_layers - 1):
            layers += [nn.Conv2d(c, c, 1), nn.ReLU()]
        self.pixelwise = nn.Sequential(*layers)
        self.spatial = nn.Sequential(
            nn.Conv2d(c, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1), nn.ReLU()
        )
        self.to_rgb = nn.Conv2d(c, 3, 1)

    def layout_map(self, cond: ObjectLayout) -> Tensor:
        """The painted layout ``(B, feature_dim + 3, S, S)``, also the discriminator's input."""
        projected = ObjectLayout(
            self.project(cond.features), cond.batch, cond.boxes, cond.num_scenes
        )
        return paint_layout(projected, self.config.image_size, self.config.box_reach)

    def _bands(self, layout: Tensor) -> list[Tensor]:
        """``sin``/``cos`` of the local coordinates at octave frequencies, inside boxes only."""
        bands = self.config.fourier_bands
        if not bands:
            return []
        inside, coords = layout[:, -3:-2], layout[:, -2:]
        scales = torch.pi * 2.0 ** torch.arange(bands, device=layout.device, dtype=layout.dtype)
        angles = (coords[:, :, None] * scales[None, None, :, None, None]).flatten(1, 2)
        return [torch.sin(angles) * inside, torch.cos(angles) * inside]

    def forward(self, z: Tensor, cond: ObjectLayout) -> Tensor:
        """Generate images."""
        if z.shape != (cond.num_scenes, self.config.z_dim):
            raise ValueError(
                f"z has shape {tuple(z.shape)}; expected ({cond.num_scenes}, {self.config.z_dim})"
            )
        layout = self.layout_map(cond)
        size = self.config.image_size
        noise = z[:, :, None, None].expand(-1, -1, size, size)
        h = self.pixelwise(torch.cat([layout, noise, *self._bands(layout)], dim=1))
        h = h + self.spatial(h)
        # Linear output: tanh saturates at black, the colour of most pixels, and starves
        # object pixels of gradient. Callers clamp to [-1, 1] when they decode.
        return self.to_rgb(h)


def crop_objects(images: Tensor, batch: Tensor, boxes: Tensor, size: int, reach: float) -> Tensor:
    """Each object's box (widened by ``reach``) cut from its image and resampled to ``size``.

    Shapes:
        images ``(B, 3, S, S)``, batch ``(M,)``, boxes ``(M, 4)`` ``(cx, cy, w, h)`` as
        fractions of the image → ``(M, 3, size, size)``, in fp32.
    """
    # Geometry and sampling in fp32 (under bf16 autocast too, as for the layout map: bf16's
    # 8 bits would move a crop's edge by a fraction of a pixel).
    boxes, images = boxes.float(), images.float()
    theta = torch.zeros(boxes.shape[0], 2, 3, device=images.device, dtype=images.dtype)
    theta[:, 0, 0] = reach * boxes[:, 2]
    theta[:, 1, 1] = reach * boxes[:, 3]
    theta[:, 0, 2] = 2 * boxes[:, 0] - 1
    theta[:, 1, 2] = 2 * boxes[:, 1] - 1
    grid = F.affine_grid(theta, [boxes.shape[0], images.shape[1], size, size], align_corners=False)
    return F.grid_sample(images[batch], grid, align_corners=False, padding_mode="border")


class ObjectClassifier(nn.Module):
    """Reads an object's category from its crop of the image (and nothing else).

    Shapes:
        crops ``(M, 3, crop, crop)`` → logits ``(M, categories)``.
    """

    def __init__(self, crop: int, channels: int, categories: int) -> None:
        super().__init__()
        c = channels
        self.features = nn.Sequential(
            nn.Conv2d(3, c, 3, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(2 * c, 2 * c, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.logits = nn.Linear(2 * c * (crop // 4) ** 2, max(1, categories))

    def forward(self, crops: Tensor) -> Tensor:
        """Category logits."""
        return self.logits(self.features(crops))


class LayoutDiscriminator(nn.Module):
    """Patch discriminator on an image and its layout map (projection-style conditioning).

    With ``config.object_crop`` it also holds an :class:`ObjectClassifier`
    (:meth:`classify_objects`), over ``categories`` classes.

    Shapes:
        image ``(B, 3, S, S)``, layout ``(B, feature_dim + 3, S, S)`` → logits
        ``(B, 1, S/8, S/8)``.
    """

    def __init__(self, config: GeneratorConfig, categories: int = 0) -> None:
        super().__init__()
        self.config = config
        c = config.channels
        in_channels = 3 + config.feature_dim + 3
        self.net = nn.Sequential(
            spectral_norm(nn.Conv2d(in_channels, c, 3, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, c, 4, stride=2, padding=1)),
            nn.LeakyReLU(0.2),
            spectral_norm(nn.Conv2d(c, 1, 3, padding=1)),
        )

        self.objects = (
            ObjectClassifier(config.object_crop, c, categories) if config.object_crop else None
        )

    def forward(self, image: Tensor, layout: Tensor) -> Tensor:
        """Score real (high) versus generated (low) patches."""
        return self.net(torch.cat([image, layout], dim=1))

    def classify_objects(self, images: Tensor, batch: Tensor, boxes: Tensor) -> Tensor:
        """``(M, categories)`` logits of each object's category, read from its crop."""
        assert self.objects is not None, "built without an object classifier (object_crop=0)"
        c = self.config
        return self.objects(crop_objects(images, batch, boxes, c.object_crop, c.box_reach))


class LatentEncoder(nn.Module):
    """Reads the noise an image was drawn from: ``q(z | image)``, a diagonal normal.

    Used in training only (the model builds it beside the discriminator), so that the
    pixel terms can pair each real image with noise of its own.

    Shapes:
        images ``(B, 3, S, S)`` → mean ``(B, z_dim)``, log-variance ``(B, z_dim)``.
    """

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        c = config.latent_encoder
        self.z_dim = config.z_dim
        self.features = nn.Sequential(
            nn.Conv2d(3, c, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(2 * c, 2 * c, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.AdaptiveAvgPool2d(4),
            nn.Flatten(),
        )
        self.out = nn.Linear(2 * c * 16, 2 * config.z_dim)

    def forward(self, images: Tensor) -> tuple[Tensor, Tensor]:
        """Return ``(mean, log_variance)``."""
        mean, log_variance = self.out(self.features(images)).chunk(2, dim=1)
        # Bounded so that exp() stays finite under bf16 and early in training.
        return mean, log_variance.clamp(-10.0, 4.0)


class DCGANGenerator(nn.Module):
    """The seed's baseline: dense 4×4×512 → transposed convolutions → tanh image.

    Shapes:
        z ``(B, z_dim)``, cond ``(B, cond_dim)`` (a pooled graph embedding) →
        ``(B, 3, image_size, image_size)``.
    """

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        self.config = config
        self.dense = nn.Linear(config.z_dim + config.cond_dim, 4 * 4 * 512)
        layers: list[nn.Module] = []
        channels, size = 512, 4
        while size < config.image_size:
            out = max(channels // 2, 32)
            layers += [nn.ConvTranspose2d(channels, out, 4, 2, 1), nn.BatchNorm2d(out), nn.ReLU()]
            channels, size = out, size * 2
        layers += [nn.Conv2d(channels, 3, 3, padding=1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: Tensor, cond: Tensor) -> Tensor:
        """Generate images."""
        h = self.dense(torch.cat([z, cond], dim=1)).view(-1, 512, 4, 4)
        return self.net(torch.relu(h))


class DCGANDiscriminator(nn.Module):
    """Convolutional discriminator with a projection term for the global condition.

    Shapes:
        image ``(B, 3, S, S)``, cond ``(B, cond_dim)`` → logits ``(B,)``.
    """

    def __init__(self, config: GeneratorConfig) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        channels, size = 3, config.image_size
        out = 64
        while size > 4:
            layers += [spectral_norm(nn.Conv2d(channels, out, 4, 2, 1)), nn.LeakyReLU(0.2)]
            channels, out, size = out, min(out * 2, 512), size // 2
        self.features = nn.Sequential(*layers)
        self.linear = spectral_norm(nn.Linear(channels * 16, 1))
        self.embed = spectral_norm(nn.Linear(config.cond_dim, channels * 16))

    def forward(self, image: Tensor, cond: Tensor) -> Tensor:
        """Score images for their condition."""
        h = self.features(image).flatten(1)
        return self.linear(h).squeeze(1) + (self.embed(cond) * h).sum(1)


generators.register("layout", (LayoutGenerator, LayoutDiscriminator))
generators.register("dcgan", (DCGANGenerator, DCGANDiscriminator))
