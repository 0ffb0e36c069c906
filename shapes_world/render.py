"""Pixel-exact rendering of scenes: flat colours, no anti-aliasing, black background.

A pixel belongs to a shape when its centre ``(x + 0.5, y + 0.5)`` lies inside the shape's
geometry, so the renders can be checked against the spec pixel by pixel.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from shapes_world import spec
from shapes_world.geometry import shape_mask
from shapes_world.scene import Scene, SceneObject


def object_mask(obj: SceneObject, size: int = spec.CANVAS_SIZE) -> np.ndarray:
    """Boolean ``(size, size)`` mask of the pixels the object covers."""
    return shape_mask(obj.shape, obj.x * size, obj.y * size, obj.radius * size, size)


def render_array(scene: Scene, size: int = spec.CANVAS_SIZE) -> np.ndarray:
    """Render to a ``(size, size, 3)`` uint8 RGB array."""
    canvas = np.zeros((size, size, 3), dtype=np.uint8)
    canvas[:] = spec.BACKGROUND
    for obj in scene.objects:
        canvas[object_mask(obj, size)] = spec.PALETTE[obj.colour]
    return canvas


def render(scene: Scene, size: int = spec.CANVAS_SIZE) -> Image.Image:
    """Render to a PIL RGB image of ``size``×``size`` pixels (64 by the spec)."""
    return Image.fromarray(render_array(scene, size))
