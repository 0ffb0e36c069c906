"""The invented concepts of ShapesWorld and the encyclopedia-like corpus that defines them.

The inventory is fixed (drawn once from :data:`WORLD_SEED`), so the shipped model, the
exported ``knowledge.txt`` and every split agree on what a "glorp" is. Which concepts are
held out for zero-shot evaluation is also fixed: :data:`ZERO_SHOT_CONCEPTS` never occur in
training captions or images.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shapes_world import spec

WORLD_SEED = 2026

#: Concept nouns; each takes a plain "-s" plural.
CONCEPT_NAMES = (
    "glorp", "zib", "blicket", "wug", "fep", "tove", "quib", "morp", "veek", "plonk",
    "grell", "dorb", "yant", "brill", "kest", "lume", "drom", "flib", "snorp", "trel",
)  # fmt: skip
ZERO_SHOT_CONCEPTS = ("brill", "kest", "lume", "snorp", "trel")

#: Adjectives that name a shape, used by definitions and captions ("Zibs are round").
SHAPE_ADJECTIVE = {"circle": "round", "square": "boxy", "triangle": "pointy"}

_FLAVOUR_PLACES = ("the northern hills", "Lake Ormund", "the city of Velm", "the Tarsk valley")
_FLAVOUR_PEOPLE = ("Ada Lindqvist", "Tomas Brev", "Mira Okafor", "Jon Halvard")


@dataclass(frozen=True)
class Concept:
    """An invented concept noun and the attributes its definition fixes.

    Attributes left as ``None`` are open: the scene decides them.
    """

    name: str
    shape: str | None = None
    colour: str | None = None
    size: str | None = None

    @property
    def plural(self) -> str:
        """The plural noun form."""
        return self.name + "s"

    def fixed(self) -> dict[str, str]:
        """The attributes the definition fixes, by attribute name."""
        values = {"shape": self.shape, "colour": self.colour, "size": self.size}
        return {k: v for k, v in values.items() if v is not None}

    def admits(self, shape: str, colour: str, size: str) -> bool:
        """Whether an object with these attributes can be an instance of the concept."""
        actual = {"shape": shape, "colour": colour, "size": size}
        return all(actual[k] == v for k, v in self.fixed().items())


def _draw_inventory() -> dict[str, Concept]:
    rng = random.Random(WORLD_SEED)
    patterns = [
        ("shape", "colour", "size"),
        ("shape", "colour", "size"),
        ("shape", "colour"),
        ("colour", "size"),
        ("shape", "size"),
        ("colour",),
        ("shape",),
    ]
    return {name: _random_concept(name, rng.choice(patterns), rng) for name in CONCEPT_NAMES}


def _random_concept(name: str, fixed: tuple[str, ...], rng: random.Random) -> Concept:
    """A concept fixing the attributes named in ``fixed`` to random values."""
    return Concept(
        name,
        shape=rng.choice(spec.SHAPES) if "shape" in fixed else None,
        colour=rng.choice(spec.COLOURS) if "colour" in fixed else None,
        size=rng.choice(spec.SIZES) if "size" in fixed else None,
    )


CONCEPTS: dict[str, Concept] = _draw_inventory()

_ONSETS = (
    "b",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "t",
    "v",
    "z",
    "br",
    "gl",
    "pl",
    "tr",
    "sn",
)
_VOWELS = ("a", "e", "i", "o", "u")
_CODAS = ("b", "d", "g", "k", "m", "n", "p", "rp", "t", "lk", "nd")
_FIXED_PATTERNS = (
    ("shape", "colour", "size"),
    ("shape", "colour"),
    ("colour", "size"),
    ("shape", "size"),
    ("colour",),
    ("shape",),
    ("size",),
)


def fresh_concept(rng: random.Random, taken: set[str] | None = None) -> Concept:
    """A newly invented concept with a random definition (for training augmentation).

    Its name is none of :data:`CONCEPT_NAMES` (so never a held-out zero-shot concept) and
    none of ``taken``; it fixes a random non-empty subset of the attributes.
    """
    taken = taken or set()
    while True:
        name = "".join(
            [rng.choice(_ONSETS), rng.choice(_VOWELS), rng.choice(_ONSETS), rng.choice(_VOWELS),
             rng.choice(_CODAS)]
        )  # fmt: skip
        if name not in CONCEPT_NAMES and name not in taken:
            break
    return _random_concept(name, rng.choice(_FIXED_PATTERNS), rng)


TRAIN_CONCEPTS = tuple(n for n in CONCEPT_NAMES if n not in ZERO_SHOT_CONCEPTS)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _article(next_word: str) -> str:
    return "an" if next_word[:1] in "aeiou" else "a"


def define(concept: Concept, rng: random.Random) -> str:
    """One paragraph that defines ``concept``, in one of several surface forms.

    Every form states exactly the concept's fixed attributes, so an extractor that reads
    the paragraph recovers :meth:`Concept.fixed`.
    """
    c, cs = concept.name, concept.plural
    fixed = concept.fixed()
    size_word = {"small": rng.choice(["small", "little"]), "large": rng.choice(["large", "big"])}
    adjectives = [size_word[fixed["size"]]] if "size" in fixed else []
    if "colour" in fixed:
        adjectives.append(fixed["colour"])
    sentences: list[str] = []
    form = rng.randrange(4)
    if "shape" in fixed and form in (0, 1):
        # "A glorp is a small red triangle." / "Every glorp is a big purple square."
        np_text = " ".join([*adjectives, fixed["shape"]])
        opener = "A" if form == 0 else "Every"
        sentences.append(f"{opener} {c} is {_article(np_text)} {np_text}.")
    elif "shape" in fixed and form == 2:
        # "A glorp is a kind of triangle. Glorps are small and red."
        sentences.append(f"A {c} is a kind of {fixed['shape']}.")
        if adjectives:
            sentences.append(f"{_capitalise(cs)} are {' and '.join(adjectives)}.")
    else:
        # "Zibs are large. A zib is green and round."
        predicates = list(adjectives)
        if "shape" in fixed:
            predicates.append(SHAPE_ADJECTIVE[fixed["shape"]])
        if len(predicates) >= 2:
            sentences.append(f"{_capitalise(cs)} are {predicates[0]}.")
            sentences.append(f"A {c} is {' and '.join(predicates[1:])}.")
        else:
            sentences.append(f"{_capitalise(cs)} are {predicates[0]}.")
    # Encyclopedic flavour that fixes no visual attribute but gives the KG more to hold.
    sentences.append(
        f"{_capitalise(cs)} were first described by {rng.choice(_FLAVOUR_PEOPLE)} "
        f"in {rng.choice(_FLAVOUR_PLACES)}."
    )
    return " ".join(sentences)


def knowledge_corpus(names: tuple[str, ...] | None = None, seed: int = WORLD_SEED) -> str:
    """The knowledge corpus: one defining paragraph per concept, separated by blank lines.

    Args:
        names: Concepts to include (default: all, in inventory order).
        seed: Chooses the surface forms; the facts stated do not depend on it.

    """
    rng = random.Random(seed)
    chosen = CONCEPT_NAMES if names is None else names
    return "\n\n".join(define(CONCEPTS[n], rng) for n in chosen) + "\n"
