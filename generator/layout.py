"""Layouts: per-object embeddings painted into their boxes (sg2im's layout map).

Each object occupies its box ``(cx, cy, w, h)``, widened by ``reach`` (so the generator
sees a little context around the edges). Inside that region an object contributes its
feature vector, a mask channel and its local coordinates ``(u, v) ∈ [-1, 1]²``, so a
per-pixel network can decide "inside this object?" from ``(u, v)`` and what the features
encode — for any aspect ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class ObjectLayout:
    """Objects of a batch of scenes.

    Attributes:
        features: ``(M, C)`` per-object conditioning vectors (from the GNN).
        batch: ``(M,)`` scene index of each object.
        boxes: ``(M, 4)`` centre x, centre y, width and height, as fractions of the image.
        num_scenes: ``B``, the batch size (scenes may have no objects).
    """

    features: Tensor
    batch: Tensor
    boxes: Tensor
    num_scenes: int

    def __post_init__(self) -> None:
        m = self.features.shape[0]
        if self.batch.shape != (m,) or self.boxes.shape != (m, 4):
            raise ValueError(
                f"layout shapes disagree: features {tuple(self.features.shape)}, batch "
                f"{tuple(self.batch.shape)}, boxes {tuple(self.boxes.shape)}"
            )


def paint_layout(layout: ObjectLayout, size: int, reach: float = 1.0) -> Tensor:
    """Render the layout map.

    Returns:
        ``(B, C + 3, size, size)``: summed object features, then mask, u, v channels.
    """
    device = layout.features.device
    # Geometry in the boxes' precision (fp32 under bf16 autocast too: a 64-px grid needs
    # more than bf16's 8 bits); the features join it at that precision.
    dtype = layout.boxes.dtype
    centres = (torch.arange(size, device=device, dtype=dtype) + 0.5) / size
    cx, cy = layout.boxes[:, 0], layout.boxes[:, 1]
    half_w = (reach * layout.boxes[:, 2] / 2).clamp_min(1e-3)
    half_h = (reach * layout.boxes[:, 3] / 2).clamp_min(1e-3)
    u = (centres[None, None, :] - cx[:, None, None]) / half_w[:, None, None]  # (M, 1, S)
    v = (centres[None, :, None] - cy[:, None, None]) / half_h[:, None, None]  # (M, S, 1)
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
        layout.num_scenes, per_object.shape[1], size, size, device=device, dtype=per_object.dtype
    )
    return out.index_add(0, layout.batch, per_object)
