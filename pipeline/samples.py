"""Image grids and tensor ↔ PNG conversion."""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image
from torch import Tensor


def to_uint8(images: Tensor) -> np.ndarray:
    """``(B, 3, H, W)`` in ``[-1, 1]`` → ``(B, H, W, 3)`` uint8."""
    scaled = ((images.detach().float().cpu().clamp(-1, 1) + 1) * 127.5).round()
    return scaled.to(torch.uint8).permute(0, 2, 3, 1).numpy()


def upscale(pixels: np.ndarray, size: int) -> Image.Image:
    """One ``(H, W, 3)`` image resized to ``size`` px with nearest-neighbour sampling."""
    image = Image.fromarray(pixels)
    if image.size != (size, size):
        image = image.resize((size, size), Image.Resampling.NEAREST)
    return image


def image_grid_png(images: Tensor, columns: int, cell: int = 64, pad: int = 2) -> bytes:
    """A PNG grid of images, each scaled to ``cell`` px."""
    pixels = to_uint8(images)
    rows = (len(pixels) + columns - 1) // columns
    grid = Image.new("RGB", (columns * (cell + pad) + pad, rows * (cell + pad) + pad), (60, 60, 60))
    for i, p in enumerate(pixels):
        r, c = divmod(i, columns)
        grid.paste(upscale(p, cell), (pad + c * (cell + pad), pad + r * (cell + pad)))
    buffer = io.BytesIO()
    grid.save(buffer, format="PNG")
    return buffer.getvalue()
