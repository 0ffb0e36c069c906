"""Where objects may go: placement constraints learned from a data set, and layout sampling.

Boxes are ``(cx, cy, w, h)`` fractions of the image. The constraints — where centres lie,
how large boxes are, how close two boxes come, how clearly a spatial relation holds — are
measured on the training annotations (:meth:`PlacementConfig.from_boxes`) and saved with
the model; nothing here knows any particular world.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor

#: Predicates with a geometric meaning (by box centres); others constrain nothing.
SPATIAL_RELATIONS = ("above", "below", "left_of", "right_of")


def relation_holds_at(predicate: str, ax: Any, ay: Any, bx: Any, by: Any, margin: float) -> Any:
    """Whether ``A predicate B`` holds for centres ``(ax, ay)``, ``(bx, by)``.

    Works elementwise on floats and tensors. ``None`` for a non-spatial predicate.
    """
    if predicate == "left_of":
        return ax < bx - margin
    if predicate == "right_of":
        return ax > bx + margin
    if predicate == "above":
        return ay < by - margin
    if predicate == "below":
        return ay > by + margin
    return None


def derive_relation(a: Sequence[float], b: Sequence[float]) -> str | None:
    """The spatial relation of box ``a`` to box ``b`` (``x0, y0, x1, y1``), as sg2im derives it.

    ``inside``/``surrounding`` when one box holds the other's centre region, else the
    direction of ``a``'s centre from ``b``'s (the larger axis decides); ``None`` when the
    centres coincide.
    """
    if a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]:
        return "inside"
    if b[0] >= a[0] and b[1] >= a[1] and b[2] <= a[2] and b[3] <= a[3]:
        return "surrounding"
    dx = (a[0] + a[2]) / 2 - (b[0] + b[2]) / 2
    dy = (a[1] + a[3]) / 2 - (b[1] + b[3]) / 2
    if dx == dy == 0:
        return None
    if abs(dx) >= abs(dy):
        return "left_of" if dx < 0 else "right_of"
    return "above" if dy < 0 else "below"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.floor(q * (len(ordered) - 1))))]


@dataclass(frozen=True)
class PlacementConfig:
    """Placement constraints of a model (fractions of the image).

    Attributes:
        centre_min: Smallest box centre coordinate (both axes).
        centre_max: Largest box centre coordinate.
        size_min: Smallest box width or height.
        size_max: Largest box width or height.
        gap: Least separation of two boxes (the larger axis gap; negative: they may
            overlap that deep); ``None``: overlaps are not constrained.
        relation_margin: How far apart two centres must be for a spatial relation.
    """

    centre_min: float = 0.0
    centre_max: float = 1.0
    size_min: float = 0.02
    size_max: float = 1.0
    gap: float | None = None
    relation_margin: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.centre_min <= self.centre_max <= 1.0:
            raise ValueError("placement: expected 0 <= centre_min <= centre_max <= 1")
        if not 0.0 < self.size_min <= self.size_max <= 1.0:
            raise ValueError("placement: expected 0 < size_min <= size_max <= 1")
        if not 0.0 <= self.relation_margin <= 1.0:
            raise ValueError("placement: expected 0 <= relation_margin <= 1")
        if self.gap is not None and not -1.0 <= self.gap <= 1.0:
            raise ValueError("placement: expected -1 <= gap <= 1 (or null)")

    @classmethod
    def from_boxes(
        cls,
        boxes: Iterable[tuple[float, float, float, float]],
        pair_separations: Iterable[float],
        relation_distances: Iterable[float],
    ) -> PlacementConfig:
        """Constraints as the training data shows them.

        Args:
            boxes: Every object's ``(cx, cy, w, h)``.
            pair_separations: :func:`pipeline.annotations.box_separation` of every pair of
                objects within an image.
            relation_distances: For every annotated spatial relation, how far its centres
                are apart along the relation's axis.

        Centres and sizes span what the data has. The gap and the relation margin are the
        data's 10th percentiles: drawn objects keep as far apart, and a drawn relation is as
        clear, as in nine training pairs out of ten (the closest pairs of a data set drawn
        apart, such as diagonal neighbours whose boxes touch, would otherwise let layouts
        overlap).
        """
        found = list(boxes)
        if not found:
            return cls()
        centres = [c for b in found for c in b[:2]]
        sizes = [s for b in found for s in b[2:]]
        separations = list(pair_separations)
        distances = [d for d in relation_distances if d > 0]
        return cls(
            centre_min=round(max(0.0, min(centres)), 4),
            centre_max=round(min(1.0, max(centres)), 4),
            size_min=round(max(0.005, min(sizes)), 4),
            size_max=round(min(1.0, max(sizes)), 4),
            gap=round(max(-1.0, _quantile(separations, 0.1)), 4) if separations else None,
            relation_margin=round(_quantile(distances, 0.1), 4) if distances else 0.0,
        )


def relation_distance(predicate: str, a: Sequence[float], b: Sequence[float]) -> float | None:
    """How far ``a``'s centre lies from ``b``'s in the direction ``predicate`` says.

    ``a`` and ``b`` are ``(cx, cy, …)``; ``None`` for a non-spatial predicate.
    """
    if predicate == "left_of":
        return b[0] - a[0]
    if predicate == "right_of":
        return a[0] - b[0]
    if predicate == "above":
        return b[1] - a[1]
    if predicate == "below":
        return a[1] - b[1]
    return None


def violations(
    boxes: Tensor, relations: Sequence[tuple[int, str, int]], config: PlacementConfig
) -> Tensor:
    """Broken constraints per candidate layout: ``boxes`` is ``(K, M, 4)`` ``(cx, cy, w, h)``.

    Pairs are compared all at once as ``(K, M, M)`` tensors.
    """
    count = torch.zeros(boxes.shape[0])
    for a, name, b in relations:
        holds = relation_holds_at(
            name,
            boxes[:, a, 0],
            boxes[:, a, 1],
            boxes[:, b, 0],
            boxes[:, b, 1],
            config.relation_margin,
        )
        if holds is not None:
            count += (~holds).float()
    m = boxes.shape[1]
    if m > 1 and config.gap is not None:
        centre, half = boxes[..., :2], boxes[..., 2:] / 2
        # Per axis: distance between centres minus both half sizes = the gap on that axis.
        axis_gap = (centre[:, :, None] - centre[:, None]).abs() - (half[:, :, None] + half[:, None])
        separation = axis_gap.max(dim=-1).values  # (K, M, M)
        upper = torch.triu(torch.ones(m, m, dtype=torch.bool), diagonal=1)
        count += ((separation < config.gap) & upper).sum(dim=(1, 2)).float()
    return count


def sample_boxes(
    mean: Tensor,
    log_std: Tensor,
    size: Tensor,
    relations: Sequence[tuple[int, str, int]],
    config: PlacementConfig,
    generator: torch.Generator,
    candidates: int = 256,
) -> Tensor:
    """Draw one layout from the predicted centre distributions.

    A draw is kept only if it satisfies the graph's spatial relations and the gap (failing
    that, the draw with the fewest violations; the first such, so a seed gives one result).

    Returns:
        ``(M, 4)`` boxes ``(cx, cy, w, h)``.
    """
    m = mean.shape[0]
    noise = torch.randn(candidates, m, 2, generator=generator)
    xy = (mean[None] + log_std.exp()[None] * noise).clamp(config.centre_min, config.centre_max)
    boxes = torch.cat([xy, size[None].expand(candidates, -1, -1)], dim=-1)
    best = int(torch.argmin(violations(boxes, relations, config)))
    return boxes[best]
