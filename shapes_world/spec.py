"""The fixed numbers of ShapesWorld v1 (``shared/spec/shapes-world.md``).

An outside judge scores generated images against these values, so they live in one place
and nothing else in the project restates them.
"""

from __future__ import annotations

from typing import Any, Final

CANVAS_SIZE: Final = 64
BACKGROUND: Final = (0, 0, 0)

PALETTE: Final[dict[str, tuple[int, int, int]]] = {
    "red": (220, 40, 40),
    "green": (40, 180, 60),
    "blue": (40, 80, 220),
    "yellow": (230, 210, 40),
    "purple": (150, 60, 190),
    "orange": (240, 140, 30),
    "cyan": (40, 200, 210),
    "gray": (140, 140, 140),
}
COLOURS: Final = tuple(sorted(PALETTE))
SHAPES: Final = ("circle", "square", "triangle")
SIZES: Final = ("large", "small")
#: Object radius as a fraction of the canvas width.
SIZE_RADIUS: Final[dict[str, float]] = {"small": 0.11, "large": 0.20}

#: Square half-side as a multiple of the radius.
SQUARE_HALF_SIDE: Final = 0.9
#: Triangle base corners are (cx ± TRIANGLE_HALF_BASE·r, cy + TRIANGLE_BASE_DROP·r).
TRIANGLE_HALF_BASE: Final = 1.05
TRIANGLE_BASE_DROP: Final = 0.8

#: Object centres are uniform in [CENTRE_MIN, CENTRE_MAX]·W on both axes.
CENTRE_MIN: Final = 0.22
CENTRE_MAX: Final = 0.78
#: Non-overlap: distance(centres) > r1 + r2 + GAP·W.
GAP: Final = 0.02
MIN_OBJECTS: Final = 1
MAX_OBJECTS: Final = 3

#: A relation holds when the centres differ by more than this fraction of W.
RELATION_MARGIN: Final = 0.1
RELATIONS: Final = ("above", "below", "left_of", "right_of")


def relation_holds_at(predicate: str, ax: Any, ay: Any, bx: Any, by: Any) -> Any:
    """Whether ``A predicate B`` holds for centres ``(ax, ay)``, ``(bx, by)`` (fractions of W).

    Works elementwise on floats, numpy arrays and torch tensors alike, so the sampler, the
    scene generator and the judge share one rule.
    """
    from generator.placement import relation_holds_at as holds  # the generic rule

    found = holds(predicate, ax, ay, bx, by, RELATION_MARGIN)
    if found is None:
        raise ValueError(f"unknown relation {predicate!r}")
    return found


INVERSE_RELATION: Final[dict[str, str]] = {
    "left_of": "right_of",
    "right_of": "left_of",
    "above": "below",
    "below": "above",
}
