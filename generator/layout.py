"""Layouts: per-object embeddings painted into their boxes (sg2im's layout map).

Each object occupies a square box of half-side ``BOX_REACH · r`` around its centre — wide
enough to hold every ShapesWorld shape (a triangle's corners reach 1.32 r). Inside its box
an object contributes its feature vector, a mask channel and its local coordinates
``(u, v) ∈ [-1, 1]²``, so a per-pixel network can decide "inside this shape?" from
``(u, v)`` and the shape the features encode.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

BOX_REACH = 1.35


@dataclass
class ObjectLayout:
    """Objects of a batch of scenes.

    Attributes:
        features: ``(M, C)`` per-object conditioning vectors (from the GNN).
        batch: ``(M,)`` scene index of each object.
        boxes: ``(M, 3)`` centre x, centre y and radius, as fractions of the image width.
        num_scenes: ``B``, the batch size (scenes may have no objects).
    """

    features: Tensor
    batch: Tensor
    boxes: Tensor
    num_scenes: int

    def __post_init__(self) -> None:
        m = self.features.shape[0]
        if self.batch.shape != (m,) or self.boxes.shape != (m, 3):
            raise ValueError(
                f"layout shapes disagree: features {tuple(self.features.shape)}, batch "
                f"{tuple(self.batch.shape)}, boxes {tuple(self.boxes.shape)}"
            )


def paint_layout(layout: ObjectLayout, size: int) -> Tensor:
    """Render the layout map.

    Returns:
        ``(B, C + 3, size, size)``: summed object features, then mask, u, v channels.
    """
    device = layout.features.device
    dtype = layout.features.dtype
    centres = (torch.arange(size, device=device, dtype=dtype) + 0.5) / size
    cx, cy, r = layout.boxes[:, 0], layout.boxes[:, 1], layout.boxes[:, 2]
    half = (BOX_REACH * r).clamp_min(1e-3)
    u = (centres[None, None, :] - cx[:, None, None]) / half[:, None, None]  # (M, 1, S)
    v = (centres[None, :, None] - cy[:, None, None]) / half[:, None, None]  # (M, S, 1)
    inside = ((u.abs() <= 1) & (v.abs() <= 1)).to(dtype)  # (M, S, S)
    u_map = u.expand(-1, size, -1) * inside
    v_map = v.expand(-1, -1, size) * inside
    per_object = torch.cat(
        [
            layout.features[:, :, None, None] * inside[:, None],
            inside[:, None],
            u_map[:, None],
            v_map[:, None],
        ],
        dim=1,
    )  # (M, C + 3, S, S)
    out = torch.zeros(
        layout.num_scenes, per_object.shape[1], size, size, device=device, dtype=dtype
    )
    return out.index_add(0, layout.batch, per_object)
