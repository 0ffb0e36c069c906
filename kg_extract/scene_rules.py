"""The scene grammar: copular sentences about objects, their attributes and positions.

It covers the sentences that describe what things look like and where they are:

- descriptions: "A small red circle is to the left of a big blue square.",
  "There is a circle left of a glorp. The circle is red.", "A red circle and a blue square
  are above a gray triangle.", "A circle, which is over a square, is left of a glorp.";
- definitions (generic sentences): "A glorp is a small red triangle.", "Zibs are large.",
  "Every zib is a kind of circle.", "A fep is green and round.".

The grammar claims a sentence only when it explains every word; anything else is left to
the dependency rules (:mod:`kg_extract.general_rules`). Words are classified with the
lexicon, so invented nouns ("glorp") work even where the tagger guesses wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg_extract.facts import DocumentFacts, Fact, Node
from kg_extract.lexicon import Lexicon

_DETERMINERS = {
    "a": "indefinite",
    "an": "indefinite",
    "the": "definite",
    "every": "generic",
    "each": "generic",
    "all": "generic",
}
_COPULAS = {"is": False, "are": True, "'s": False}  # word → plural
_KIND_WORDS = {"kind", "type", "sort"}
_PRONOUNS = {"it"}
_RELATIVE = {"which", "that"}
_FILLERS = {"also"}
_PUNCT = {",", "."}
# Words that end a noun phrase and never head one.
_CLOSED_CLASS = {
    *_DETERMINERS,
    *_COPULAS,
    *_RELATIVE,
    *_FILLERS,
    *_PRONOUNS,
    "and",
    "of",
    "to",
    "on",
    "there",
    "not",
    "kind",
    "type",
    "sort",
    "top",
    "was",
    "were",
    "be",
}


#: Rules whose facts come from the clause's predicate (and so fall under its negation).
_CLAUSE_RULES = {"spatial", "predicative", "definition"}


@dataclass
class Mention:
    """A noun phrase: determiner, lexicon modifiers and a head noun."""

    start: int  # token index within the sentence
    end: int  # exclusive
    determiner: str | None  # indefinite / definite / generic / None (bare)
    modifiers: list[tuple[str, str]]
    head: str  # lemma, lowercase
    plural: bool
    pronoun: bool = False


@dataclass
class _Instance:
    node: Node
    shape: str | None = None
    concept: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


class SceneContext:
    """Per-document state: the objects introduced so far, for definite reference."""

    def __init__(self, lexicon: Lexicon, known_concepts: set[str] | None = None) -> None:
        self.lexicon = lexicon
        self.instances: list[_Instance] = []
        #: Concept nouns met so far in the document (shared with the dependency rules).
        self.known_concepts = known_concepts if known_concepts is not None else set()

    def new_instance(self) -> _Instance:
        """Introduce a new object in the document."""
        instance = _Instance(Node("instance", str(len(self.instances))))
        self.instances.append(instance)
        return instance

    def resolve(self, mention: Mention) -> _Instance | None:
        """The most recent object that the definite mention can describe."""
        if mention.pronoun:
            return self.instances[-1] if self.instances else None
        shape = self.lexicon.shape_nouns.get(mention.head)
        for instance in reversed(self.instances):
            if shape is not None and instance.shape not in (None, shape):
                continue
            if shape is None and instance.concept != mention.head:
                continue
            if shape is not None and instance.shape is None and instance.concept is not None:
                continue
            if all(instance.attributes.get(a, v) == v for a, v in mention.modifiers):
                return instance
        return None


def _lemma_of_plural(token: Token) -> str:
    word = token.text.lower()
    lemma = token.lemma_.lower()
    if lemma != word and lemma.isalpha():
        return lemma
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


class _Sentence:
    """Token classification of one sentence against the lexicon."""

    def __init__(self, span: Span, lexicon: Lexicon) -> None:
        self.span = span
        self.tokens = [t for t in span if not t.is_space]
        self.words = [t.text.lower() for t in self.tokens]
        self.lexicon = lexicon

    def relation_at(self, i: int) -> tuple[str, int] | None:
        """``(predicate, end)`` of the longest spatial phrase starting at word ``i``."""
        return self.lexicon.relation_at(self.words, i)

    def mention_at(self, i: int, sentence_start: bool) -> Mention | None:
        words = self.words
        if words[i] in _PRONOUNS:
            return Mention(i, i + 1, "definite", [], words[i], False, pronoun=True)
        determiner = _DETERMINERS.get(words[i])
        k = i + 1 if determiner else i
        # "a kind of triangle": the noun after "kind of" heads the phrase.
        if determiner and k + 1 < len(words) and words[k] in _KIND_WORDS and words[k + 1] == "of":
            k += 2
        modifiers: list[tuple[str, str]] = []
        while k < len(words) and self.lexicon.attribute_of(words[k]) is not None:
            attribute = self.lexicon.attribute_of(words[k])
            assert attribute is not None
            modifiers.append(attribute)
            k += 1
        if k >= len(words) or not self.tokens[k].is_alpha or words[k] in _CLOSED_CLASS:
            return None
        if self.relation_at(k) is not None or self.lexicon.attribute_of(words[k]) is not None:
            return None
        if determiner is None and not (sentence_start and not modifiers):
            return None  # bare nouns only as a generic plural subject ("Zibs are large.")
        token = self.tokens[k]
        shape = self.lexicon.shape_nouns.get(words[k])
        plural = token.tag_ in ("NNS", "NNPS") or (determiner is None and words[k].endswith("s"))
        if shape is not None:
            head = shape
        elif plural:
            head = _lemma_of_plural(token)
        else:
            head = words[k]
        return Mention(i, k + 1, determiner, modifiers, head, plural)


@dataclass
class _Clause:
    subjects: list[Mention] = field(default_factory=list)
    existential: bool = False
    copula_plural: bool | None = None


def parse_scene_sentence(
    span: Span,
    sentence_index: int,
    context: SceneContext,
    out: DocumentFacts,
) -> bool:
    """Extract facts from one sentence if the scene grammar explains all of it.

    Returns:
        Whether the sentence was claimed (facts appended to ``out``); ``False`` leaves
        the sentence, and ``out``, untouched for other rules.
    """
    s = _Sentence(span, context.lexicon)
    items = _tokenise(s)
    if items is None:
        return False
    plan = _plan(items)
    if plan is None:
        return False
    _emit(plan, s, sentence_index, context, out)
    return True


# An item is ("M", Mention) | ("R", predicate) | ("ADJ", (attribute, value)) | (word, None)
_Item = tuple[str, object, int, int]  # kind, payload, start token, end token


def _tokenise(s: _Sentence) -> list[_Item] | None:
    items: list[_Item] = []
    i = 0
    while i < len(s.words):
        word = s.words[i]
        relation = s.relation_at(i)
        if relation is not None:
            items.append(("R", relation[0], i, relation[1]))
            i = relation[1]
            continue
        mention = s.mention_at(i, sentence_start=not items)
        if mention is not None:
            items.append(("M", mention, mention.start, mention.end))
            i = mention.end
            continue
        attribute = s.lexicon.attribute_of(word)
        if attribute is not None:
            items.append(("ADJ", attribute, i, i + 1))
        elif (
            word in _COPULAS
            or word in {"there", "and", "not", *_RELATIVE, *_FILLERS}
            or word in _PUNCT
        ):
            items.append((word, None, i, i + 1))
        else:
            return None  # a word the grammar cannot explain
        i += 1
    return items


@dataclass
class _Plan:
    """What a sentence states, in terms of mentions."""

    subjects: list[Mention]
    existential: bool
    relations: list[tuple[Mention, str, Mention, int, int]]  # subj, pred, obj, tok span
    adjectives: list[tuple[str, str]]
    predicate_nominal: Mention | None
    negated: bool
    extra_mentions: list[Mention]


def _plan(items: list[_Item]) -> _Plan | None:
    """Walk the items of a sentence; ``None`` if they do not form a supported clause."""
    subjects: list[Mention] = []
    relations: list[tuple[Mention, str, Mention, int, int]] = []
    adjectives: list[tuple[str, str]] = []
    extra: list[Mention] = []
    predicate_nominal: Mention | None = None
    existential = False
    main_copula = False
    negated = False
    antecedent: Mention | None = None  # inside ", which is …,"
    pending: tuple[list[Mention], str, int] | None = None
    last_mention: Mention | None = None
    for index, (kind, payload, start, _end) in enumerate(items):
        if kind == "there" and index == 0:
            existential = True
        elif kind in _COPULAS:
            if antecedent is None:
                if main_copula and not existential:
                    return None
                main_copula = True
        elif kind in _RELATIVE:
            if last_mention is None:
                return None
            antecedent = last_mention
        elif kind == ",":
            antecedent = None if pending is None else antecedent
        elif kind == "not":
            negated = True
        elif kind == "R":
            if antecedent is not None:
                holders = [antecedent]
            elif existential and subjects:
                holders = [subjects[-1]]
            else:
                holders = list(subjects)
            if not holders:
                return None
            pending = (holders, str(payload), start)
        elif kind == "M":
            mention = payload
            assert isinstance(mention, Mention)
            if pending is not None:
                holders, predicate, rel_start = pending
                for holder in holders:
                    relations.append((holder, predicate, mention, holder.start, mention.end))
                del rel_start
                pending = None
                extra.append(mention)
            elif not main_copula or existential:
                subjects.append(mention)
            elif predicate_nominal is None:
                predicate_nominal = mention
            else:
                return None
            last_mention = mention
        elif kind == "ADJ":
            if not main_copula or existential:
                return None
            adjectives.append(payload)  # type: ignore[arg-type]
        elif kind in ("and", "also", "."):
            pass
        else:
            return None
    if pending is not None or not subjects:
        return None
    if not existential and not main_copula:
        # A verbless fragment ("A red circle left of a blue square.") reads as "there is …".
        existential = True
    if not (existential or relations or adjectives or predicate_nominal):
        return None
    return _Plan(subjects, existential, relations, adjectives, predicate_nominal, negated, extra)


def _is_generic(plan: _Plan, mention: Mention) -> bool:
    if mention.determiner == "generic" or (mention.determiner is None and mention.plural):
        return True
    # "A glorp is a small red triangle." / "A fep is green." — an indefinite subject with
    # only a class-level predicate is a definition, not a report of one object.
    return (
        mention.determiner == "indefinite"
        and not plan.existential
        and not plan.relations
        and (bool(plan.adjectives) or plan.predicate_nominal is not None)
    )


def _emit(
    plan: _Plan, s: _Sentence, sentence_index: int, context: SceneContext, out: DocumentFacts
) -> None:
    lexicon = context.lexicon

    def char_span(start: int, end: int) -> tuple[int, int]:
        return s.tokens[start].idx, s.tokens[end - 1].idx + len(s.tokens[end - 1].text)

    def add(subject: Node, predicate: str, obj: Node, start: int, end: int, rule: str) -> None:
        if plan.negated and rule in _CLAUSE_RULES:
            return  # the clause's claim is negated; what its noun phrases describe still holds
        a, b = char_span(start, end)
        out.facts.append(Fact(subject, predicate, obj, sentence_index, a, b, rule))

    nodes: dict[int, Node] = {}

    def describe(node: Node, mention: Mention, instance: _Instance | None) -> None:
        for attribute, value in mention.modifiers:
            add(node, attribute, Node("value", value), mention.start, mention.end, "modifier")
            if instance is not None:
                instance.attributes[attribute] = value
        shape = lexicon.shape_nouns.get(mention.head) or (
            mention.head if mention.head in lexicon.shape_nouns.values() else None
        )
        if shape is not None:
            add(node, "shape", Node("value", shape), mention.start, mention.end, "head-shape")
            if instance is not None:
                instance.shape = shape
        elif instance is not None and not mention.pronoun:
            add(node, "type", Node("concept", mention.head), mention.start, mention.end, "head")
            instance.concept = mention.head
            context.known_concepts.add(mention.head)

    def node_for(mention: Mention, generic: bool) -> Node:
        key = mention.start
        if key in nodes:
            return nodes[key]
        if generic:
            context.known_concepts.add(mention.head)
            node = Node("concept", mention.head)
            add(node, "type", Node("concept", "Concept"), mention.start, mention.end, "generic")
            nodes[key] = node
            return node
        instance = None
        if mention.determiner == "definite":
            instance = context.resolve(mention)
        if instance is None:
            instance = context.new_instance()
            add(
                instance.node,
                "type",
                Node("concept", "Object"),
                mention.start,
                mention.end,
                "mention",
            )
            describe(instance.node, mention, instance)
        else:
            for attribute, value in mention.modifiers:
                if attribute not in instance.attributes:
                    add(
                        instance.node,
                        attribute,
                        Node("value", value),
                        mention.start,
                        mention.end,
                        "modifier",
                    )
                    instance.attributes[attribute] = value
        nodes[key] = instance.node
        return instance.node

    subjects = [(m, node_for(m, _is_generic(plan, m))) for m in plan.subjects]
    for subject, predicate, obj, start, end in plan.relations:
        subject_node = node_for(subject, False)
        add(subject_node, predicate, node_for(obj, False), start, end, "spatial")
    for mention, node in subjects:
        instance = next((i for i in context.instances if i.node == node), None)
        for attribute, value in plan.adjectives:
            add(
                node,
                attribute,
                Node("value", value),
                mention.start,
                len(s.tokens),  # to the sentence's last word (white-space tokens left out)
                "predicative",
            )
            if instance is not None:
                instance.attributes[attribute] = value
        nominal = plan.predicate_nominal
        if nominal is not None:
            end = nominal.end
            for attribute, value in nominal.modifiers:
                add(node, attribute, Node("value", value), mention.start, end, "definition")
            shape = lexicon.shape_nouns.get(nominal.head) or (
                nominal.head if nominal.head in lexicon.shape_nouns.values() else None
            )
            if shape is not None:
                add(node, "shape", Node("value", shape), mention.start, end, "definition")
            else:
                add(
                    node,
                    "subclass_of",
                    Node("concept", nominal.head),
                    mention.start,
                    end,
                    "definition",
                )
