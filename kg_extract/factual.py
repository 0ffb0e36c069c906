"""Scene graphs in FACTUAL's textual format, for comparison with other parsers.

FACTUAL (Li et al., Findings of ACL 2023) writes a caption's graph as
``( subject , predicate , object ) , ( entity , is , attribute ) , ( entity )``: entities by
their noun (with compounds), attributes and counts as ``is`` tuples (``( dogs , is , 2 )``),
relations by verb lemma and preposition (``sit on``). :func:`factual_graph` writes a
:class:`~kg_extract.scene_parser.SceneParse` that way; :func:`parse_captions` reads
captions with the same parser and lexicon as extraction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language

from kg_extract.lexicon import DEFAULT_LEXICON, load_lexicon
from kg_extract.scene_parser import SceneContext, SceneParse, parse_scene

#: Written for a caption whose graph is empty (the official evaluator needs a tuple).
EMPTY_GRAPH = "( )"
_DROPPED_WORDS = {"the", "a", "an"}


def _clean(text: str) -> str:
    """Words without parentheses or commas, which the format uses as delimiters."""
    words = text.replace("(", " ").replace(")", " ").replace(",", " ").split()
    return " ".join(w for w in words if w.lower() not in _DROPPED_WORDS) or "thing"


def factual_graph(parses: Iterable[SceneParse]) -> str:
    """One caption's scene graph (its sentences' parses) in FACTUAL's textual format.

    Objects from one plural phrase ("two dogs") become one entity with a count tuple;
    objects with the same name are told apart only by position, as FACTUAL does.
    """
    tuples: list[str] = []
    seen: set[str] = set()

    def emit(item: str) -> None:
        if item not in seen:
            seen.add(item)
            tuples.append(item)

    for parse in parses:
        names: dict[int, str] = {}
        groups: dict[int, list[int]] = {}
        for index, obj in enumerate(parse.objects):
            if obj.reused:
                continue
            groups.setdefault(obj.group, []).append(index)
            names[index] = _clean(obj.surface)
        related: set[int] = set()
        for members in groups.values():
            first = members[0]
            mention = parse.objects[first].mention
            name = names[first]
            for attribute in parse.objects[first].attributes:
                emit(f"( {name} , is , {_clean(attribute)} )")
                related.add(first)
            if mention.count is not None and mention.count > 1:
                emit(f"( {name} , is , {mention.count} )")
                related.add(first)
        for subject, word, _start, _end in parse.predicates:
            if subject in names:
                emit(f"( {names[subject]} , is , {_clean(word)} )")
                related.add(subject)
        for relation in parse.relations:
            if relation.subject in names and relation.object in names:
                s = _representative(parse, relation.subject)
                o = _representative(parse, relation.object)
                emit(f"( {names[s]} , {_clean(relation.predicate)} , {names[o]} )")
                related |= {s, o}
        for members in groups.values():
            first = members[0]
            if first not in related and not any(m in related for m in members):
                emit(f"( {names[first]} )")
    return " , ".join(tuples) if tuples else EMPTY_GRAPH


def _representative(parse: SceneParse, index: int) -> int:
    """The first object of ``index``'s plural phrase (FACTUAL names the group once)."""
    group = parse.objects[index].group
    return next(i for i, o in enumerate(parse.objects) if o.group == group and not o.reused)


def parse_captions(
    nlp: Language, captions: Iterable[str], lexicon_path: Path = DEFAULT_LEXICON
) -> Iterator[str]:
    """FACTUAL-format graphs of ``captions``, one per caption, in order.

    Every sentence is read by the scene parser (a caption is a description, so the
    routing that leaves encyclopedic sentences to the dependency rules is not applied).
    """
    lexicon = load_lexicon(lexicon_path)
    for doc in nlp.pipe(captions, batch_size=64):
        context = SceneContext(lexicon)
        yield factual_graph(parse_scene(sentence, context) for sentence in doc.sents)
