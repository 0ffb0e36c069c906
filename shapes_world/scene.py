"""Scenes: objects with attributes and positions, and the relations that hold between them."""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass, field
from typing import Any

from shapes_world import spec
from shapes_world.geometry import shape_mask


@dataclass(frozen=True)
class SceneObject:
    """One object of a scene.

    Attributes:
        shape: One of :data:`spec.SHAPES`.
        colour: One of :data:`spec.COLOURS`.
        size: One of :data:`spec.SIZES`.
        x: Centre x as a fraction of the canvas width (image coordinates).
        y: Centre y as a fraction of the canvas width (y grows downward).
        concept: The invented concept this object instantiates, if any.

    """

    shape: str
    colour: str
    size: str
    x: float
    y: float
    concept: str | None = None

    def __post_init__(self) -> None:
        if self.shape not in spec.SHAPES:
            raise ValueError(f"unknown shape {self.shape!r}; expected one of {spec.SHAPES}")
        if self.colour not in spec.PALETTE:
            raise ValueError(f"unknown colour {self.colour!r}; expected one of {spec.COLOURS}")
        if self.size not in spec.SIZE_RADIUS:
            raise ValueError(f"unknown size {self.size!r}; expected one of {spec.SIZES}")

    @property
    def radius(self) -> float:
        """Radius as a fraction of the canvas width."""
        return spec.SIZE_RADIUS[self.size]


@dataclass(frozen=True, order=True)
class Relation:
    """A spatial relation ``subject predicate object`` between object indices."""

    subject: int
    predicate: str
    object: int

    def __post_init__(self) -> None:
        if self.predicate not in spec.RELATIONS:
            raise ValueError(f"unknown relation {self.predicate!r}")

    def inverse(self) -> Relation:
        """The same fact stated from the other object (``A left_of B`` → ``B right_of A``)."""
        return Relation(self.object, spec.INVERSE_RELATION[self.predicate], self.subject)


def relation_holds(predicate: str, a: SceneObject, b: SceneObject) -> bool:
    """Whether ``a predicate b`` holds by the spec's centre-distance rule."""
    return bool(spec.relation_holds_at(predicate, a.x, a.y, b.x, b.y))


def holding_relations(objects: tuple[SceneObject, ...]) -> tuple[Relation, ...]:
    """Every relation that holds between ordered pairs of distinct objects, sorted."""
    found = [
        Relation(i, p, j)
        for i, a in enumerate(objects)
        for j, b in enumerate(objects)
        if i != j
        for p in spec.RELATIONS
        if relation_holds(p, a, b)
    ]
    return tuple(sorted(found))


@dataclass(frozen=True)
class Scene:
    """Objects plus the full set of relations that hold between them."""

    objects: tuple[SceneObject, ...]
    relations: tuple[Relation, ...] = field(default=())

    @classmethod
    def from_objects(cls, objects: tuple[SceneObject, ...]) -> Scene:
        """Build a scene whose relations are exactly those that hold."""
        return cls(objects, holding_relations(objects))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: objects with ids and positions, relations as triples."""
        return {
            "objects": [{"id": i, **asdict(o)} for i, o in enumerate(self.objects)],
            "relations": [[r.subject, r.predicate, r.object] for r in self.relations],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scene:
        """Inverse of :meth:`to_json`."""
        objects = tuple(
            SceneObject(
                shape=o["shape"],
                colour=o["colour"],
                size=o["size"],
                x=float(o["x"]),
                y=float(o["y"]),
                concept=o.get("concept"),
            )
            for o in data["objects"]
        )
        relations = tuple(Relation(int(s), str(p), int(o)) for s, p, o in data["relations"])
        return cls(objects, relations)


#: How far a shape reaches from its centre, in radii: a triangle's base corners lie at
#: hypot(1.05, 0.8) ≈ 1.32 r, beyond the disc that the spec's distance rule assumes.
_REACH = {
    "circle": 1.0,
    "square": spec.SQUARE_HALF_SIDE * math.sqrt(2),
    "triangle": math.hypot(spec.TRIANGLE_HALF_BASE, spec.TRIANGLE_BASE_DROP),
}


def objects_overlap(a: SceneObject, b: SceneObject) -> bool:
    """Whether two objects violate the spec's non-overlap rule or touch in pixels.

    The spec's rule (centre distance > r1 + r2 + 0.02·W) is applied first; since a
    triangle reaches past its radius, pairs that could still touch are checked on the
    64 px masks, so that "no overlap" holds in the rendered image as well.
    """
    distance = math.hypot(a.x - b.x, a.y - b.y)
    if distance <= a.radius + b.radius + spec.GAP:
        return True
    if distance > _REACH[a.shape] * a.radius + _REACH[b.shape] * b.radius + spec.GAP:
        return False
    size = spec.CANVAS_SIZE
    mask_a = shape_mask(a.shape, a.x * size, a.y * size, a.radius * size, size)
    mask_b = shape_mask(b.shape, b.x * size, b.y * size, b.radius * size, size)
    return bool((mask_a & mask_b).any())


def place_objects(
    attributes: list[tuple[str, str, str, str | None]],
    rng: random.Random,
    max_tries: int = 100_000,
) -> tuple[SceneObject, ...]:
    """Draw centres for objects with the given (shape, colour, size, concept) until none overlap.

    Raises:
        RuntimeError: If no placement is found within ``max_tries`` redraws.

    """
    for _ in range(max_tries):
        objects = tuple(
            SceneObject(
                shape,
                colour,
                size,
                rng.uniform(spec.CENTRE_MIN, spec.CENTRE_MAX),
                rng.uniform(spec.CENTRE_MIN, spec.CENTRE_MAX),
                concept,
            )
            for shape, colour, size, concept in attributes
        )
        if not any(
            objects_overlap(objects[i], objects[j])
            for i in range(len(objects))
            for j in range(i + 1, len(objects))
        ):
            return objects
    raise RuntimeError(f"no non-overlapping placement found in {max_tries} tries")
