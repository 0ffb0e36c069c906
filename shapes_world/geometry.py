"""Which pixels a shape covers: the spec's geometry evaluated at pixel centres."""

from __future__ import annotations

import numpy as np

from shapes_world import spec


def shape_mask(shape: str, cx: float, cy: float, r: float, size: int) -> np.ndarray:
    """Boolean ``(size, size)`` mask of the pixels whose centre lies inside the shape.

    Args:
        shape: One of :data:`spec.SHAPES`.
        cx: Centre x in pixels.
        cy: Centre y in pixels (y grows downward).
        r: Radius in pixels.
        size: Canvas width and height in pixels.

    """
    centres = np.arange(size, dtype=np.float64) + 0.5
    px = centres[None, :]
    py = centres[:, None]
    if shape == "circle":
        return np.asarray((px - cx) ** 2 + (py - cy) ** 2 <= r * r)
    if shape == "square":
        h = spec.SQUARE_HALF_SIDE * r
        return np.asarray((np.abs(px - cx) <= h) & (np.abs(py - cy) <= h))
    if shape == "triangle":
        apex = (cx, cy - r)
        left = (cx - spec.TRIANGLE_HALF_BASE * r, cy + spec.TRIANGLE_BASE_DROP * r)
        right = (cx + spec.TRIANGLE_HALF_BASE * r, cy + spec.TRIANGLE_BASE_DROP * r)
        return _inside_triangle(px, py, apex, left, right)
    raise ValueError(f"unknown shape {shape!r}")


def _inside_triangle(
    px: np.ndarray,
    py: np.ndarray,
    a: tuple[float, float],
    b: tuple[float, float],
    c: tuple[float, float],
) -> np.ndarray:
    def edge(p: tuple[float, float], q: tuple[float, float]) -> np.ndarray:
        return np.asarray((q[0] - p[0]) * (py - p[1]) - (q[1] - p[1]) * (px - p[0]))

    d1, d2, d3 = edge(a, b), edge(b, c), edge(c, a)
    has_neg = (d1 < 0) | (d2 < 0) | (d3 < 0)
    has_pos = (d1 > 0) | (d2 > 0) | (d3 > 0)
    return np.asarray(~(has_neg & has_pos))
