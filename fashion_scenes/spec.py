"""The fixed numbers of FashionScenes (``shared/spec/fashion-scenes.md``).

An outside judge scores generated images against these values, so they live in one place
and nothing else in the project restates them.
"""

from __future__ import annotations

from typing import Final

CANVAS_SIZE: Final = 64
#: Fashion-MNIST label → the class's name in captions.
CLASS_NAMES: Final = (
    "t-shirt",
    "trousers",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)
#: The WordNet 3.0 synsets of each class (NLTK-style names), in label order.
CLASS_SYNSETS: Final[tuple[tuple[str, ...], ...]] = (
    ("jersey.n.03",),
    ("trouser.n.01",),
    ("pullover.n.01",),
    ("dress.n.01",),
    ("coat.n.01",),
    ("sandal.n.01",),
    ("shirt.n.01",),
    ("gym_shoe.n.01",),
    ("bag.n.04", "bag.n.01"),
    ("boot.n.01",),
)
#: Where a class's closure leaves out another class's subtree (shirt less T-shirt).
CLASS_EXCLUDES: Final[dict[int, tuple[str, ...]]] = {6: ("jersey.n.03",)}

PALETTE: Final[dict[str, tuple[int, int, int]]] = {
    "white": (235, 235, 235),
    "red": (220, 40, 40),
    "green": (40, 180, 60),
    "blue": (40, 80, 220),
    "yellow": (230, 210, 40),
    "purple": (150, 60, 190),
    "orange": (240, 140, 30),
    "cyan": (40, 200, 210),
}
COLOURS: Final = tuple(sorted(PALETTE))
#: A caption that names no colour means this one.
DEFAULT_COLOUR: Final = "white"
#: Item side in pixels: ``large`` is the photo as it is, ``small`` resized (bilinear).
SIZE_PIXELS: Final[dict[str, int]] = {"large": 28, "small": 20}
SIZES: Final = ("large", "small")
#: The judge reads an item as large from this extent (pixels) up.
LARGE_FROM_PIXELS: Final = 25
MIN_ITEMS: Final = 1
MAX_ITEMS: Final = 3
#: Boxes are at least this many pixels apart on one axis.
GAP_PIXELS: Final = 4
#: A relation holds when the box centres differ by more than this fraction of the canvas.
RELATION_MARGIN: Final = 0.1
RELATIONS: Final = ("above", "below", "left_of", "right_of")
