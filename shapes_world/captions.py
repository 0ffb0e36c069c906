"""Caption writer: many English surface forms for one scene graph.

A caption mentions every object with every attribute that its concept (if any) leaves
open, and states a subset of the relations that hold — never a false one. The graph it
states is returned beside the text, so captions and graphs always agree.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shapes_world.concepts import CONCEPTS, SHAPE_ADJECTIVE, Concept
from shapes_world.scene import Relation, Scene, SceneObject

RELATION_PHRASES: dict[str, tuple[str, ...]] = {
    "left_of": ("left of", "to the left of", "on the left of"),
    "right_of": ("right of", "to the right of", "on the right of"),
    "above": ("above", "over"),
    "below": ("below", "under", "beneath"),
}
SIZE_WORDS: dict[str, tuple[str, ...]] = {"small": ("small", "little"), "large": ("large", "big")}


@dataclass(frozen=True)
class StatedObject:
    """What a caption says about one object: its concept and the attributes it spells out."""

    concept: str | None
    shape: str | None
    colour: str | None
    size: str | None

    def to_json(self, index: int) -> dict[str, Any]:
        """A JSON-ready dict with the object's index as ``id``."""
        return {
            "id": index,
            "concept": self.concept,
            "shape": self.shape,
            "colour": self.colour,
            "size": self.size,
        }


@dataclass(frozen=True)
class CaptionGraph:
    """The graph a caption states: objects (indices match the scene) and relations."""

    objects: tuple[StatedObject, ...]
    relations: tuple[Relation, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "objects": [o.to_json(i) for i, o in enumerate(self.objects)],
            "relations": [[r.subject, r.predicate, r.object] for r in self.relations],
        }


def stated_object(obj: SceneObject, inventory: Mapping[str, Concept] = CONCEPTS) -> StatedObject:
    """The attributes a caption must spell out: all but those the object's concept fixes."""
    fixed = inventory[obj.concept].fixed() if obj.concept else {}
    return StatedObject(
        concept=obj.concept,
        shape=None if "shape" in fixed else obj.shape,
        colour=None if "colour" in fixed else obj.colour,
        size=None if "size" in fixed else obj.size,
    )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


class _Mentions:
    """Noun phrases for the objects: indefinite on first mention, definite afterwards."""

    def __init__(self, stated: tuple[StatedObject, ...], rng: random.Random) -> None:
        self.rng = rng
        self.stated = stated
        self.seen: set[int] = set()
        self.words = [self._words(o) for o in stated]

    def _words(self, o: StatedObject) -> list[str]:
        words = [self.rng.choice(SIZE_WORDS[o.size])] if o.size else []
        if o.colour:
            words.append(o.colour)
        if o.concept:
            if o.shape:
                words.append(SHAPE_ADJECTIVE[o.shape])
            words.append(o.concept)
        else:
            assert o.shape is not None
            words.append(o.shape)
        return words

    def noun(self, i: int) -> str:
        return self.words[i][-1]

    def noun_is_unique(self, i: int) -> bool:
        return sum(w[-1] == self.noun(i) for w in self.words) == 1

    def np(self, i: int) -> str:
        """The noun phrase for object ``i``, marking it mentioned."""
        text = " ".join(self.words[i])
        if i in self.seen:
            return "the " + text
        self.seen.add(i)
        return f"{_article(text)} {text}"

    def bare_intro(self, i: int) -> tuple[str, str]:
        """A first mention with only the noun, plus a sentence giving the rest after the noun.

        "There is a circle …. The circle is red and small." — the attributes after the noun.
        """
        self.seen.add(i)
        noun = self.noun(i)
        adjectives = self.words[i][:-1]
        rest = f" The {noun} is {' and '.join(reversed(adjectives))}." if adjectives else ""
        return f"{_article(noun)} {noun}", rest


def _phrase(predicate: str, rng: random.Random) -> str:
    return rng.choice(RELATION_PHRASES[predicate])


def _choose_relations(scene: Scene, rng: random.Random) -> list[Relation]:
    """A random non-empty (when possible) subset of the holding relations, randomly oriented.

    Only one of ``A left_of B`` / ``B right_of A`` is kept: they state the same fact.
    """
    canonical = [r for r in scene.relations if r.predicate in ("left_of", "above")]
    rng.shuffle(canonical)
    if not canonical:
        return []
    keep = canonical[: rng.randint(1, len(canonical))]
    return [r.inverse() if rng.random() < 0.5 else r for r in keep]


def write_caption(
    scene: Scene, rng: random.Random, inventory: Mapping[str, Concept] = CONCEPTS
) -> tuple[str, CaptionGraph]:
    """Write one caption for ``scene`` and return it with the graph it states.

    Args:
        scene: The scene.
        rng: Chooses the surface forms and the relations stated.
        inventory: The concepts the scene's objects may instantiate.
    """
    stated = tuple(stated_object(o, inventory) for o in scene.objects)
    relations = _choose_relations(scene, rng)
    mentions = _Mentions(stated, rng)
    sentences: list[str] = []
    pending = list(relations)
    while pending:
        rel = pending.pop(0)
        # Conjunction: "A and B are left of C" when another relation shares predicate+object.
        partner = next(
            (
                r
                for r in pending
                if r.predicate == rel.predicate
                and r.object == rel.object
                and r.subject != rel.subject
            ),
            None,
        )
        if partner is not None and rng.random() < 0.7:
            pending.remove(partner)
            a, b = mentions.np(rel.subject), mentions.np(partner.subject)
            sentences.append(
                f"{a} and {b} are {_phrase(rel.predicate, rng)} {mentions.np(rel.object)}."
            )
            continue
        # Relative clause: "A, which is left of B, is above C" when A is the next subject too.
        follow = next(
            (r for r in pending if r.subject == rel.subject and r.object != rel.object), None
        )
        if follow is not None and rng.random() < 0.6:
            pending.remove(follow)
            a = mentions.np(rel.subject)
            b = mentions.np(rel.object)
            c = mentions.np(follow.object)
            sentences.append(
                f"{a}, which is {_phrase(rel.predicate, rng)} {b}, "
                f"is {_phrase(follow.predicate, rng)} {c}."
            )
            continue
        form = rng.randrange(4)
        if form == 0 and rel.subject not in mentions.seen and mentions.noun_is_unique(rel.subject):
            # Attributes after the noun: "There is a circle left of …. The circle is red."
            intro, rest = mentions.bare_intro(rel.subject)
            obj = mentions.np(rel.object)
            sentences.append(f"there is {intro} {_phrase(rel.predicate, rng)} {obj}.{rest}")
        elif form == 1 and rel.subject not in mentions.seen:
            a = mentions.np(rel.subject)
            sentences.append(
                f"there is {a} {_phrase(rel.predicate, rng)} {mentions.np(rel.object)}."
            )
        else:
            a = mentions.np(rel.subject)
            sentences.append(f"{a} is {_phrase(rel.predicate, rng)} {mentions.np(rel.object)}.")
    unmentioned = [i for i in range(len(stated)) if i not in mentions.seen]
    if unmentioned:
        nps = [mentions.np(i) for i in unmentioned]
        listed = nps[0] if len(nps) == 1 else ", ".join(nps[:-1]) + " and " + nps[-1]
        also = " also" if sentences else ""
        sentences.append(f"there is{also} {listed}.")
    text = " ".join(s[0].upper() + s[1:] for s in sentences)
    return text, CaptionGraph(stated, tuple(relations))


def graph_holds_in(graph: CaptionGraph, scene: Scene) -> bool:
    """Whether every relation the caption states holds in the scene."""
    return all(r in scene.relations for r in graph.relations)


__all__ = [
    "RELATION_PHRASES",
    "SIZE_WORDS",
    "CaptionGraph",
    "StatedObject",
    "graph_holds_in",
    "stated_object",
    "write_caption",
]
