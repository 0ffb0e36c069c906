"""The training objective: one Loss object with explicit phases.

``G`` phase (GNN, heads and generator): pixel L1 to the paired image (optionally from the
closest of several noise draws, or from the noise the model's latent encoder reads off
the real image, with its KL term to the prior), the adversarial term
through the layout discriminator, box centre likelihood and box size L1, the
auxiliary read-outs (category and every attribute; objects without a value for an
attribute are left out of its term) and, where the discriminator has an object
classifier, its cross-entropy on the generated objects' categories. Gradients of every
term reach the GNN.
``D`` phase (discriminator): hinge loss on real versus generated images, each with its
layout as the condition, plus the object classifier's cross-entropy on the real objects
(only real ones: it learns what a category looks like, not what the generator draws).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor
from torch_geometric.data import Batch

from generator.networks import GeneratorConfig, LayoutDiscriminator
from kg2img.validate import check_fields
from pipeline.model import KG2ImgModel, SceneOutput


@dataclass(frozen=True)
class LossWeights:
    """Weights of the loss terms.

    ``pixel`` weighs the L1 distance to the paired image, ``pixel_squared`` the squared
    distance: L1 pulls each pixel to the median of what the data shows there, L2 to the
    mean — for sparse textured objects (a sandal's straps) the median is background, and
    L1 alone draws them dark; ``object_pixels`` weighs object boxes up in both.

    ``object_class`` weighs the discriminator's object classifier's cross-entropy on the
    generated objects (used only where the generator config has ``object_crop``).

    ``noise_candidates`` above 1 scores the pixel terms on the closest of that many noise
    draws per image (chosen without gradients; the first draw is the batch's own). With
    one draw every noise is pulled to the same paired image and the generator learns to
    ignore it, drawing the mean of what a caption shows; with several, each real image
    pulls only the draw nearest to it, so different noise learns different items
    (implicit maximum likelihood, Li & Malik 2018).

    ``latent_kl`` weighs the KL divergence of the latent encoder's reading of each real
    image from the normal prior (used only where the generator config has
    ``latent_encoder``). The pixel terms are then scored on the image drawn from that
    reading, and the adversarial and object-classifier terms on an image drawn from the
    prior, which is what generation draws from.
    """

    pixel: float = 10.0
    pixel_squared: float = 0.0
    object_pixels: float = 4.0
    adversarial: float = 0.1
    box: float = 1.0
    attributes: float = 1.0
    object_class: float = 1.0
    noise_candidates: int = 1
    latent_kl: float = 0.05

    def __post_init__(self) -> None:
        ranges = {f.name: (0.0, 1e6) for f in dataclasses.fields(self)}
        check_fields(self, {**ranges, "noise_candidates": (1, 64)})


def check_noise_source(generator: GeneratorConfig, weights: LossWeights) -> None:
    """Refuse a config where both noise candidates and a latent encoder pick the noise.

    Raises:
        ValueError: If ``generator.latent_encoder`` and ``loss.noise_candidates`` > 1.
    """
    if generator.latent_encoder and weights.noise_candidates > 1:
        raise ValueError(
            "loss.noise_candidates and generator.latent_encoder both choose the noise "
            "the pixel terms are scored on; set one of them"
        )


class KG2ImgLoss:
    """Computes and back-propagates the loss of one phase on one batch."""

    def __init__(
        self,
        model: KG2ImgModel,
        weights: LossWeights | None = None,
        generator: torch.Generator | None = None,
    ) -> None:
        """Set up the objective.

        Args:
            model: The model, with its discriminator.
            weights: The terms' weights.
            generator: Where the objective's own noise is drawn from (on CPU); the trainer
                passes its seeded one, so that a resumed run draws what it would have.
        """
        self.model = model
        self.weights = weights or LossWeights()
        self.generator = generator
        check_noise_source(model.config.generator, self.weights)

    def _noise_like(self, t: Tensor) -> Tensor:
        if self.generator is None:
            return torch.randn_like(t)
        return torch.randn(t.shape, generator=self.generator).to(t.device, t.dtype)

    def _discriminate(self, image: Tensor, layout: Tensor | None, graphs: Tensor) -> Tensor:
        d = self.model.discriminator
        assert d is not None, "training needs KG2ImgModel(..., discriminator=True)"
        return d(image, layout) if layout is not None else d(image, graphs)

    def _object_class(self, image: Tensor, scene: SceneOutput, batch: Batch) -> Tensor | None:
        """Cross-entropy of the object classifier on ``image``'s objects (``None``: none)."""
        d = self.model.discriminator
        if not isinstance(d, LayoutDiscriminator) or d.objects is None:
            return None
        logits = d.classify_objects(image, scene.object_batch, batch.y_box)
        return F.cross_entropy(logits, batch.y_heads[:, 0])

    def _pixel_distance(self, fake: Tensor, real: Tensor, weight: Tensor | float) -> Tensor:
        """Each image's weighted pixel terms, ``(B,)``, as the G phase weighs them."""
        w = self.weights
        difference = fake - real
        per_pixel = w.pixel * difference.abs() + w.pixel_squared * difference**2
        return (per_pixel * weight).flatten(1).mean(dim=1)

    @torch.no_grad()
    def _closest_noise(
        self, z: Tensor, scene: SceneOutput, boxes: Tensor, real: Tensor, weight: Tensor | float
    ) -> Tensor:
        """Per image, the noise (of ``noise_candidates`` draws, ``z`` first) drawing it closest."""
        draws = [z] + [self._noise_like(z) for _ in range(self.weights.noise_candidates - 1)]
        distances = torch.stack(
            [
                self._pixel_distance(self.model.generate(d, scene, boxes), real, weight)
                for d in draws
            ]
        )
        best = distances.argmin(dim=0)
        return torch.stack(draws)[best, torch.arange(z.shape[0], device=z.device)]

    def accumulate_gradients(self, phase: str, batch: Batch, z: Tensor) -> dict[str, float]:
        """Run ``phase`` (``"G"`` or ``"D"``) and call ``backward`` on its loss.

        Returns:
            The phase's loss terms as floats.
        """
        total, terms = self.phase_loss(phase, batch, z)
        total.backward()
        return terms

    def phase_loss(self, phase: str, batch: Batch, z: Tensor) -> tuple[Tensor, dict[str, float]]:
        """The loss of ``phase`` (``"G"`` or ``"D"``) on a batch, before ``backward``.

        Returns:
            The total to back-propagate and the phase's terms as floats.
        """
        real = batch.image
        boxes = batch.y_box
        w = self.weights
        if phase == "G":
            scene = self.model.encode(batch)
            layout = self.model.layout_map(scene, boxes, real.shape[0])
            # Objects cover a few percent of the pixels: weigh their boxes up, or black wins.
            assert layout is None or layout.shape[-1] == real.shape[-1]
            weight = (
                1.0 + w.object_pixels * (layout[:, -3:-2] > 0).float()
                if layout is not None
                else 1.0
            )
            read = kl = None
            if self.model.latent_encoder is not None:
                mean, log_variance = self.model.latent_encoder(real)
                read = mean + self._noise_like(mean) * (0.5 * log_variance).exp()
                kl = (0.5 * (mean**2 + log_variance.exp() - 1.0 - log_variance)).sum(1).mean()
            elif w.noise_candidates > 1:
                z = self._closest_noise(z, scene, boxes, real, weight)
            fake = self.model.generate(z, scene, boxes)
            # The pixel terms pair each real image with its own noise where it is read.
            paired = fake if read is None else self.model.generate(read, scene, boxes)
            adversarial = -self._discriminate(fake, layout, scene.graphs).mean()
            pixel = ((paired - real).abs() * weight).mean()
            squared = (((paired - real) ** 2) * weight).mean() if w.pixel_squared else pixel * 0
            positions = boxes[:, :2]
            nll = (
                scene.box_log_std
                + 0.5 * ((positions - scene.box_mean) / scene.box_log_std.exp()) ** 2
                + 0.5 * math.log(2 * math.pi)
            ).mean()
            box_size = (scene.box_size - boxes[:, 2:]).abs().mean()
            attributes = torch.zeros((), device=real.device)
            for head, logits in enumerate(scene.logits):
                targets = batch.y_heads[:, head]
                if bool((targets >= 0).any()):
                    attributes = attributes + F.cross_entropy(logits, targets, ignore_index=-1)
            total = (
                w.pixel * pixel
                + w.pixel_squared * squared
                + w.adversarial * adversarial
                + w.box * (nll + 10.0 * box_size)
                + w.attributes * attributes
            )
            object_class = self._object_class(fake, scene, batch)
            if object_class is not None:
                total = total + w.object_class * object_class
            if kl is not None:
                total = total + w.latent_kl * kl
            terms = {
                "g_total": total,
                "g_pixel": pixel,
                "g_pixel_squared": squared,
                "g_adv": adversarial,
                "box_nll": nll,
                "box_size_l1": box_size,
                "attr_ce": attributes,
                **({"object_class_ce": object_class} if object_class is not None else {}),
                **({"latent_kl": kl} if kl is not None else {}),
            }
            return total, {k: float(v.detach()) for k, v in terms.items()}
        if phase == "D":
            with torch.no_grad():
                scene = self.model.encode(batch)
                fake = self.model.generate(z, scene, boxes)
                layout = self.model.layout_map(scene, boxes, real.shape[0])
            real_score = self._discriminate(real, layout, scene.graphs)
            fake_score = self._discriminate(fake, layout, scene.graphs)
            loss = F.relu(1.0 - real_score).mean() + F.relu(1.0 + fake_score).mean()
            terms = {"d_hinge": float(loss.detach())}
            object_class = self._object_class(real, scene, batch)
            if object_class is not None:
                loss = loss + object_class
                terms["object_class_ce_real"] = float(object_class.detach())
            return loss, terms
        raise ValueError(f"unknown phase {phase!r}; expected 'G' or 'D'")
