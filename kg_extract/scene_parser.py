"""The scene-graph parser: any description of what is where, as objects, attributes and relations.

One parser for captions and scene descriptions in open English ("a black clock on a
building", "Two dogs are under a tree.", "Under the blue square lies a red circle.",
"The picture shows a man riding a horse.") and for definitions of concepts ("A glorp is a
small red triangle.", "Zibs are large."). It works in two steps:

1. **Chunking.** spaCy's tags (and the lexicon, which knows the words of the worlds a
   model was trained on, so an invented noun like "glorp" still heads a noun phrase)
   split the sentence into items: noun phrases (determiner, count, adjectives, compounds
   and head), relation phrases (prepositions, multi-word ones such as "to the left of",
   "in front of", "higher than"), verbs with their particles, copulas, pronouns,
   relative pronouns and conjunctions.
2. **Attachment.** A left-to-right pass reads clauses from the items: subjects before a
   verb, inversion after a fronted phrase ("Left of the X is a Y", "Above X there is a
   Y"), existentials, reporting frames ("The picture shows …", "Draw …", "I see …"),
   relative clauses, coordination on either side, pronouns and "one" anaphora, and
   definite noun phrases that name an earlier object.

The result, :class:`SceneParse`, is an open graph: object names are any nouns, attributes
any words, relations any verb or preposition. :func:`emit_facts` maps it onto the graph's
vocabulary through the lexicon (``colour``/``shape``/``size`` values, spatial predicates,
shape nouns); everything the lexicon does not know stays open (``kg:attribute`` values,
``rel/`` predicates). The linear pass is deliberate: the small English model's
dependency parse is unreliable on exactly these sentences ("Left of the circle is a
square." comes out with *left* as the root verb).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg_extract.facts import DocumentFacts, Fact, Node
from kg_extract.lexicon import Lexicon
from kg_extract.values import unit_after
from kg_extract.vocab import slug

_DETERMINERS = {
    "a": "indefinite",
    "an": "indefinite",
    "another": "indefinite",
    "some": "indefinite",
    "the": "definite",
    "this": "definite",
    "that": "definite",
    "these": "definite",
    "those": "definite",
    "its": "definite",
    "their": "definite",
    "his": "definite",
    "her": "definite",
    "my": "definite",
    "your": "definite",
    "our": "definite",
    "every": "generic",
    "each": "generic",
    "all": "generic",
    "any": "generic",
}
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "single": 1,
    "both": 2, "pair": 2, "couple": 2,
}  # fmt: skip
_COPULAS = {"is", "are", "'s", "was", "were", "be", "been", "being", "am", "'re"}
_OBJECT_PRONOUNS = {"it", "its", "them", "they", "itself"}
_SPEAKERS = {"i", "you", "we", "me", "us"}
#: People named by pronoun: in a scene they are things in it, but they mark a sentence
#: about someone ("He performs black metal music.") as encyclopedic.
_PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "hers"}
_INDEFINITE_PRONOUNS = {"something", "someone", "somebody", "everything", "anything"}
_RELATIVE = {"which", "that", "who", "whose"}
_KIND_WORDS = {"kind", "type", "sort", "variety"}


def _is_word(token: Token) -> bool:
    """Letters only, or letters joined by hyphens ("t-shirt", merged by the extractor)."""
    return token.is_alpha or (
        "-" in token.text and all(part.isalpha() for part in token.text.split("-"))
    )


#: Nouns plural in form that name one thing ("the trousers" is one pair, not two objects).
PLURALIA_TANTUM = {
    "trousers", "pants", "jeans", "shorts", "slacks", "breeches", "tights", "leggings",
    "pajamas", "pyjamas", "overalls", "knickers", "briefs", "boxers", "sweatpants",
    "glasses", "spectacles", "goggles", "binoculars", "scissors", "pliers", "tongs",
}  # fmt: skip
#: Singulars that name the same one garment as their plurale tantum ("a jean", WordNet's
#: lemma, is "jeans"); kept to words with no other sense as a noun ("a brief", "a boxer"
#: and "a spectacle" are other things).
PLURALIA_SINGULARS = {
    "jean": "jeans", "trouser": "trousers", "pant": "pants", "legging": "leggings",
    "pajama": "pajamas", "pyjama": "pyjamas", "sweatpant": "sweatpants",
}  # fmt: skip
#: Nouns that name a whole picture: in a frame role they are not objects in it.
_FRAME_NOUNS = {
    "picture", "image", "photo", "photograph", "scene", "drawing", "painting", "canvas",
    "illustration", "view", "shot", "frame", "render", "rendering", "sketch", "figure",
    "background",
}  # fmt: skip
#: Verbs that report or request what a picture holds ("shows", "draw", "I see").
_REPORT_VERBS = {
    "show", "depict", "contain", "feature", "display", "include", "draw", "paint", "render",
    "put", "place", "make", "create", "generate", "give", "see", "want", "like", "have",
    "illustrate", "present", "sketch", "picture", "add",
}  # fmt: skip
#: Head nouns that say only "a thing": "a round shape" is a circle, not a "shape".
_GENERIC_HEADS = {"shape", "thing", "object", "item", "figure", "form", "one", "body"}
#: Nouns naming a side or part of a thing, in multi-word prepositions ("on top of").
_RELATIONAL_NOUNS = {
    "left", "right", "top", "bottom", "front", "back", "side", "middle", "center", "centre",
    "edge", "corner", "end", "rear", "inside", "outside", "underside", "part",
}  # fmt: skip
_CONJUNCTIONS = {"and", ",", "while", "whereas", "but", "&", "plus"}
_SKIPPED = {"both", "also", "too", "either", "each", "other", "then", "again", "here", "now"}
#: Quantity words: not attributes of the thing ("many green leaves").
_QUANTIFIERS = {"many", "several", "few", "numerous", "various", "multiple", "much", "lots"}
#: Nouns of materials: in front of a noun they describe it ("metal fence": a fence, metal).
_MATERIALS = {
    "metal", "wood", "wooden", "glass", "plastic", "brick", "stone", "concrete", "leather",
    "paper", "steel", "iron", "marble", "cloth", "wire", "rubber", "ceramic", "cotton",
    "wool", "denim", "silk", "straw", "tin", "copper", "aluminum", "bamboo", "cardboard",
}  # fmt: skip
_FUNCTION_TAGS = {
    "VBZ", "VBP", "VBD", "MD", "IN", "CC", "DT", "PRP", "PRP$", "WDT", "WP", "TO", "EX",
    "POS", "RP", "VBG", ",", ".", ":", "HYPH",
}  # fmt: skip
#: Verbs that say where a thing is ("sits above"): with a spatial phrase, only the place counts.
POSITION_VERBS = {
    "sit", "lie", "lay", "rest", "hover", "stand", "float", "hang", "position", "place",
    "locate", "set", "find", "see", "show", "draw", "appear", "stay", "remain", "perch",
    "loom", "be", "seem", "put", "situate", "paint", "render", "depict", "fly",
}  # fmt: skip
_COLOUR_VERBS = {"colored", "coloured", "painted", "tinted", "shaded", "colour", "color"}


@dataclass
class Mention:
    """A noun phrase of the sentence.

    Attributes:
        start: First token (index within the sentence's token list).
        end: One past the last token.
        head: Head noun, lower-case lemma (with its compounds: "coffee table").
        surface: The head as written (with compounds).
        determiner: ``indefinite``, ``definite``, ``generic`` or ``None`` (bare).
        modifiers: Attribute words, in order (adjectives, participles, modifying nouns).
        count: How many things the phrase names (``two dogs``: 2), ``None`` if unsaid.
        plural: Whether the head is plural.
        pronoun: A pronoun ("it"), resolved to an earlier object.
        anaphor: "one" in "a large one": takes the head of an earlier object.
        speaker: "I", "you", "we": the person speaking, not a thing in the picture.
        frame: "the picture" in a frame role: the picture itself, not a thing in it.
    """

    start: int
    end: int
    head: str
    surface: str
    determiner: str | None = None
    modifiers: list[str] = field(default_factory=list)
    count: int | None = None
    plural: bool = False
    pronoun: bool = False
    anaphor: bool = False
    speaker: bool = False
    frame: bool = False


@dataclass
class Relation:
    """A relation phrase: ``words`` as written (lower case), ``spatial`` if it maps to one."""

    start: int
    end: int
    words: str
    spatial: str | None
    implicit_object: bool = False  # "to its left": the object is the pronoun's referent


@dataclass
class Verb:
    """A verb (lemma with particle) or a copula."""

    start: int
    end: int
    lemma: str
    copula: bool
    passive: bool = False
    gerund: bool = False  # "-ing"/"-ed" form without an auxiliary: a participle phrase


@dataclass
class _Item:
    kind: str  # "NP", "R", "V", "ADJ", "PRON-REL", "CONJ", "NEG", "THERE", "END", "OF"
    start: int
    end: int
    mention: Mention | None = None
    relation: Relation | None = None
    verb: Verb | None = None
    word: str = ""


@dataclass
class ParsedObject:
    """An object of the open scene graph (one per thing: "two dogs" are two)."""

    name: str
    surface: str
    attributes: list[str]
    mention: Mention
    group: int  # objects from one plural mention share a group number
    generic: bool = False  # a concept being defined, not a thing in a picture
    reused: bool = False  # an object introduced by an earlier sentence


@dataclass
class ParsedRelation:
    """``subject --predicate--> object`` between object indices."""

    subject: int
    predicate: str
    object: int
    spatial: str | None
    start: int
    end: int


@dataclass
class SceneParse:
    """One sentence read as a scene graph (plus class-level definitions)."""

    objects: list[ParsedObject] = field(default_factory=list)
    relations: list[ParsedRelation] = field(default_factory=list)
    #: ``(object index, attribute word, start, end)`` stated by a predicate ("is red").
    predicates: list[tuple[int, str, int, int]] = field(default_factory=list)
    #: ``(object index, class noun, start, end)``: "A glorp is a (kind of) triangle".
    kinds: list[tuple[int, Mention, int, int]] = field(default_factory=list)
    negated: bool = False
    #: "of" phrases outside the lexicon's and numerals written in digits: the marks of an
    #: encyclopedic sentence ("a fusion of black metal", "210 m above sea level").
    encyclopedic_marks: int = 0


class SceneContext:
    """Per-document state: objects met so far, for pronouns and definite noun phrases."""

    def __init__(self, lexicon: Lexicon, known_concepts: set[str] | None = None) -> None:
        self.lexicon = lexicon
        #: ``(node, object)`` of each object of the document, in order.
        self.instances: list[tuple[Node, ParsedObject]] = []
        self.known_concepts = known_concepts if known_concepts is not None else set()

    def new_instance(self) -> Node:
        """A new object number in the document."""
        return Node("instance", str(len(self.instances)))


# --------------------------------------------------------------------------- chunking


def _remembered(known: dict[int, bool], i: int, read: Callable[[int], bool]) -> bool:
    """``read(i)``, computed once per word: the chunker asks about the same words often."""
    answer = known.get(i)
    if answer is None:
        answer = known[i] = read(i)
    return answer


class _Words:
    """The sentence's tokens with the lexicon's view of each word."""

    def __init__(self, span: Span, lexicon: Lexicon) -> None:
        self.tokens: list[Token] = [t for t in span if not t.is_space]
        self.lower = [t.text.lower() for t in self.tokens]
        self.lexicon = lexicon
        # Looked up once per word: the chunker asks about the same words many times.
        self._attributes = lexicon.attributes_of(self.lower)
        shape_nouns = lexicon.shape_nouns
        self._shape_nouns = [shape_nouns.get(word) for word in self.lower]
        self._nounish: dict[int, bool] = {}
        self._can_head: dict[int, bool] = {}
        self._verb_like: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.tokens)

    def attribute(self, i: int) -> tuple[str, str] | None:
        return self._attributes[i]

    def shape_noun(self, i: int) -> str | None:
        return self._shape_nouns[i]

    def is_nounish(self, i: int) -> bool:
        """Could word ``i`` head a noun phrase?"""
        return _remembered(self._nounish, i, self._is_nounish)

    def verb_like(self, i: int) -> bool:
        """Is word ``i``, tagged a noun, really the verb of the clause (see :func:`_verb_like`)?"""
        return _remembered(self._verb_like, i, self._reads_as_verb)

    def _reads_as_verb(self, i: int) -> bool:
        return _verb_like(self, i)

    def _is_nounish(self, i: int) -> bool:
        word, token = self.lower[i], self.tokens[i]
        if self.shape_noun(i) is not None:
            return True
        if not _wordlike(token) or self.attribute(i) is not None:
            return False
        if word in _DETERMINERS or word in _COPULAS or word in _RELATIVE or word in _SKIPPED:
            return False
        if word in _CONJUNCTIONS or word in {"not", "there", "of", "than", "no"}:
            return False
        if word in _OBJECT_PRONOUNS or word in _SPEAKERS or word in _INDEFINITE_PRONOUNS:
            return False
        if self.lexicon.relation_at(self.lower, i) is not None or word in _COLOUR_VERBS:
            return False  # "left" in "left of", "colored" in "a square colored blue"
        return token.pos_ in ("NOUN", "PROPN") or (
            token.pos_ in ("ADJ", "VERB", "X", "INTJ") and token.tag_ in ("NN", "NNS", "NNP")
        )

    def can_head(self, i: int) -> bool:
        """Could word ``i`` head a noun phrase that has a determiner or modifiers?

        Any word the tagger does not read as a function word or a finite verb: invented
        nouns ("a plonk", tagged as an adverb) are names of things too.
        """
        return _remembered(self._can_head, i, self._could_head)

    def _could_head(self, i: int) -> bool:
        if self.is_nounish(i):
            return True
        word, token = self.lower[i], self.tokens[i]
        if not _wordlike(token) or self.attribute(i) is not None:
            return False
        if word in _DETERMINERS or word in _COPULAS or word in _RELATIVE or word in _SKIPPED:
            return False
        if word in _CONJUNCTIONS or word in {"not", "there", "of", "than", "no", "one"}:
            return False
        if word in _OBJECT_PRONOUNS or word in _SPEAKERS or word in _INDEFINITE_PRONOUNS:
            return False
        if self.lexicon.relation_at(self.lower, i) is not None or word in _COLOUR_VERBS:
            return False
        if token.tag_ in ("VBP", "VBZ", "VBD", "VBG") and token.pos_ != "AUX":
            # "the pointy tove is …": a verb is not followed by a copula or a full stop.
            after = self.lower[i + 1] if i + 1 < len(self.lower) else "."
            return (
                after in _COPULAS
                or after in (".", ",", "and", "!", "?", ";")
                or (self.lexicon.relation_at(self.lower, i + 1) is not None)
            )
        return token.tag_ not in _FUNCTION_TAGS and token.pos_ not in ("ADP", "AUX", "PART")


def _relation_at(w: _Words, i: int) -> tuple[Relation, int] | None:
    """A relation phrase starting at word ``i``: ``(relation, end)``."""
    lexicon = w.lexicon
    words = w.lower
    spatial = lexicon.relation_at(words, i)
    n = len(words)
    # "to its left", "on their right": the object is the pronoun's referent.
    if (
        i + 2 < n
        and words[i] in ("to", "on", "at")
        and words[i + 1] in ("its", "their")
        and words[i + 2] in ("left", "right")
    ):
        predicate = "left_of" if words[i + 2] == "left" else "right_of"
        text = f"{words[i]} {words[i + 2]} of"
        return Relation(i, i + 3, text, predicate, implicit_object=True), i + 3
    if spatial is not None:
        predicate, end = spatial
        return Relation(i, end, " ".join(words[i:end]), predicate), end
    token = w.tokens[i]
    if token.pos_ != "ADP" and words[i] not in ("next", "close", "near", "inside", "outside"):
        return None
    if words[i] in ("next", "close") and (i + 1 >= n or words[i + 1] != "to"):
        return None
    if words[i] in ("of", "than"):
        return None
    # Multi-word prepositions: "in front of", "on the side of", "next to", "out of".
    j = i + 1
    if j < n and words[j] in ("the", "a"):
        j += 1
    if j + 1 < n and words[j] in _RELATIONAL_NOUNS and words[j + 1] in ("of", "to"):
        text = " ".join(x for x in words[i : j + 2] if x not in ("the", "a"))
        return Relation(i, j + 2, text, None), j + 2
    if i + 1 < n and words[i + 1] in ("to", "of", "from") and words[i] in (
        "next", "close", "out", "near", "away", "apart", "inside", "outside", "because",
    ):  # fmt: skip
        return Relation(i, i + 2, f"{words[i]} {words[i + 1]}", None), i + 2
    if words[i] in _SKIPPED or words[i] in ("like", "as"):
        return None
    return Relation(i, i + 1, words[i], None), i + 1


def _location_adverbial(w: _Words, i: int) -> int | None:
    """End of "on the left", "at the top", "in the middle" (no object): skipped."""
    words = w.lower
    if words[i] not in ("on", "at", "in", "to") or w.lexicon.relation_at(words, i) is not None:
        return None
    if (
        i + 2 < len(words)
        and words[i + 1] == "the"
        and words[i + 2] in _RELATIONAL_NOUNS
        and (i + 3 >= len(words) or words[i + 3] not in ("of", "to"))
    ):
        return i + 3
    return None


def _mention_at(w: _Words, i: int) -> Mention | None:
    """The noun phrase starting at word ``i``, if one does."""
    words, tokens, n = w.lower, w.tokens, len(w)
    word = words[i]
    if word in _OBJECT_PRONOUNS or (word in _PERSON_PRONOUNS and tokens[i].tag_ == "PRP"):
        return Mention(i, i + 1, word, word, "definite", pronoun=True)
    if word in _SPEAKERS:
        return Mention(i, i + 1, word, word, "definite", speaker=True)
    if word in _INDEFINITE_PRONOUNS:
        k = i + 1
        while k < n and (w.attribute(k) is not None or tokens[k].pos_ == "ADJ"):
            k += 1
        return Mention(i, k, word, word, "indefinite", words[i + 1 : k])
    k = i
    determiner = None
    if word in _DETERMINERS and not (word == "that" and i > 0 and tokens[i].dep_ != "det"):
        determiner = _DETERMINERS[word]
        k += 1
    count = None
    modifiers: list[str] = []
    while k < n:
        word_k, token = words[k], tokens[k]
        if word_k in _NUMBERS and word_k not in ("pair", "couple") and count is None:
            if (
                word_k == "one"
                and k + 1 < n
                and not w.is_nounish(k + 1)
                and (w.attribute(k + 1) is None)
            ):
                break  # "one" heads the phrase ("a large one") or is a pronoun
            count = _NUMBERS[word_k]
            k += 1
        elif (
            token.like_num
            and token.pos_ == "NUM"
            and count is None
            and word_k.isascii()
            and word_k.isdigit()
            # "103 Colmore Row", "1036 Ganymed": a number in a name counts nothing
            # ("5 Dalmatians", a plural, is counted)
            and not (k + 1 < n and tokens[k + 1].tag_ == "NNP")
        ):
            count = min(int(word_k), 64) if len(word_k) < 4 else None
            k += 1
        elif word_k in _DETERMINERS and determiner is None and k == i:
            break
        elif (
            word_k in ("both", "all")
            and k == i
            and k + 1 < n
            and words[k + 1]
            in (
                "the",
                "of",
                "these",
                "those",
                "my",
                "its",
                "their",
            )
        ):
            k += 2 if words[k + 1] == "of" else 1
        elif (
            w.shape_noun(k) is not None
            and k + 2 < n
            and words[k + 1] == "-"
            and (words[k + 2] in ("shaped", "like", "looking"))
        ):
            modifiers.append(word_k)  # "a square-shaped object"
            k += 3
        elif word_k in _QUANTIFIERS and k + 1 < n:
            k += 1
        elif w.attribute(k) is not None:
            modifiers.append(word_k)
            k += 1
            # "red-colored", "square-shaped": the suffix adds nothing.
            if k + 1 < n and words[k] == "-" and words[k + 1] in (
                *_COLOUR_VERBS, "shaped", "sized", "looking", "ish",
            ):  # fmt: skip
                k += 2
        elif word_k == "," and modifiers and k + 1 < n and w.attribute(k + 1) is not None:
            k += 1  # "a big, red circle"
        elif (
            word_k == "and"
            and modifiers
            and k + 1 < n
            and (w.attribute(k + 1) is not None or tokens[k + 1].pos_ == "ADJ")
        ):
            k += 1  # "a blue and gray wetsuit"
        elif (
            (token.pos_ in ("ADJ",) or token.tag_ in ("VBN", "JJ", "JJR", "JJS"))
            and _is_word(token)
            and word_k not in _COPULAS
            and word_k not in _SKIPPED
            and (word_k not in ("left", "right", "next", "close", "near", "other"))
        ):
            if w.can_head(k) and not (
                k + 1 < n
                and (w.can_head(k + 1) or w.attribute(k + 1) is not None)
                and not w.verb_like(k + 1)
            ):
                break
            modifiers.append(word_k)
            k += 1
        elif (
            token.tag_ == "VBG"
            and k + 1 < n
            and w.is_nounish(k + 1)
            and k > i
            and (determiner is not None)
        ):
            modifiers.append(word_k)  # "a blinking light"
            k += 1
        elif word_k in _KIND_WORDS and k + 1 < n and words[k + 1] == "of":
            k += 2
        elif word_k in ("pair", "couple") and k + 1 < n and words[k + 1] == "of":
            count = 2
            k += 2
        elif token.pos_ == "ADV" and word_k in ("very", "quite", "rather", "really", "pretty"):
            k += 1
        else:
            break
    if k >= n:
        return None
    # "a large one" / "a blue one"
    if (
        words[k] == "one"
        and (modifiers or determiner is not None)
        and (k + 1 >= n or not w.is_nounish(k + 1))
    ):
        return Mention(i, k + 1, "one", "one", determiner, modifiers, count, anaphor=True)
    # "a lone yellow circle": a word the tagger calls a noun, followed by modifiers and a
    # head, is a modifier too.
    while (
        k + 2 < n
        and w.attribute(k + 1) is not None
        and words[k] not in _COPULAS
        and (_is_word(w.tokens[k]) and w.attribute(k) is None and words[k] not in _DETERMINERS)
        and w.can_head(k)
    ):
        j = k + 1
        while j < n and w.attribute(j) is not None:
            j += 1
        if j >= n or not w.can_head(j) or w.verb_like(j):
            break
        modifiers += words[k:j]
        k = j
    if w.verb_like(k) and k > i:
        return None
    if not (w.is_nounish(k) or ((determiner is not None or modifiers) and w.can_head(k))):
        return None  # "a big red" without a noun is not a noun phrase
    # Compounds: every noun up to the last one in a run ("coffee table", "fire truck").
    heads = [k]
    while (
        heads[-1] + 1 < n
        and w.is_nounish(heads[-1] + 1)
        and (tokens[heads[-1] + 1].pos_ in ("NOUN", "PROPN") or w.shape_noun(heads[-1] + 1))
        and _relation_at(w, heads[-1] + 1) is None
        and not w.verb_like(heads[-1] + 1)
        and not (_participle(w, heads[-1] + 1))
    ):
        if (
            words[heads[-1] + 1] in _RELATIONAL_NOUNS
            and heads[-1] + 2 < n
            and words[heads[-1] + 2] in ("of", "to")
        ):
            break
        heads.append(heads[-1] + 1)
    # A shape noun or a modifier-like noun in front is an attribute ("square shape").
    while len(heads) > 1 and (
        w.shape_noun(heads[0]) is not None
        or w.attribute(heads[0]) is not None
        or words[heads[0]] in _MATERIALS
    ):
        modifiers.append(words[heads[0]])
        heads.pop(0)
    head_token = tokens[heads[-1]]
    head_word = words[heads[-1]]
    plural = (
        head_token.tag_ in ("NNS", "NNPS")
        and (head_word.endswith("s") or _lemma(head_token) != head_word)
    ) or (
        determiner is None
        and head_word.endswith("s")
        and len(head_word) > 3
        and not head_word.endswith("ss")
    )
    if words[i] in ("a", "an") or head_word in PLURALIA_TANTUM:
        plural = False
    lemma = _lemma(head_token) if plural else words[heads[-1]]
    lemma = PLURALIA_SINGULARS.get(lemma, lemma)
    compounds = [words[h] for h in heads[:-1]]
    head = " ".join([*compounds, lemma])
    surface = " ".join(tokens[h].text for h in heads)
    end = heads[-1] + 1
    # "red-colored circle" handled above; "a circle colored red" / "a square in blue":
    if (end + 1 < n and words[end] in _COLOUR_VERBS and w.attribute(end + 1) is not None) or (
        end + 1 < n
        and words[end] == "in"
        and ((w.attribute(end + 1) or ("", ""))[0] == "colour")
        and (end + 2 >= n or not w.is_nounish(end + 2))
    ):
        modifiers.append(words[end + 1])
        end += 2
    return Mention(i, end, head, surface, determiner, modifiers, count, plural)


def _participle(w: _Words, i: int) -> bool:
    """An -ing word that opens a verb phrase ("zebra standing under a tree")."""
    token = w.tokens[i]
    if not w.lower[i].endswith("ing") or len(w.lower[i]) < 5:
        return False
    after = w.tokens[i + 1] if i + 1 < len(w) else None
    return token.tag_ == "VBG" or after is None or after.pos_ in ("ADP", "DET", "ADV", "PUNCT")


def _wordlike(token: Token) -> bool:
    """A word that can name a thing: letters with digits ("r2d2") or hyphens ("t-shirt")."""
    text = token.text.replace("-", "") if _is_word(token) else token.text
    return text.isalnum() and not text.isdigit()


def _verb_like(w: _Words, i: int) -> bool:
    """Whether a noun-tagged word is really the verb of the clause ("a triangle hovers a…").

    Callers ask :meth:`_Words.verb_like`, which remembers the answer per word.
    """
    token = w.tokens[i]
    lemma = token.lemma_.lower()
    position_verb = lemma in POSITION_VERBS or _lemma(token) in POSITION_VERBS
    if not _is_word(token) or (
        token.pos_ not in ("NOUN", "VERB", "PROPN") and not (position_verb and token.pos_ in (
            "ADV", "ADJ", "X", "INTJ"
        ))
    ):  # fmt: skip
        return False
    if w.attribute(i) is not None or w.shape_noun(i) is not None or w.lower[i] in _COPULAS:
        return False
    after = w.lower[i + 1] if i + 1 < len(w) else ""
    if after in _DETERMINERS or after in _NUMBERS or after in ("both", "all"):
        return True
    return position_verb and (
        w.lexicon.relation_at(w.lower, i + 1) is not None
        or (i + 1 < len(w) and w.tokens[i + 1].pos_ in ("ADP", "ADV"))
    )


def _lemma(token: Token) -> str:
    word = token.text.lower()
    lemma = token.lemma_.lower()
    if lemma != word and lemma.isalpha():
        return lemma
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _verb_at(w: _Words, i: int) -> tuple[Verb, int] | None:
    words, tokens, n = w.lower, w.tokens, len(w)
    token = tokens[i]
    word = words[i]
    if word in _COPULAS or (token.lemma_ == "be" and token.pos_ in ("AUX", "VERB")):
        # "is placed", "can be seen", "is sitting": the last verb carries the meaning.
        k = i + 1
        while k < n and words[k] in ("being", "been", "be", "not", "also", "both", "all"):
            k += 1
        if (
            k < n
            and tokens[k].tag_ in ("VBN", "VBG")
            and tokens[k].pos_ in ("VERB", "AUX")
            and (w.attribute(k) is None)
            and words[k] not in ("left", "right")
            and _verb_word(tokens[k])
        ):
            verb = Verb(i, k + 1, tokens[k].lemma_.lower(), False,
                        passive=tokens[k].tag_ == "VBN")  # fmt: skip
            return _with_particle(w, verb)
        return Verb(i, i + 1, "be", True), i + 1
    if token.pos_ == "AUX" and token.lemma_ in ("can", "could", "may", "might", "will", "do"):
        return None
    if token.pos_ != "VERB" or not _verb_word(token):
        return None
    if word in ("left", "right") or w.attribute(i) is not None:
        return None
    verb = Verb(i, i + 1, token.lemma_.lower(), False, passive=token.tag_ == "VBN",
                gerund=token.tag_ in ("VBG", "VBN"))  # fmt: skip
    return _with_particle(w, verb)


def _verb_word(token: Token) -> bool:
    return _is_word(token) and token.text.lower() not in _SKIPPED


def _with_particle(w: _Words, verb: Verb) -> tuple[Verb, int]:
    k = verb.end
    if (
        k < len(w)
        and w.tokens[k].dep_ == "prt"
        and w.lower[k] in ("up", "out", "down", "off")
        and (k + 1 >= len(w) or w.lower[k + 1] not in ("of", "to", "from"))
    ):
        verb.lemma = f"{verb.lemma} {w.lower[k]}"
        verb.end = k + 1
    return verb, verb.end


def _bare_noun_tagged_as_verb(w: _Words, i: int, items: list[_Item]) -> Mention | None:
    """A caption's first word, or a word after a preposition, that the tagger read as a verb.

    "rug on the ground", "leaves on a table", "surfer surfing at the ocean", "a clock on
    scaffolding": a short caption has no imperative verb followed by a preposition.
    """
    token, n = w.tokens[i], len(w)
    if not _is_word(token) or token.tag_ not in ("VB", "VBZ", "VBP", "VBG", "VBN"):
        return None
    word = w.lower[i]
    if word in _COPULAS or w.attribute(i) is not None or token.lemma_ in _REPORT_VERBS:
        return None
    if token.tag_ == "VBG" and token.lemma_.lower() in POSITION_VERBS:
        return None  # "Sitting above a blue square is a red circle.
    after = w.tokens[i + 1] if i + 1 < n else None
    first = not items or items[-1].kind == "END"
    if (
        first
        and token.tag_ != "VBN"
        and (
            after is None
            or after.pos_ in ("ADP", "PUNCT", "CCONJ")
            or (after.tag_ == "VBG" and i + 2 < n and w.tokens[i + 2].pos_ == "ADP")
        )
        and w.lexicon.relation_at(w.lower, i) is None
    ):
        plural = token.tag_ == "VBZ"
        head = _lemma(token) if plural else word
        return Mention(i, i + 1, head, token.text, None, [], None, plural)
    if (
        items
        and items[-1].kind == "R"
        and token.tag_ == "VBG"
        and (after is None or after.pos_ in ("PUNCT", "CCONJ", "ADP"))
    ):
        return Mention(i, i + 1, word, token.text)
    return None


def _chunk(w: _Words) -> list[_Item]:
    """Items of the sentence, left to right (words that say nothing are dropped)."""
    items: list[_Item] = []
    i, n = 0, len(w)
    words = w.lower
    while i < n:
        word, token = words[i], w.tokens[i]
        if word in (".", "!", "?", ";", ":"):
            items.append(_Item("END", i, i + 1, word=word))
            i += 1
            continue
        if word in ("not", "n't", "no", "never") and word != "no":
            items.append(_Item("NEG", i, i + 1))
            i += 1
            continue
        if (
            word in ("there", "here")
            and i + 1 < n
            and (words[i + 1] in _COPULAS or words[i + 1] in ("exist", "exists", "we", "appears"))
        ):
            items.append(_Item("THERE", i, i + 1))
            i += 1
            if words[i] == "we" and i + 1 < n and words[i + 1] in ("have", "see"):
                i += 2
            continue
        if (
            word in _RELATIVE
            and items
            and items[-1].kind in ("NP", "CONJ")
            and (i + 1 < n and not w.is_nounish(i + 1))
        ):
            items.append(_Item("PRON-REL", i, i + 1, word=word))
            i += 1
            continue
        adverbial = _location_adverbial(w, i)
        if adverbial is not None:
            i = adverbial
            continue
        if word in _DETERMINERS and not (word == "that" and items and items[-1].kind == "NP"):
            mention = _mention_at(w, i)
            if mention is not None:
                items.append(_Item("NP", i, mention.end, mention=mention))
                i = mention.end
                continue
        bare = _bare_noun_tagged_as_verb(w, i, items)
        if bare is not None:
            items.append(_Item("NP", i, i + 1, mention=bare))
            i += 1
            continue
        verb = _verb_at(w, i)
        if (
            verb is None
            and w.verb_like(i)
            and _is_word(token)
            and items
            and (items[-1].kind in ("NP", "CONJ", "ADJ"))
        ):
            lemma = (
                token.lemma_.lower() if token.lemma_.lower() in POSITION_VERBS else _lemma(token)
            )
            verb = Verb(i, i + 1, lemma, False), i + 1
        if verb is not None and not (verb[0].gerund and _mention_at(w, i) is not None):
            items.append(_Item("V", i, verb[1], verb=verb[0]))
            i = verb[1]
            continue
        relation = _relation_at(w, i)
        if relation is not None:
            items.append(_Item("R", i, relation[1], relation=relation[0]))
            i = relation[1]
            continue
        if word == "of":
            items.append(_Item("OF", i, i + 1))
            i += 1
            continue
        if word in ("than",):
            i += 1
            continue
        mention = _mention_at(w, i)
        if mention is not None:
            items.append(_Item("NP", i, mention.end, mention=mention))
            i = mention.end
            continue
        if (
            w.attribute(i) is not None
            or (token.pos_ == "ADJ" and _is_word(token))
            or (token.tag_ == "VBN" and _is_word(token))
        ):
            items.append(_Item("ADJ", i, i + 1, word=word))
            i += 1
            continue
        if word in _CONJUNCTIONS:
            items.append(_Item("CONJ", i, i + 1, word=word))
        i += 1
    return items


# --------------------------------------------------------------------------- attachment


@dataclass
class _Clause:
    subjects: list[int] = field(default_factory=list)  # object indices
    verb: Verb | None = None
    existential: bool = False
    report: bool = False  # "The picture shows", "Draw", "I see": objects are the scene
    relative_to: list[int] | None = None  # inside "…, which is …"
    outer: _Clause | None = None
    fronted: list[tuple[Relation, list[int]]] = field(default_factory=list)
    participle: bool = False  # the verb so far is a participle on the subject ("a man wearing")


class _Reader:
    def __init__(self, w: _Words, context: SceneContext) -> None:
        self.w = w
        self.context = context
        self.parse = SceneParse()
        self.mentions: list[tuple[Mention, list[int]]] = []  # mention → object indices
        self.tentative: list[tuple[int, list[int]]] = []  # (relations start, objects)

    # objects -------------------------------------------------------------------------
    def objects_for(self, mention: Mention, subject_of: list[int] | None = None) -> list[int]:
        """Object indices a mention stands for (new, or earlier ones it refers to)."""
        parse = self.parse
        if mention.speaker or mention.frame:
            return []
        if mention.pronoun:
            return self._referent(mention.start, exclude=subject_of or [])
        name, surface = mention.head, mention.surface
        modifiers = list(mention.modifiers)
        if mention.anaphor:
            antecedent = self._referent(mention.start, exclude=[])
            if not antecedent:
                return []
            source = parse.objects[antecedent[0]]
            name, surface = source.name, source.surface
            own = {self._attribute_kind(m) for m in modifiers}
            modifiers = [a for a in source.attributes if self._attribute_kind(a) not in own] + (
                modifiers
            )
        if mention.determiner == "definite" and not mention.anaphor:
            earlier = self._definite(mention)
            if earlier is not None:
                obj = parse.objects[earlier]
                for m in mention.modifiers:
                    if m not in obj.attributes:
                        obj.attributes.append(m)
                return [earlier]
        count = mention.count or (2 if mention.plural and mention.determiner != "generic" else 1)
        group = len(self.mentions)
        indices = []
        for _ in range(count):
            parse.objects.append(ParsedObject(name, surface, list(modifiers), mention, group))
            indices.append(len(parse.objects) - 1)
        return indices

    def _attribute_kind(self, word: str) -> str:
        known = self.context.lexicon.attribute_of(word)
        return known[0] if known is not None else word

    def _referent(self, position: int, exclude: list[int]) -> list[int]:
        objects = self.parse.objects
        for index in range(len(objects) - 1, -1, -1):
            if index not in exclude and objects[index].mention.start < position:
                group = objects[index].group
                return [i for i in range(len(objects)) if objects[i].group == group][:1]
        return []

    def _definite(self, mention: Mention) -> int | None:
        lexicon = self.context.lexicon
        shape = lexicon.shape_nouns.get(mention.head)
        for index in range(len(self.parse.objects) - 1, -1, -1):
            obj = self.parse.objects[index]
            if obj.mention.start >= mention.start or obj.generic:
                continue
            same = obj.name == mention.head or (
                shape is not None and lexicon.shape_nouns.get(obj.name) == shape
            )
            if not same:
                continue
            have = {self._attribute_kind(a): a for a in obj.attributes}
            if all(
                have.get(self._attribute_kind(m), m) == m
                or lexicon.attribute_of(have.get(self._attribute_kind(m), m))
                == lexicon.attribute_of(m)
                for m in mention.modifiers
            ):
                return index
        return None

    # relations -----------------------------------------------------------------------
    def relate(self, subjects: list[int], relation: Relation, objects: list[int],
               verb: Verb | None, start: int, end: int) -> None:  # fmt: skip
        words = relation.words
        if verb is not None and verb.passive and words == "by" and not relation.spatial:
            # "a watch worn by a man", "sand covered by water": the agent does it.
            for s in subjects:
                for o in objects:
                    if s != o:
                        self.parse.relations.append(
                            ParsedRelation(o, verb.lemma, s, None, start, end)
                        )
            return
        if verb is not None and not verb.copula and verb.lemma not in ("be",):
            predicate = f"{verb.lemma} {words}".strip()
        else:
            predicate = words
        for s in subjects:
            # The evidence runs from the subject's mention (when in this sentence).
            begin = self.parse.objects[s].mention.start
            first = min(start, begin) if begin >= 0 else start
            for o in objects:
                if s != o:
                    self.parse.relations.append(
                        ParsedRelation(s, predicate, o, relation.spatial, first, end)
                    )

    def verb_relation(self, subjects: list[int], verb: Verb, objects: list[int],
                      start: int, end: int) -> None:  # fmt: skip
        for s in subjects:
            for o in objects:
                if s != o:
                    self.parse.relations.append(ParsedRelation(s, verb.lemma, o, None, start, end))


def parse_scene(span: Span, context: SceneContext) -> SceneParse:
    """Read one sentence as a scene graph (objects, attributes, relations).

    Objects named in earlier sentences of the document (``context``) are referred to by
    pronouns and definite noun phrases; the result then holds them as ``reused`` objects.
    """
    w = _Words(span, context.lexicon)
    items = _chunk(w)
    reader = _Reader(w, context)
    _seed_earlier_objects(reader)
    first_new = len(reader.parse.objects)
    _attach(items, reader)
    parse = reader.parse
    for index, obj in enumerate(parse.objects):
        obj.reused = index < first_new
    parse.encyclopedic_marks += sum(
        1 for t in w.tokens if t.text[:1].isdigit() or t.text.lower() in _PERSON_PRONOUNS
    )
    return parse


def _seed_earlier_objects(reader: _Reader) -> None:
    """Earlier sentences' objects, for reference (mention positions before this one)."""
    for group, (_node, obj) in enumerate(reader.context.instances):
        earlier = ParsedObject(obj.name, obj.surface, list(obj.attributes),
                               Mention(-1, -1, obj.name, obj.surface), -1 - group)  # fmt: skip
        reader.parse.objects.append(earlier)


def _attach(items: list[_Item], reader: _Reader) -> None:
    clause = _Clause()
    pending: tuple[Relation, list[int], Verb | None] | None = None
    last_np: list[int] = []  # objects of the last noun phrase (with its conjuncts)
    last_kind = ""
    since_conj: list[int] = []  # objects named since the last conjunction
    # What the last noun phrase was: "subject", "object" (of a relation), "verb-object",
    # "fronted-object", "nominal", "reported" or "frame".
    previous_np_role = ""
    last_relation: tuple[Relation, list[int], Verb | None] | None = None
    for position, item in enumerate(items):
        kind = item.kind
        if kind == "END":
            pending = last_relation = None
            if item.word in (";", ":"):
                clause = _Clause()
                since_conj = []
                last_np = []
            last_kind = kind
            continue
        if kind == "NEG":
            reader.parse.negated = True
            last_kind = kind
            continue
        if kind == "THERE":
            clause.existential = True
            last_kind = kind
            continue
        if kind == "CONJ":
            since_conj = []
            ends_relative = item.word in ("while", "whereas", "but") or (
                item.word == "," and clause.relative_to is not None and pending is None
            )
            if ends_relative and clause.relative_to is not None and clause.outer is not None:
                clause = clause.outer
            last_kind = kind
            continue
        if kind == "PRON-REL":
            inner = _Clause(relative_to=list(last_np), outer=clause)
            inner.subjects = list(last_np)
            clause = inner
            last_kind = kind
            continue
        if kind == "OF":
            reader.parse.encyclopedic_marks += 1
            last_kind = kind
            continue
        if kind == "ADJ":
            word = item.word
            if clause.verb is not None and clause.verb.copula and not clause.existential:
                for h in _clause_holders(clause):
                    reader.parse.predicates.append((h, word, item.start, item.end))
            elif last_np and last_kind in ("NP", "CONJ", "ADJ"):
                for h in last_np:  # "a circle, red and small, …", "two bicycles parked"
                    reader.parse.predicates.append((h, word, item.start, item.end))
            last_kind = kind
            continue
        if kind == "R":
            relation = item.relation
            assert relation is not None
            if last_kind == "FRAME":
                continue  # "an image with …", "a picture of …"
            if last_kind == "CONJ" and _starts_clause(items, position):
                # "…, and above it there is a Y": a fronted phrase opens a new clause.
                clause = _Clause()
                last_kind = ""
                last_relation = None
            holders: list[int]
            verb_for_relation: Verb | None = None
            if last_kind == "NP" and last_np:
                holders = list(last_np)  # "a circle above …", "shows a circle left of …"
            elif (last_kind == "V" and clause.verb is not None) or (
                last_kind in ("CONJ", "ADJ") and (clause.subjects or clause.relative_to)
            ):
                holders = _clause_holders(clause)
                verb_for_relation = clause.verb
            else:
                holders = []
            if (not holders and clause.verb is None) or (last_kind in ("", "END")):
                # Fronted: "Under the X lies a Y", "Left of X, a Y", "Above X there is Y".
                if relation.implicit_object:
                    clause.fronted.append((relation, reader._referent(item.start, exclude=[])))
                    last_kind = "NP-FRONT"
                    continue
                pending = (relation, [], None)
                clause.fronted.append((relation, []))
                last_kind = "R-FRONT"
                continue
            if not holders and clause.verb is not None and not clause.subjects:
                pending = (relation, [], None)
                clause.fronted.append((relation, []))
                last_kind = "R-FRONT"
                continue
            if relation.implicit_object:
                referent = reader._referent(item.start, exclude=holders)
                reader.relate(holders, relation, referent, verb_for_relation, item.start, item.end)
                pending = None
                last_kind = "R-DONE"
                continue
            pending = (relation, holders, verb_for_relation)
            last_kind = kind
            continue
        if kind == "V":
            verb = item.verb
            assert verb is not None
            if clause.relative_to is not None and clause.verb is not None:
                # The relative clause is over; the outer clause's verb follows.
                clause = clause.outer or _Clause()
            if clause.participle and not verb.gerund:
                # "A man wearing a shirt is riding a horse": the finite verb is the main one.
                clause.participle = False
                clause.verb = verb
                last_kind = kind
                continue
            if clause.verb is None and verb.gerund and clause.subjects and last_kind == "NP":
                clause.participle = True
            if (
                clause.verb is not None
                and clause.relative_to is None
                and since_conj
                and (last_kind in ("NP",))
            ):
                # "…, and the square is above …": a new clause with the last subject.
                _drop_tentative(reader, since_conj)
                clause = _Clause(subjects=list(since_conj))
                last_relation = None
            elif (
                clause.verb is not None
                and clause.relative_to is None
                and last_kind == "NP"
                and (verb.gerund and last_np)
            ):
                # "a man riding a horse": a participle phrase on the last noun phrase.
                inner = _Clause(subjects=list(last_np), relative_to=list(last_np), outer=clause)
                clause = inner
            elif (
                clause.verb is not None
                and clause.relative_to is None
                and not verb.copula
                and (last_kind == "NP" and last_np and previous_np_role == "object")
                and verb.gerund
            ):
                clause = _Clause(subjects=list(last_np), relative_to=list(last_np), outer=clause)
            clause.verb = verb
            subjects_frame = [m for m, _ in reader.mentions if m.frame or m.speaker]
            if verb.lemma in _REPORT_VERBS and (
                not clause.subjects
                and (subjects_frame or not reader.mentions or last_kind in ("", "END"))
            ):
                clause.report = True
            last_kind = kind
            continue
        if kind == "NP":
            mention = item.mention
            assert mention is not None
            # Frames: "The picture shows", "In the image, …", "An image of …"; a bare
            # summary before a list ("three shapes: a …") names nothing new either.
            summary = (
                mention.head in _GENERIC_HEADS
                and not mention.modifiers
                and position + 1 < len(items)
                and items[position + 1].word == ":"
            )
            if summary or (mention.head in _FRAME_NOUNS and _frame_role(items, position, mention)):
                mention.frame = True
                reader.mentions.append((mention, []))
                if pending is not None and not pending[1]:
                    clause.fronted = [f for f in clause.fronted if f[0] is not pending[0]]
                    pending = None
                last_kind = "FRAME"
                previous_np_role = "frame"
                continue
            exclude = (
                pending[1]
                if pending is not None
                else (
                    _clause_holders(clause)
                    if clause.verb is not None and not clause.verb.copula
                    else []
                )
            )
            if (
                last_kind in ("CONJ", "END")
                and position + 1 < len(items)
                and (items[position + 1].kind == "V")
                and clause.verb is not None
                and clause.relative_to is None
            ):
                # "…, and it is above …": this noun phrase starts a new clause.
                _drop_tentative(reader, [])
                clause = _Clause()
                pending = last_relation = None
                exclude = []
            objects = reader.objects_for(mention, subject_of=exclude)
            reader.mentions.append((mention, objects))
            if (
                pending is None
                and last_kind == "CONJ"
                and last_relation is not None
                and (previous_np_role == "object")
            ):
                pending = last_relation  # "above a square and a triangle"
            if pending is not None and pending[1]:
                relation, holders, verb_for_relation = pending
                last_relation = pending
                if last_kind == "CONJ":
                    reader.tentative.append((len(reader.parse.relations), objects))
                reader.relate(holders, relation, objects, verb_for_relation,
                              min(mention.start, relation.start), mention.end)  # fmt: skip
                previous_np_role = "object"
                # "above X and Y": Y joins the same relation (kept open for conjuncts).
            elif pending is not None and not pending[1]:
                # The object of a fronted relation; its subject comes later.
                relation = pending[0]
                clause.fronted = [(r, objects if r is relation else o) for r, o in clause.fronted]
                pending = None
                previous_np_role = "fronted-object"
                last_np = objects
                since_conj += objects
                last_kind = "NP-FRONT"
                continue
            elif last_kind == "CONJ" and previous_np_role == "verb-object" and clause.verb:
                reader.verb_relation(_clause_holders(clause), clause.verb, objects,
                                     mention.start, mention.end)  # fmt: skip
                reader.tentative.append((len(reader.parse.relations) - 1, objects))
            elif (
                clause.fronted
                and (
                    clause.verb is not None
                    or clause.existential
                    or (last_kind in ("NP-FRONT", "CONJ"))
                )
                and not clause.subjects
            ):
                # The subject of fronted relations: "Under the X lies [a Y]".
                for relation, fronted_objects in clause.fronted:
                    reader.relate(objects, relation, fronted_objects, None,
                                  relation.start, mention.end)  # fmt: skip
                clause.fronted = []
                clause.subjects = list(objects)
                previous_np_role = "subject"
            elif clause.verb is None and not clause.report:
                clause.subjects += objects
                previous_np_role = "subject"
            elif clause.verb is not None and clause.verb.copula:
                if clause.existential or clause.report:
                    clause.subjects += objects
                    previous_np_role = "subject"
                elif _is_placeholder(clause, reader):
                    # "This is grass at the field", "It is a red circle": the subject names
                    # nothing new; the noun phrase is the thing.
                    clause.subjects = list(objects)
                    previous_np_role = "subject"
                else:
                    reader.parse.kinds += [
                        (h, mention, item.start, item.end) for h in _clause_holders(clause)
                    ]
                    _undo_objects(reader, objects)
                    previous_np_role = "nominal"
                    last_kind = "NOMINAL"
                    last_np = []
                    continue
            elif clause.verb is not None:
                if clause.report or not _clause_holders(clause):
                    clause.report = True  # "Draw a circle", "The picture shows a circle"
                    clause.subjects += objects if not clause.subjects else []
                    last_np = objects
                    since_conj += objects
                    last_kind = "NP"
                    previous_np_role = "reported"
                    continue
                holders = _clause_holders(clause)
                reader.verb_relation(holders, clause.verb, objects, mention.start, mention.end)
                previous_np_role = "verb-object"
            last_np = objects
            since_conj += objects
            last_kind = "NP"
            if pending is not None and pending[1]:
                pending = None  # its conjuncts ("and a triangle") come through last_relation
            continue


def _starts_clause(items: list[_Item], position: int) -> bool:
    """Whether the relation phrase at ``position`` opens its clause (fronted).

    It does when its object is followed by an existential, a verb or another noun phrase
    (the clause's subject).
    """
    k = position + 1
    while k < len(items) and items[k].kind == "NP":
        k += 1
        if k < len(items) and items[k].kind in ("THERE", "V", "NP"):
            return True
        if k < len(items) and items[k].kind == "CONJ" and items[k].word == ",":
            k += 1
    return False


def _clause_holders(clause: _Clause) -> list[int]:
    if clause.relative_to is not None:
        return clause.relative_to
    return clause.subjects


def _is_placeholder(clause: _Clause, reader: _Reader) -> bool:
    if clause.subjects:
        return False
    return any(m.pronoun or m.frame or m.speaker for m, _ in reader.mentions[-2:]) or (
        not reader.mentions[:-1]
    )


def _undo_objects(reader: _Reader, objects: list[int]) -> None:
    """A predicate nominal ("is a triangle") names a class, not another object."""
    if objects and objects[-1] == len(reader.parse.objects) - 1:
        for index in sorted(objects, reverse=True):
            if index == len(reader.parse.objects) - 1 and not any(
                index in (r.subject, r.object) for r in reader.parse.relations
            ):
                reader.parse.objects.pop()


def _drop_tentative(reader: _Reader, subjects: list[int]) -> None:
    """A noun phrase first read as a second object turned out to start a new clause."""
    relations = reader.parse.relations
    reader.parse.relations = [
        r
        for r in relations
        if not any(r.object in objs and r.object in subjects for _, objs in reader.tentative)
    ]
    reader.tentative = []


def _frame_role(items: list[_Item], position: int, mention: Mention) -> bool:
    """Whether "picture"/"image" here names the picture itself."""
    before = items[position - 1] if position > 0 else None
    after = items[position + 1] if position + 1 < len(items) else None
    if (
        after is not None
        and after.kind == "V"
        and after.verb is not None
        and (after.verb.lemma in _REPORT_VERBS or after.verb.copula)
    ):
        return True
    if (
        before is not None
        and before.kind == "R"
        and before.relation is not None
        and (before.relation.words in ("in", "on"))
        and (position - 1 == 0 or items[position - 2].kind in ("END", "CONJ", "NP", "V"))
    ):
        return mention.determiner in ("definite", None) or position - 1 == 0
    if (
        after is not None
        and (
            after.kind == "OF"
            or (
                after.kind == "R"
                and after.relation is not None
                and after.relation.words
                in (
                    "with",
                    "of",
                    "in",
                    "showing",
                )
            )
            or (after.kind == "V" and after.verb is not None and after.verb.gerund)
        )
        and position <= 1
    ):
        return True  # fmt: skip
    return position == 0 and after is not None and after.kind == "END"


# --------------------------------------------------------------------------- facts


_CLAUSE_RULES = {"spatial", "predicative", "definition", "relation"}


def emit_facts(
    parse: SceneParse, span: Span, sentence_index: int, context: SceneContext, out: DocumentFacts
) -> None:
    """Map a sentence's scene graph onto the graph vocabulary and append its facts.

    Objects get ``rdf:type kg:Object``; a head noun the lexicon knows as a shape gives a
    ``shape`` (others a concept type); lexicon adjectives give ``colour``/``size``/
    ``shape``, other modifiers ``kg:attribute`` values; spatial relation phrases give
    ``left_of``/``above`` …, others an open predicate ("ride", "sit on"). A generic subject
    ("Every glorp", "Zibs", "A fep is green") is a concept, and its predicates define it.
    """
    lexicon = context.lexicon
    tokens = [t for t in span if not t.is_space]
    stated: set[tuple[Node, str, Node]] = set()  # "Zibs are large" names two zibs, one concept

    def char_span(start: int, end: int) -> tuple[int, int]:
        start = max(0, min(start, len(tokens) - 1))
        end = max(start + 1, min(end, len(tokens)))
        return tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1].text)

    def add(subject: Node, predicate: str, obj: Node, start: int, end: int, rule: str) -> None:
        if (parse.negated and rule in _CLAUSE_RULES) or (subject, predicate, obj) in stated:
            return
        stated.add((subject, predicate, obj))
        a, b = char_span(start, end)
        out.facts.append(Fact(subject, predicate, obj, sentence_index, a, b, rule))

    def attribute_facts(node: Node, words: list[str], start: int, end: int, rule: str) -> None:
        for word in words:
            known = lexicon.attribute_of(word)
            if known is not None:
                add(node, known[0], Node("value", known[1]), start, end, rule)
            elif lexicon.shape_nouns.get(word) is not None:
                add(node, "shape", Node("value", lexicon.shape_nouns[word]), start, end, rule)
            elif word not in _GENERIC_HEADS:
                add(node, "attribute", Node("value", word, label=word), start, end, rule)

    generic = _generic_subjects(parse, lexicon.shape_nouns)
    nodes: dict[int, Node] = {}
    earlier = context.instances
    for index, obj in enumerate(parse.objects):
        mention = obj.mention
        if obj.reused:
            nodes[index] = earlier[index][0]
            continue
        if index in generic:
            name = obj.name
            if any(g in nodes and parse.objects[g].group == obj.group for g in generic):
                nodes[index] = next(
                    nodes[g] for g in generic if g in nodes and parse.objects[g].group == obj.group
                )
                obj.generic = True
                continue
            node = Node("concept", name, label=name)
            context.known_concepts.add(name)
            add(node, "type", Node("concept", "Concept"), mention.start, mention.end, "generic")
            attribute_facts(node, obj.attributes, mention.start, mention.end, "modifier")
            nodes[index] = node
            obj.generic = True
            continue
        node = context.new_instance()
        nodes[index] = node
        add(node, "type", Node("concept", "Object"), mention.start, mention.end, "mention")
        attribute_facts(node, obj.attributes, mention.start, mention.end, "modifier")
        shape = lexicon.shape_nouns.get(obj.name)
        if shape is not None:
            add(node, "shape", Node("value", shape), mention.start, mention.end, "head-shape")
        elif obj.name not in _GENERIC_HEADS and obj.name not in _INDEFINITE_PRONOUNS:
            add(node, "type", Node("concept", obj.name, label=obj.surface), mention.start,
                mention.end, "head")  # fmt: skip
            context.known_concepts.add(obj.name)
        context.instances.append((node, obj))
    # Extra attributes stated about earlier objects ("The circle is red" reuses one).
    for index, obj in enumerate(parse.objects):
        if obj.reused:
            previous = earlier[index][1]
            new = [a for a in obj.attributes if a not in previous.attributes]
            attribute_facts(nodes[index], new, 0, len(tokens), "modifier")
            previous.attributes.extend(new)
    last = len(tokens)
    for subject, word, start, _end in parse.predicates:
        if subject in nodes:
            attribute_facts(nodes[subject], [word], parse.objects[subject].mention.start
                            if not parse.objects[subject].reused else start, last,
                            "predicative")  # fmt: skip
            if parse.objects[subject].reused:
                earlier[subject][1].attributes.append(word)
    for subject, nominal, _start, end in parse.kinds:
        if subject not in nodes:
            continue
        node = nodes[subject]
        begin = parse.objects[subject].mention.start
        if parse.objects[subject].reused:
            begin = nominal.start
        attribute_facts(node, nominal.modifiers, begin, end, "definition")
        shape = lexicon.shape_nouns.get(nominal.head)
        if shape is not None:
            add(node, "shape", Node("value", shape), begin, end, "definition")
        elif nominal.head not in _GENERIC_HEADS:
            link = "subclass_of" if node.kind == "concept" else "type"
            add(node, link, Node("concept", nominal.head, label=nominal.surface), begin, end,
                "definition")  # fmt: skip
    for relation in parse.relations:
        s, o = nodes.get(relation.subject), nodes.get(relation.object)
        if s is None or o is None or s == o:
            continue
        if s.kind == "concept" or o.kind == "concept":
            continue
        predicate = relation.spatial or slug(relation.predicate)
        rule = "spatial" if relation.spatial else "relation"
        add(s, predicate, o, relation.start, relation.end, rule)


def _generic_subjects(parse: SceneParse, shape_nouns: dict[str, str]) -> set[int]:
    """Objects that are concepts being defined rather than things in a picture.

    "A glorp is red." defines glorps; "A circle is red." describes a circle in the picture:
    a noun the model draws directly (a lexicon shape noun) is never being defined.
    """
    in_relation = {r.subject for r in parse.relations} | {r.object for r in parse.relations}
    classified = {h for h, *_ in parse.kinds}
    defined = {h for h, *_ in parse.predicates} | classified
    generic = set()
    for index, obj in enumerate(parse.objects):
        if obj.reused:
            continue
        mention = obj.mention
        if (
            mention.determiner == "generic"
            or (
                mention.determiner is None
                and mention.plural
                and index in defined
                and mention.count is None
            )
            or (
                mention.determiner == "indefinite"
                and index in defined
                and obj.name not in shape_nouns
                # "A breeches is a trousers ending above the knee": the relation is part
                # of the definition when the subject is said to be a kind of something.
                and (index not in in_relation or index in classified)
                and not mention.anaphor
                and mention.count is None
            )
        ):
            generic.add(index)
    return generic


#: Named-entity labels that mark a sentence as encyclopedic rather than descriptive.
_ENCYCLOPEDIC_ENTITIES = {
    "PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "PRODUCT", "MONEY", "PERCENT",
}  # fmt: skip


def _names_something(ent: Span, sentence_start: int) -> bool:
    """Whether an entity is a real name, not the tagger's guess at an unknown noun.

    A lower-case "entity" ("a morp") and a lone capitalised word opening the sentence
    ("Grells are cyan.", tagged a person in a long text) are nouns the tagger did not
    know; a sentence that opens with a real name and says something in open words still
    reaches the dependency rules (an "open" claim).
    """
    words = [t for t in ent if t.pos_ != "DET"]  # "An orange zib" opening a sentence
    if ent.label_ not in _ENCYCLOPEDIC_ENTITIES or all(t.text.islower() for t in words):
        return False
    return not (len(ent) == 1 and ent.start == sentence_start)


#: Dependencies of a verb's subject.
_NAMED_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _names_subject(subject: Token, sentence_start: int) -> bool:
    """Whether a subject is a proper name of more than one word, or not opening the sentence.

    The entity recogniser misses many names ("300 North LaSalle", "The dish Bakso"); a
    lone capitalised word opening the sentence is as often a noun it did not know
    ("Grells are cyan.").
    """
    if subject.pos_ != "PROPN" or not subject.text[:1].isupper():
        return False
    first = min([subject.i] + [c.i for c in subject.lefts if c.dep_ in ("compound", "nummod")])
    return subject.i > first or first != sentence_start


def _counts_more_than_a_picture(number: Token) -> bool:
    """Whether a count is more than a scene caption counts.

    Above twelve, the largest it writes in words ("500 pupils", "twenty people"), or not a
    whole number ("2.1 million").
    """
    word = number.lower_
    if word in _NUMBERS:
        return False
    digits = word.replace(",", "")
    if digits.isascii() and digits.isdigit():
        return int(digits) > max(_NUMBERS.values())
    return bool(number.like_num)


def describes_scene(span: Span, entities: Sequence[Span] | None = None) -> bool:
    """Whether a sentence reads as a description of what is where (not an encyclopedic fact).

    Names of people, places and organisations, a subject that is a proper name, dates, a
    number in a unit, and a main verb in the past tense ("The cat slept on the sofa.",
    "Glorps were first described in 1901.") leave the sentence to the dependency rules for
    general English.
    """
    ents = span.ents if entities is None else entities  # span.ents scans the whole doc
    if any(_names_something(ent, span.start) for ent in ents):
        return False
    for t in span:
        if not t.like_num:
            continue
        if unit_after(t.doc, t.i + 1, span.end):
            return False  # a measure ("flows at a rate of 300 cubic metres") counts no objects
        if t.dep_ == "nummod" and t.head.tag_ == "NNS" and _counts_more_than_a_picture(t):
            return False  # "The school enrolls 500 pupils" states a number, draws no crowd
    root = span.root
    subjects = [c for c in root.children if c.dep_ in _NAMED_SUBJECTS]
    if any(_names_subject(c, span.start) for c in subjects):
        return False  # "300 North LaSalle has 60 floors" counts no floors in a picture
    return not (root.tag_ == "VBD" or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in root.children
    ))  # fmt: skip


def parse_scene_sentence(
    span: Span,
    sentence_index: int,
    context: SceneContext,
    out: DocumentFacts,
    entities: Sequence[Span] | None = None,
) -> str:
    """Extract a descriptive sentence's scene graph as facts.

    Returns:
        ``"none"`` when the sentence was not claimed (it does not describe a scene, or
        names no object and says nothing about one met before): ``out`` is untouched.
        ``"scene"`` when it was, in words of the lexicon (a shape noun, a colour, a
        spatial phrase): the scene graph is all it says. ``"open"`` when it was, in open
        words only ("The keys are on the table."): the dependency rules read it too, for
        the concept-level facts a knowledge graph keeps ("key is_on table").
    """
    if not describes_scene(span, entities):
        return "none"
    parse = parse_scene(span, context)
    new = [o for o in parse.objects if not o.reused]
    says = (
        parse.relations
        or parse.predicates
        or parse.kinds
        or any(o.attributes for o in parse.objects if o.reused)
    )
    if not new and not says:
        return "none"
    if _speaks_scene_words(parse, context.lexicon):
        emit_facts(parse, span, sentence_index, context, out)
        return "scene"
    # Open words only: the objects the sentence describes go in, while what it says about
    # classes ("A whale is a mammal") is left to the dependency rules, and so are the
    # concept nouns they should treat as concepts (only definitions in scene words add them).
    concepts = set(context.known_concepts)
    described = DocumentFacts(out.doc_id, out.text)
    emit_facts(parse, span, sentence_index, context, described)
    out.facts += [f for f in described.facts if f.subject.kind == "instance"]
    context.known_concepts.intersection_update(concepts)
    return "open"


def _speaks_scene_words(parse: SceneParse, lexicon: Lexicon) -> bool:
    """Whether the sentence is said in the lexicon's words and nothing else.

    Every relation is a spatial one, and something is said with a lexicon word: a spatial
    relation, a shape noun, a colour/size/shape adjective, or a class in those words.
    """
    if parse.encyclopedic_marks or any(r.spatial is None for r in parse.relations):
        return False
    if parse.relations:
        return True
    words = [w for o in parse.objects if not o.reused for w in o.attributes]
    words += [w for _, w, *_ in parse.predicates]
    words += [w for _, m, *_ in parse.kinds for w in m.modifiers]
    nouns = [o.name for o in parse.objects if not o.reused] + [m.head for _, m, *_ in parse.kinds]
    return any(lexicon.attribute_of(w) is not None for w in words) or any(
        n in lexicon.shape_nouns for n in (*nouns, *words)
    )
