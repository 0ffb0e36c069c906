"""Dependency rules for general English.

Entities, SVO, passives, verb + preposition, copula + preposition, appositions,
possessives, conjunctions and negation.

They run on every sentence the scene grammar does not claim. Each rule reads spaCy's
dependency parse; nodes are named entities (one IRI per canonical name across the corpus)
or noun-chunk concepts keyed by compounds + head lemma ("fire truck").
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Final, TypeGuard

from spacy.attrs import IS_UPPER, LENGTH
from spacy.tokens import Doc, Span, Token

from kg_extract.facts import DocumentFacts, Fact, Node
from kg_extract.lexicon import Lexicon
from kg_extract.linking import NAME_WORD, acronym, short_name
from kg_extract.scene_parser import PLURALIA_SINGULARS, PLURALIA_TANTUM
from kg_extract.schema_mapping import country_name, country_of_demonym, is_country
from kg_extract.values import value_node
from kg_extract.vocab import slug

_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
#: A nominal subject, active or passive.
_ANY_SUBJECT: Final = ("nsubj", "nsubjpass")
_OBJECTS = {"dobj", "obj", "dative"}
_PRONOUNS = {"it", "he", "she", "they", "him", "her", "them", "its", "his", "their"}
_PLACES = frozenset({"GPE", "LOC", "FAC"})
#: A thing's place, as "X is located in Y" names it.
_PLACE_PREDICATE = "located_in"
#: Adjectives that name something ("Greek", "French"): values, not qualities.
_NAMED_ADJECTIVES = frozenset({"NORP", "LANGUAGE"})
#: Group adjectives the recogniser marks NORP that name no nationality.
_FAITHS_AND_PARTIES = frozenset({
    "buddhist", "catholic", "christian", "communist", "conservative", "democrat",
    "democratic", "hindu", "islamic", "jewish", "labour", "liberal", "muslim", "orthodox",
    "protestant", "republican", "sikh", "socialist",
})  # fmt: skip
#: Entity types whose words end a name the NER cut short ("U.S. President Obama"): a name
#: does not reach back over a place, a nationality or a date.
_NOT_IN_NAMES = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE"})
#: Pronouns naming the writer, the reader or nobody in particular: no entity of the text
#: ("the strap on your back" is not the bag's back).
_UNRESOLVED_PRONOUNS = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves",
    "you", "your", "yours", "yourself", "yourselves", "oneself",
    "someone", "somebody", "something", "anyone", "anybody", "anything",
    "everyone", "everybody", "everything", "nobody", "nothing",
})  # fmt: skip
#: Subjects that deny what their verb says ("Nobody can find Atlantis in Greece").
_NEGATIVE_SUBJECTS = frozenset({"nobody", "nothing", "none"})
_PERSONAL_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_NOUN_POS = {"NOUN", "PROPN"}
_NUMERIC_ENTITIES = {"ORDINAL", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "TIME"}
_VALUE_ENTITIES = _NUMERIC_ENTITIES | {"DATE"}


class GeneralContext:
    """Per-document state: pronoun resolution and the document's concept nouns.

    ``known_concepts`` is shared with the scene grammar: a noun defined as a concept
    ("A glorp is …") stays a concept when a later sentence of the same document uses it
    ("Glorps were first described …"), even where the tagger calls it a proper noun.
    It is per document (per segment of a long one), so a document's facts never depend
    on the documents read before it.
    """

    def __init__(self, lexicon: Lexicon, known_concepts: set[str] | None = None) -> None:
        self.lexicon = lexicon
        self.known_concepts = known_concepts if known_concepts is not None else set()
        self.last_person: Node | None = None
        #: People named before the sentence being read (most recent last), and the
        #: sentence's own person names: "he" or "she" is the nearest person named before
        #: it whose gender, where the text shows it, agrees.
        self.people_before: list[Node] = []
        self.person_spans: list[Span] = []
        self.recent_people: dict[str, Node] = {}
        #: Gender shown by the text (a title, a pronoun already read): key → "f" or "m".
        self.gender: dict[str, str] = {}
        self.last_thing: Node | None = None
        #: The first named subject of the previous sentence, which a pronoun opening the
        #: next one most often means ("X was born in Y. He studied at Z.").
        self.topic: Node | None = None
        self.next_topic: Node | None = None
        #: Whether the topic is the passive subject of a verb and not a person's name,
        #: which "he" or "she" does not mean.
        self.topic_is_thing = False
        self.next_topic_is_thing = False
        #: Full person names seen in this document by their last word ("Franklin" →
        #: "Rosalind Franklin"), so a later surname alone is the same person.
        self.people: dict[str, Node] = {}
        #: Token index of the sentence's first noun: a pronoun before it opens the sentence.
        self.first_name = 0
        #: Token index → named-entity span, for the sentence being read.
        self.entities: dict[int, Span] = {}
        #: Token index where the sentence being read ends (``token.sent`` re-scans the doc).
        self.sentence_end = 0
        #: Short names of this document's entities: "Barcelona" after "FC Barcelona",
        #: "NASA" after "National Aeronautics and Space Administration (NASA)".
        self.aliases: dict[str, str] = {}
        #: Character offset of each token read as an entity → (end offset, entity node):
        #: which name, pronoun or possessive stands for which node (see ``Mention``).
        self.mentions: dict[int, tuple[int, Node]] = {}
        #: Token index → the entity it stands for, for the sentence being read.
        self.resolved: dict[int, Node] = {}
        #: Token indices of the sentence's prepositions a rule has read a value from.
        self.read_preps: set[int] = set()
        #: Tokens of the sentence's identifiers and their values (see :func:`_identifiers`).
        self.identifier_tokens: set[int] = set()
        #: The document whose acronyms (token indices) ``acronyms`` holds.
        self.acronyms_of: Doc | None = None
        self.acronyms: list[int] = []
        #: The owner of the property the sentence's last "the N of X is Y" clause stated,
        #: which a conjoined "and the M is Z" keeps.
        self.clause_owner: Token | None = None
        #: Class noun → the entities of that class, each with the character offset where
        #: it was named, in reading order: "the airport" after "Angola International
        #: Airport", "the mountain" after "Zephyr Ridge is a mountain in Chile".
        self.kinds: dict[str, list[tuple[int, Node]]] = {}
        #: Entity start → the type of the longer name it was joined into (in the sentence).
        self.joined_types: dict[int, str | None] = {}


#: "a kind of", "a type of" …: the noun after "of" is the class.
_KIND_WORDS = {"kind", "type", "sort", "variety", "form", "style", "brand", "pair"}
#: "X is a Y with/for Z" still says X is a Y; other prepositions make a relation
#: ("X is the capital of Y" → ``capital_of``).
_QUALIFYING = {"with", "for"}
#: Property nouns whose value is a class ("X's occupation was a test pilot").
_ROLE_PROPERTIES: Final = frozenset({"occupation", "profession", "job", "vocation"})


def _conjuncts(token: Token) -> Iterator[Token]:
    yield token
    if token.n_rights:  # conjuncts follow their head; most tokens have no right children
        for child in token.rights:
            if child.dep_ == "conj":
                yield from _conjuncts(child)


def _node(token: Token, context: GeneralContext) -> Node | None:
    """The node a noun token stands for, or ``None`` for tokens that name nothing.

    A token read as an entity (a name, a pronoun) is recorded as a mention of it, and
    stands for that entity however often the rules ask: its first reading (the entities
    are read first, in text order) holds, so a name is not re-read in the light of names
    that follow it ("Asunción is a part of Gran Asunción").
    """
    if token.i in context.resolved:
        return context.resolved[token.i]
    node = _node_of(token, context)
    if node is not None and node.kind == "entity":
        context.resolved[token.i] = node
        ent = context.entities.get(token.i)
        start, end = (
            (ent.start_char, ent.end_char)
            if ent is not None
            else (token.idx, token.idx + len(token.text))
        )
        context.mentions.setdefault(start, (end, node))
    return node


_POSSESSIVE_END = re.compile(r"\s*['’]s?$")


def _node_of(token: Token, context: GeneralContext) -> Node | None:
    lower = token.text.lower()
    antecedent = _antecedent(token)
    if antecedent is not None and (
        antecedent.pos_ == "PROPN"
        # "He is a US national who was born in …": who is he
        or (antecedent.pos_ == "PRON" and antecedent.lower_ not in _UNRESOLVED_PRONOUNS)
    ):
        # "Chicago, which is part of …": the relative names Chicago. Common-noun
        # antecedents ("a bag of canvas that holds water") keep the nearest-noun reading
        # the shipped models were trained with.
        return _node(antecedent, context)
    if token.pos_ == "PRON" or lower in _PRONOUNS:
        if lower in _UNRESOLVED_PRONOUNS:
            return None
        gender = _PERSONAL_PRONOUNS.get(lower)
        if (
            context.topic is not None
            and lower in _PRONOUNS
            and token.i < context.first_name
            # "Apollo 12 was operated by NASA … He was born …": not the passive thing
            and not (gender is not None and context.topic_is_thing)
        ):
            if gender is not None and context.topic.entity_type == "PERSON":
                context.gender.setdefault(context.topic.key, gender)
            return context.topic  # a pronoun before any noun in its sentence
        if gender is not None:
            return _person_for(token, gender, context)
        return context.last_thing or context.last_person
    if (
        token.text in context.people
        and token.pos_ in _NOUN_POS
        and token.i not in context.entities
        and token.text[:1].isupper()
        and not any(c.dep_ == "compound" for c in token.lefts)
    ):
        return context.people[token.text]  # "Babbage", tagged a common noun, is the person
    for candidate in (lower, lower[:-1] if lower.endswith("s") else lower):
        if candidate in context.known_concepts and not any(
            c.dep_ == "compound" for c in token.lefts
        ):  # "a wedding gown" is not the gown a definition named
            return Node("concept", candidate, label=candidate)
    if token.pos_ == "NOUN":
        # "the country of Romania", "the genre of jazz", "the dish Bandeja paisa", "the
        # club, C.D. FAS": a kind noun followed by a name stands for the named thing.
        named = _named(token, lower) or _name_before(token, context)
        if named is not None:
            return _node(named, context)
        earlier = _definite_reference(token, context)
        if earlier is not None:
            return earlier
    ent = context.entities.get(token.i)
    title = _title_with_article(token)
    if title is not None:
        node = Node("entity", title, label=title, entity_type=ent.label_ if ent else None)
        context.last_thing = node
        return node
    if token.pos_ == "NUM" or (
        ent is not None and ent.label_ in _VALUE_ENTITIES and not _numbered_name(token, ent)
    ):
        value = value_node(token, context.entities)
        if value is not None:
            return value
    if ent is not None:
        text = ent.text
        for prefix in ("the ", "The ", "a ", "an "):
            text = text.removeprefix(prefix)
        last = ent[-1]
        if len(ent) > 1 and last.lower_ in _TRAILING_KINDS and last.is_lower:
            text = text.removesuffix(last.text).rstrip()  # "the Serie A league" is Serie A
        if text.endswith(("'", "’", "'s", "’s")):
            text = _POSSESSIVE_END.sub("", text)  # "Sri Lanka's" names Sri Lanka
        gender = None
        if ent.label_ == "PERSON":
            gender = _title_gender(ent)
            text = _without_title(text)  # "Dr. Albert Einstein" is Albert Einstein
            role = 0
            while (
                # "Footballer Stuart Parker" is Stuart Parker; "Point Fortin" is a name
                role < len(ent) - 2 and ent[role].pos_ == "NOUN" and ent[role + 1].pos_ == "PROPN"
            ):
                role += 1
            if role:
                text = text.removeprefix(ent[:role].text).lstrip()
        doc = token.doc
        name_start = _name_start(ent)
        if name_start < ent.start:  # "FC Barcelona": the NER cuts it to "Barcelona"
            text = f"{doc[name_start : ent.start].text} {text}"
            if ent.label_ == "PERSON":
                text = _without_title(text)  # "Prime Minister Klaus Iohannis", NER cut
        joined_start, joined_end = _joined_name(doc, name_start, ent.end)
        if joined_start < name_start:
            text = doc[joined_start:name_start].text_with_ws + text
        label = _joined_label(ent, joined_end)
        if joined_start < name_start and doc[name_start - 1].text == _EPITHET_ARTICLE:
            label = doc[joined_start].ent_type_ or label  # "the Apostle" of Andrew: a person
            context.joined_types[ent.start] = label
        if joined_end > ent.end:
            text = text + doc[ent.end - 1].whitespace_ + doc[ent.end : joined_end].text
            context.joined_types[ent.start] = label
        if ent.end == context.sentence_end and text.endswith(".") and "." not in text[:-1]:
            text = text[:-1]  # "18R/36L." at the end of a sentence
        if (
            ent.end < len(doc)
            and doc[ent.end].like_num
            and (
                doc[ent.end].head.i in range(ent.start, ent.end)
                # "the Apollo 8 operator": name and number both hang on the noun
                or (doc[ent.end].dep_ == "nummod" and doc[ent.end].head == doc[ent.end - 1].head)
            )
        ):
            text = f"{text} {doc[ent.end].text}"  # "Apollo 8"
        if (
            ent.start > 0
            and doc[ent.start - 1].like_num
            and (
                doc[ent.start - 1].head.i in range(ent.start, ent.end)
                # "107 Camilla was discovered …", the number parsed apart
                or (doc[ent.start - 1].is_sent_start and doc[ent.start - 1].text.isdigit())
            )
        ):
            text = f"{doc[ent.start - 1].text} {text}"  # "110 Lydia"
        country = None
        if label == "GPE":
            place = _place_before_region(token)
            if place is not None:
                # "Amarillo, Texas is …", parsed with Texas as the subject, is Amarillo.
                return _node(place, context)
            country = country_name(text)
            text = country or text  # "the U.S." and "United States": one node
        region = _region_after(ent.end, token.doc)
        if region is not None:  # "Amarillo, Texas" is one place
            text = f"{text}, {region.text}"
        text = context.aliases.get(text, text)
        _note_aliases(text, ent, context)
        node = Node("entity", text, label=text, entity_type=label)
        if label not in ("GPE", "LOC", "FAC", "NORP"):
            node = _same_person(node, context)
        if country is not None and node.key == country:  # not "Angola, Indiana"
            _note_kind(node, "country", ent.start_char, context)
            _note_kind(node, "nation", ent.start_char, context)
        elif label != "PERSON":
            _note_name_kind(node, ent.start_char, context)
        if label == "PERSON":
            context.last_person = node
            context.recent_people.pop(node.key, None)
            context.recent_people[node.key] = node
            if gender is not None:
                context.gender.setdefault(node.key, gender)
        else:
            context.last_thing = node
        return node
    if token.pos_ not in _NOUN_POS and token.pos_ != "NUM":
        return None
    if token.pos_ == "NUM":
        text = token.text.rstrip(".") if token.i == token.sent.end - 1 else token.text
        return Node("literal", text, label=text)
    if lower == "language":
        # "the English language", "the Tamil language": the language's name.
        language_name = [c for c in token.lefts if c.dep_ in ("amod", "compound") and c.is_title]
        if language_name:
            text = " ".join([*(c.text for c in language_name), token.text])
            return Node("entity", text, label=text, entity_type="LANGUAGE")
    compounds = [c for c in token.lefts if c.dep_ == "compound"]
    words = [c.text.lower() for c in compounds] + [_singular(token)]
    key = " ".join(words)
    if token.pos_ == "PROPN" or (
        _capitalised_first(token) and _region_after(token.i + 1, token.doc) is not None
    ):  # "Auburn, Alabama is …", Auburn tagged a common noun
        # "Professor Tolkien" is Tolkien; "the band Twilight" is Twilight
        while compounds and (
            compounds[0].text in _TITLES
            or (compounds[0].lower_ in _DESCRIBING_NOUNS and compounds[0].is_lower)
        ):
            compounds = compounds[1:]
        words = [c.text for c in compounds] + [token.text]
        # "Apollo 8", "110 Lydia": numbers inside a name belong to it.
        words = [
            n.text for n in token.lefts if n.dep_ == "nummod" and n.i == token.i - len(words)
        ] + words
        # "Alfa Romeo 164": a bare number the parser hangs on the name as an apposition
        words += [
            n.text
            for n in token.rights
            if n.i == token.i + 1
            and (n.dep_ == "nummod" or (n.dep_ == "appos" and n.like_num and not n.n_rights))
        ]
        after = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        if after is not None and after.dep_ == "nummod" and after.head == token.head != token:
            words.append(after.text)  # "the Gemini 7 mission": the number hangs on the noun
        region = _region_after(token.i + 1, token.doc)
        if region is not None:
            words[-1] += f", {region.text}"
        name = " ".join(words)
        doc = token.doc
        first = token.i + 1 - len(words)
        if region is None and first >= 0 and doc[first : token.i + 1].text == name:
            joined_start, joined_end = _joined_name(doc, first, token.i + 1)
            name = doc[joined_start:first].text_with_ws + name  # "Polish–Soviet War"
            if joined_end > token.i + 1:
                name += token.whitespace_ + doc[token.i + 1 : joined_end].text
        node = _same_person(Node("entity", name, label=name), context)
        _note_name_kind(node, token.idx, context)
    else:
        node = Node("concept", key, label=key)
    context.last_thing = node
    return node


#: Entity types a title opening a sentence with "A" may carry: not a brand ("A Ford Mustang").
_TITLE_ENTITIES = frozenset({"", "WORK_OF_ART"})


def _title_with_article(token: Token) -> str | None:
    """The title a proper noun heads when it opens with a capitalised article.

    "wrote A Severed Wasp", "A Wizard of Mars is …", "A Fortress of Grey Ice": the article
    and an "of" phrase in capitals belong to the name. At the start of a sentence, where
    every article is capitalised, only words outside the recogniser's names (or in a
    work's title) count ("A Ford Mustang is a car" names no title), and not the subject
    of a definition ("A Mother Hubbard is a dress").
    """
    if token.pos_ != "PROPN" or not token.n_lefts:
        return None
    article = next(token.lefts)
    if article.text not in ("A", "An") or article.dep_ != "det":
        return None
    doc = token.doc
    if article.i > 0 and doc[article.i - 1].text[:1].isupper():
        return None  # "Carl A Wirtanen": an initial
    words = doc[article.i + 1 : token.i + 1]
    if not all(w.text[:1].isupper() and w.pos_ in ("PROPN", "ADJ", "NOUN") for w in words):
        return None
    end = token.i + 1
    of = doc[end] if end < len(doc) else None
    if of is not None and of.lower_ == "of" and of.head.i == token.i:
        named = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), None)
        if (
            named is not None
            and named.left_edge.i == of.i + 1
            and all(w.text[:1].isupper() for w in doc[of.i + 1 : named.i + 1])
        ):
            end = named.i + 1  # "A Wizard of Mars"
    if article.is_sent_start and (
        any(w.ent_type_ not in _TITLE_ENTITIES for w in words)
        # "A Mother Hubbard is a woman's dress": a class being defined
        or (
            token.dep_ == "nsubj"
            and token.head.lemma_ == "be"
            and any(c.dep_ == "attr" and c.pos_ == "NOUN" for c in token.head.children)
        )
    ):
        return None
    return doc[article.i : end].text


def _in_title(ent: Span) -> bool:
    """Whether a name is a word of a title ("Mars" in "A Wizard of Mars")."""
    root = ent.root
    if root.dep_ != "pobj":
        return False
    of = root.head
    return of.lower_ == "of" and of.head.i == of.i - 1 and _title_with_article(of.head) is not None


_DEFINITE = {"the", "this", "that"}


#: Nouns for bodies that a name written before them names: "the Lotus Eaters band".
_BODY_NOUNS: Final = frozenset(
    {"club", "band", "team", "company", "corporation", "firm", "party", "orchestra", "label"}
)
#: Kind nouns the recogniser takes into a name written before them ("the Serie A league").
_TRAILING_KINDS: Final = frozenset({"club", "band", "team", "orchestra", "league"})
#: Lower-case nouns that describe the name written after them ("the band Twilight",
#: "rapper Magik"); "beef kway teow" keeps its first word.
_DESCRIBING_NOUNS: Final = _TRAILING_KINDS | frozenset({
    "singer", "rapper", "musician", "artist", "guitarist", "drummer", "footballer",
    "player", "actor", "actress", "writer", "author", "poet", "painter",
})  # fmt: skip


def _name_before(noun: Token, context: GeneralContext) -> Token | None:
    """The name written before a body or mission noun ("the AZ Alkmaar club"), if any.

    A body's only by an organisation's name: "the Rotterdam club" is a club in Rotterdam.
    A mission's or programme's only by a numbered name ("the Apollo 11 mission"): "the
    NASA mission" is NASA's and "the Mars mission" goes to Mars.
    """
    if noun.i == 0:
        return None
    lemma = noun.lemma_.lower()
    if lemma in _BODY_NOUNS:
        ent = context.entities.get(noun.i - 1)
        if ent is None or ent.label_ != "ORG" or ent.end != noun.i or ent.root.head != noun:
            return None
        return ent.root
    number = noun.doc[noun.i - 1]
    if lemma not in _MISSION_NOUNS or noun.i < 2 or number.dep_ != "nummod" or not number.like_num:
        return None
    ent = context.entities.get(noun.i - 2)
    if ent is None:  # "the Gemini 7 mission": a name the recogniser missed
        name = noun.doc[noun.i - 2]
        return name if name.pos_ == "PROPN" and name.head == noun else None
    if ent.label_ in _NOT_MISSIONS or ent.end != number.i or ent.root.head != noun:
        return None
    return ent.root


#: Nouns for undertakings that a numbered name written before them names.
_MISSION_NOUNS: Final = frozenset({"mission", "program", "programme", "project", "flight"})
#: Entity types that name no mission ("the May 5 mission"); with its number any other
#: name does ("the Mars 3 mission", "the Gemini 7 mission" with Gemini read as a person).
_NOT_MISSIONS: Final = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
)


def _definite_reference(token: Token, context: GeneralContext) -> Node | None:
    """The entity a bare definite class noun refers back to, if the document named one.

    "Zephyr Ridge is a mountain in Chile. The mountain …"; "Angola International Airport … The
    airport is 159 metres above sea level". Only "the/this/that" and the noun, in the
    singular: a modified or complemented noun ("the largest city", "the city of X", "the
    city where …") picks out something of its own.
    """
    if token.tag_ != "NN" or not context.kinds:
        return None
    children = list(token.children)
    # "the country's capital": the possessive ending is no modifier of the noun's own
    if not children or any(
        c.dep_ != "det" or c.lower_ not in _DEFINITE
        for c in children
        if c.dep_ not in ("punct", "case")
    ):
        return None
    # Entities are read before the rest of their sentence: one named after the noun
    # ("The airport is run by X, based at Y Airport") is not what it refers back to.
    before = [
        node for offset, node in context.kinds.get(token.lemma_.lower(), ()) if offset < token.idx
    ]
    if context.topic in before:  # "Denmark is bordered by Germany. The country's capital …"
        return context.topic
    return before[-1] if before else None


def _note_kind(entity: Node, kind: str, offset: int, context: GeneralContext) -> None:
    """Record that ``entity``, said at ``offset``, is a ``kind`` ("test pilot": a "pilot")."""
    for noun in {kind, kind.rsplit(" ", 1)[-1]}:
        context.kinds.setdefault(noun, []).append((offset, entity))


def _note_name_kind(entity: Node, offset: int, context: GeneralContext) -> None:
    """A name whose last word is a class noun is of that class ("Madison County").

    So is one with an institution's noun inside ("University of Texas at Austin", "AC
    Hotel Bella Sky Copenhagen"): "the university", "the hotel" refer back to it.
    """
    words = entity.key.split()
    if len(words) > 1 and words[-1].isalpha() and words[-1][:1].isupper():
        _note_kind(entity, words[-1].lower(), offset, context)
        for word in words[:-1]:
            if word in _INSTITUTION_WORDS:
                _note_kind(entity, word.lower(), offset, context)


#: Institutions' nouns written inside their names, not only last.
_INSTITUTION_WORDS: Final = frozenset({
    "University", "Institute", "College", "School", "Academy", "Hotel", "Museum",
    "Hospital", "Library", "Church", "Cathedral", "Bank", "Society", "Association",
})  # fmt: skip


#: Money words a MONEY entity holds besides currency symbols.
_CURRENCY_WORDS = {
    "dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "yuan", "rupee", "rupees",
    "franc", "francs", "cent", "cents", "peso", "pesos",
}  # fmt: skip


def _numbered_name(token: Token, ent: Span) -> bool:
    """Whether a number entity ending in a capitalised proper noun is a name.

    "200 Public Square was completed in 1985": the recogniser reads "200 Public Square"
    as an amount of money; no currency is said, and it ends in a name.
    """
    return (
        ent.label_ in ("MONEY", "CARDINAL", "QUANTITY")
        and token.pos_ == "PROPN"
        and token.is_title
        and len(token) > 2  # a unit: "45 Km"
        and token.i == ent.end - 1
        and ent[0].text.isdigit()  # "200 Public Square"; not "4.14 Sq Km"
        and not any(t.is_currency or t.lower_ in _CURRENCY_WORDS for t in ent)
    )


#: Kind nouns: "the city of X", "the genre of X" is X.
_KIND_NOUNS = {"city", "country", "state", "town", "county", "region", "nation", "village",
               "province", "island", "district", "municipality", "genre", "order", "family",
               "class", "division", "league"}  # fmt: skip


def _named(token: Token, lower: str) -> Token | None:
    """The name a kind noun stands for.

    "The city *of Amsterdam*", "the dish *Bandeja*", "the asteroid called *109
    Felicitas*", "the body known as *1036 Ganymed*".
    """
    if _indefinite(token):
        return None  # "a lightweight parka, waterproof": a class, not a name's kind
    for child in token.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and child.text[:1].isupper():
            return child
        if child.dep_ == "acl" and child.lemma_ in _NAME_GIVING:
            for named in child.children:
                if named.dep_ == "prep" and named.lower_ == "as":
                    named = next((o for o in named.children if o.dep_ == "pobj"), named)
                if named.dep_ in ("oprd", "pobj") and named.pos_ == "PROPN":
                    return named
        if (
            lower in _KIND_NOUNS
            and child.dep_ == "prep"
            and child.lower_ == "of"
            # "the largest city of Sweden", "the first city of …": one of its cities
            and not any(c.tag_ == "JJS" or c.ent_type_ == "ORDINAL" for c in token.lefts)
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in _NOUN_POS:
                    return pobj
    return None


#: Regions written after a place name as part of it ("Amarillo, Texas", "Brandon, Manitoba"):
#: the states of the United States and Australia, the provinces and territories of Canada.
_STATES = frozenset(
    {
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Georgia",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "Wisconsin",
        "Wyoming",
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "New York",
        "North Carolina",
        "North Dakota",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "West Virginia",
        "D.C.",
        # Canadian provinces and territories, Australian states
        "Alberta",
        "British Columbia",
        "Manitoba",
        "New Brunswick",
        "Newfoundland and Labrador",
        "Nova Scotia",
        "Ontario",
        "Prince Edward Island",
        "Quebec",
        "Saskatchewan",
        "Northwest Territories",
        "Nunavut",
        "Yukon",
        "New South Wales",
        "Queensland",
        "South Australia",
        "Tasmania",
        "Victoria",
        "Western Australia",
    }
)


def _region_after(end: int, doc: Doc) -> Span | None:
    """A state written after the place that ends at token ``end`` ("Amarillo, *Texas*")."""
    if end + 1 >= len(doc) or doc[end].text != ",":
        return None
    for length in (3, 2, 1):
        words = doc[end + 1 : end + 1 + length]
        if (
            len(words) == length
            and words.text in _STATES
            and all(w.pos_ == "PROPN" or w.lower_ == "and" for w in words)
        ):
            return words
    return None


def _place_before_region(token: Token) -> Token | None:
    """The place named before ``token`` when ``token`` is its state ("Amarillo, Texas")."""
    doc = token.doc
    for length in (1, 2, 3):
        start = token.i - length + 1
        if (
            start >= 2
            and doc[start - 1].text == ","
            and (doc[start - 2].pos_ == "PROPN" or _capitalised_first(doc[start - 2]))
        ):
            region = _region_after(start - 1, doc)
            if region is not None and region.end - 1 == token.i:
                return doc[start - 2]
    return None


def _country_after(token: Token, context: GeneralContext) -> Token | None:
    """A country written after a place ("Ahmedabad, *India*"; "Potter County, Texas, *U.S.*")."""
    for child in token.children:
        if child.dep_ in ("appos", "npadvmod", "conj") and child.pos_ == "PROPN":
            ent = context.entities.get(child.i)
            if ent is not None and is_country(ent.text.removeprefix("the ")):
                return child
            deeper = _country_after(child, context)
            if deeper is not None:
                return deeper
    return None


def _antecedent(token: Token) -> Token | None:
    """The noun a relative pronoun ("which", "who", "that", "whose") stands for."""
    if token.tag_ not in ("WDT", "WP", "WP$") and token.lower_ != "that":
        return None
    if token.lower_ == "which" and token.dep_ == "pobj" and token.head.lower_ == "of":
        # "the United States, the leader of which was X": the small model seldom makes
        # the clause relative; the name written before the phrase is what "which" means.
        doc, before = token.doc, token.head.head.left_edge.i - 1
        if before > 0 and doc[before].text == ",":
            before -= 1
        if before >= 0 and doc[before].pos_ == "PROPN":
            return doc[before]
    verb = token.head
    if token.tag_ == "WP$":  # "whose club is …": whose → club → is (relcl)
        verb = verb.head
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    if verb.dep_ != "relcl" or verb.head.pos_ not in _NOUN_POS:
        return None
    noun = verb.head
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        # "X is a musician who plays for Y": the musician is X.
        subjects = [c for c in noun.head.children if c.dep_ in _SUBJECTS]
        if subjects:
            return subjects[0]
    return noun


def _partitive_noun(token: Token) -> Token | None:
    """The noun of "one of the leaders", "two of the ethnic groups" (``None`` otherwise)."""
    if token.pos_ != "NUM" and token.lower_ not in ("some", "all", "both", "many"):
        return None
    return _object_of(token, ("of",), "NOUN")


def _object_of(head: Token, prepositions: tuple[str, ...], pos: str | None = None) -> Token | None:
    """The first object of one of ``prepositions`` attached to ``head`` (a ``pos`` if given)."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in prepositions:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and (pos is None or pobj.pos_ == pos):
                    return pobj
    return None


def _negated(children: list[Token]) -> bool:
    """Whether a verb with these children is denied: "not", or a subject such as "nobody"."""
    return any(
        c.dep_ == "neg"
        or (
            (c.dep_ in _SUBJECTS or c.dep_ in _PASSIVE_SUBJECTS)
            and (
                c.lower_ in _NEGATIVE_SUBJECTS
                or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
            )
        )
        for c in children
    )


def _before_where(verb: Token) -> Token | None:
    """The word written before the "where" of ``verb``'s clause, past a comma ("Java, where")."""
    where = next((c for c in verb.children if c.lower_ == "where"), None)
    if where is None or where.i == 0:
        return None
    before = where.doc[where.i - 1]
    if before.text == "," and before.i > 0:
        before = where.doc[before.i - 1]
    return before


def _where_antecedent(noun: Token) -> Token | None:
    """The place a "where" clause is about ("Italy, where the leader is Pietro Grasso")."""
    verb = noun.head
    if verb.dep_ != "relcl" or not any(c.lower_ == "where" for c in verb.children):
        return None
    return _place_of_where(verb)


def _place_of_where(verb: Token) -> Token | None:
    """The noun the "where" of ``verb``'s clause stands for."""
    before = _before_where(verb)
    if before is not None and before.pos_ == "PROPN":
        return before  # "… from India where the leader is …", however the clause attaches
    return verb.head if verb.head.pos_ in _NOUN_POS else None


#: Offices a place or body is led by: "the Mayor", "the City Manager", "the Prime Minister".
_OFFICES: Final = frozenset(
    {"mayor", "president", "minister", "manager", "governor", "chancellor", "monarch",
     "king", "queen", "premier", "chairman", "chairperson", "speaker", "secretary",
     "commissioner", "emperor", "sultan", "emir", "prefect", "councillor", "senator"}
)  # fmt: skip


#: Bodies that lead a place as an institution: "London is led by the European Parliament".
_LEADING_BODIES: Final = frozenset(
    {"parliament", "assembly", "council", "senate", "congress", "legislature", "cabinet"}
)


def _office(node: Node) -> bool:
    """Whether a leader's node is an office or a body, not a person.

    "Mayor", "the prime minister"; "the Albuquerque City Council", "the Parliament of the
    United Kingdom", "the United States House of Representatives".
    """
    if node.kind not in ("concept", "entity") or node.entity_type == "PERSON":
        return False
    words = node.key.lower().split()
    return (
        words[-1] in _OFFICES
        or any(word in _LEADING_BODIES for word in words)
        or words[-2:] == ["of", "representatives"]
    )


#: Subjects that name no one in particular: "where they speak Spanish".
_ANYONE: Final = frozenset({"they", "you", "we", "one", "people"})


#: "much of", "most of", "part of" …: a share of what follows "of".
_SHARES: Final = frozenset({"much", "most", "part", "parts", "all", "some", "half"})


def _whole_of(obj: Token) -> Token:
    """What a share names: "covers much of North Africa" covers North Africa."""
    if obj.lower_ in _SHARES:
        whole = _object_of(obj, ("of",))
        if whole is not None:
            return whole
    return obj


def _where_place(verb: Token) -> Token | None:
    """The place a "where" clause of a verb happens in, which "where" stands for.

    "Canada, where English is spoken"; "Texas, a state where Spanish is spoken" (Texas).
    """
    if verb.dep_ not in ("relcl", "advcl") or not any(c.lower_ == "where" for c in verb.children):
        return None
    place = _place_of_where(verb)
    if place is not None and place.dep_ == "appos" and place.head.pos_ == "PROPN":
        return place.head
    return place


def _where_owner(copula: Token, role: Token) -> Token | None:
    """Whose ``role`` a "where" clause names: "Italy, where Rome is *the capital*" (Italy's).

    Only "the" and a bare noun: "where the Sami are an ethnic group" is read as a group
    in the place, and "the capital of France" names its own owner.
    """
    if (
        role.pos_ != "NOUN"
        or role.n_rights
        or not any(c.dep_ == "det" and c.lower_ == "the" for c in role.lefts)
    ):
        return None
    return _where_place(copula)


def _first_clause_name(verb: Token) -> Token | None:
    """The named subject of the first of the clauses ``verb`` is joined to, if any.

    "Ashgabat Airport is in Ashgabat and its runway length is 3800": its is the airport's.
    """
    if verb.dep_ != "conj":
        return None
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    subject = next(
        (c for c in verb.children if c.dep_ in _SUBJECTS or c.dep_ in _PASSIVE_SUBJECTS), None
    )
    # Names only: a definition's "its" keeps the reading the shipped models were trained with.
    return subject if subject is not None and subject.pos_ == "PROPN" else None


#: Musical instruments: what "X plays the …" names is an instrument, not a genre.
_INSTRUMENTS: Final = frozenset(
    {"guitar", "piano", "drum", "drums", "bass", "trumpet", "saxophone", "violin", "keyboard",
     "keyboards", "trombone", "cello", "flute", "clarinet", "harmonica", "ukulele", "banjo",
     "mandolin", "harp", "organ", "accordion", "synthesizer", "viola", "oboe", "bassoon",
     "tuba", "horn", "percussion", "vocals", "sitar", "fiddle"}
)  # fmt: skip


def _instrument_predicate(verb: Token, obj: Token) -> str | None:
    """``plays_instrument`` for "X plays the trumpet" (and "the bass guitar"), else ``None``."""
    if verb.lemma_ != "play" or obj.pos_ != "NOUN" or obj.lemma_.lower() not in _INSTRUMENTS:
        return None
    return "plays_instrument"


def _finding_place(verb: Token, children: list[Token], context: GeneralContext) -> Token | None:
    """Where a verb of finding happens: "in *Romania* we can find", "*Java*, where you find"."""
    for prep, pobj in _prep_objects(verb, children):
        if prep.lower_ == "in" and _entity_label(pobj, context) in _PLACES:
            return pobj
    before = _before_where(verb)
    if before is None:
        return None
    if before.pos_ == "PROPN" or _entity_label(before, context) in _PLACES:
        return before
    return verb.head if verb.dep_ == "relcl" and verb.head.pos_ == "PROPN" else None


#: Titles before a person's name, which the name's node leaves out.
_TITLES = frozenset(
    [
        "Dr",
        "Dr.",
        "Doctor",
        "Prof",
        "Prof.",
        "Professor",
        "Sir",
        "Dame",
        "Lady",
        "Lord",
        "Mr",
        "Mr.",
        "Mrs",
        "Mrs.",
        "Ms",
        "Ms.",
        "Miss",
        "President",
        "Senator",
        "Governor",
        "Mayor",
        "General",
        "Captain",
        "Judge",
        "Rev.",
        "Reverend",
    ]
)


#: Titles that show a person's gender.
_GENDER_TITLES = {
    **dict.fromkeys(
        [
            "Lady",
            "Dame",
            "Mrs",
            "Mrs.",
            "Ms",
            "Ms.",
            "Miss",
            "Madam",
            "Queen",
            "Princess",
            "Duchess",
        ],
        "f",
    ),
    **dict.fromkeys(["Sir", "Lord", "Mr", "Mr.", "King", "Prince", "Duke"], "m"),
}


def _title_gender(ent: Span) -> str | None:
    """The gender a title in or just before a person's name shows ("Lady Ada Lovelace")."""
    first = ent.doc[ent.start - 1] if ent.start > 0 else None
    for word in (ent[0].text, first.text if first is not None else ""):
        if word in _GENDER_TITLES:
            return _GENDER_TITLES[word]
    return None


def _person_for(token: Token, gender: str, context: GeneralContext) -> Node | None:
    """The person "he", "she", "his" or "her" stands for (see ``GeneralContext``).

    The nearest person named before the pronoun (in its sentence, then before it) whose
    gender the text shows to agree; failing that, the nearest whose gender it does not
    show. An object is not its own verb's subject ("Pierre helped her": not Pierre). Only
    a choice without rivals is remembered as that person's gender, so that one guess does
    not decide the next pronoun.
    """
    own_subjects = set()
    if token.dep_ in _OBJECTS:
        own_subjects = {_node(c, context) for c in token.head.children if c.dep_ in _SUBJECTS} - {
            None
        }
    earlier = [
        node
        for node in (
            *context.people_before,
            *(_node(e.root, context) for e in context.person_spans if e.end <= token.i),
        )
        if node is not None and node not in own_subjects
    ]
    shown = [n for n in earlier if context.gender.get(n.key) == gender]
    unknown = [n for n in earlier if n.key not in context.gender]
    choice = shown[-1] if shown else unknown[-1] if unknown else None
    if choice is not None and not shown and len({n.key for n in unknown}) == 1:
        context.gender[choice.key] = gender
    return choice


def _without_title(name: str) -> str:
    """``name`` without leading titles ("Sir Alex Ferguson" → "Alex Ferguson")."""
    words = name.split()
    while True:
        if len(words) > 2 and " ".join(words[:2]) in _TWO_WORD_TITLES:
            words = words[2:]  # "Prime Minister Klaus Iohannis"
        elif len(words) > 1 and words[0] in _TITLES and words[1][:1].isupper():
            words = words[1:]
        else:
            return " ".join(words)


#: Titles of two words before a person's name.
_TWO_WORD_TITLES: Final = frozenset(
    {"Prime Minister", "Vice President", "Chief Justice", "First Minister", "Deputy Mayor"}
)


def _note_aliases(name: str, ent: Span, context: GeneralContext) -> None:
    """Remember the short forms that later stand for ``name`` in this document."""
    short = short_name(name)
    if short is not None:
        context.aliases.setdefault(short, name)
    doc = ent.doc
    if (  # "… Administration (NASA)": an acronym defined in brackets
        ent.end + 2 < len(doc)
        and doc[ent.end].text == "("
        and doc[ent.end + 2].text == ")"
        and doc[ent.end + 1].text.isupper()
        and doc[ent.end + 1].text.isalpha()
        and doc[ent.end + 1].text == acronym(name)
    ):
        context.aliases.setdefault(doc[ent.end + 1].text, name)


def _capitalised_first(word: Token) -> bool:
    """Whether ``word`` opens its sentence capitalised and was tagged a common noun.

    The tagger does this to names: "Alfons Gorbach was born …", "Auburn, Alabama is …".
    """
    return bool(word.is_sent_start) and word.pos_ == "NOUN" and word.text[:1].isupper()


def _name_start(ent: Span) -> int:
    """Where the name ``ent`` stands in starts: words the NER left off before it count.

    Proper nouns the parse attaches to the name ("FC Barcelona", "Lockheed Martin"), up
    to a title or a place ("U.S. President Obama"), and a nationality the recogniser cut
    in two ("Asian Americans").
    """
    doc = ent.doc
    start = ent.start
    while start > 0:
        word = doc[start - 1]
        if not (
            start <= word.head.i < ent.end
            and word.text[:1].isupper()
            and (
                (
                    (word.pos_ == "PROPN" or _capitalised_first(word))
                    and word.dep_ in ("compound", "nmod")
                    and word.text not in _TITLES
                    and word.ent_type_ not in _NOT_IN_NAMES
                )
                # "Asian Americans", which the recogniser cuts into two groups
                or (ent.label_ == word.ent_type_ == "NORP" and word.dep_ in ("amod", "compound"))
            )
        ):
            break
        start -= 1
    return start


#: Lower-case words inside names ("Ícolo e Bengo", "San Sebastián de los Reyes").
_NAME_PARTICLES: Final = frozenset({
    "de", "di", "da", "del", "della", "dei", "do", "dos", "das", "du", "des", "e", "y", "la",
    "le", "los", "las", "van", "von", "der", "den", "al", "el", "bin", "ibn",
})  # fmt: skip
#: Dashes that join two names into one when written without spaces ("Madrid–Barajas").
_NAME_DASHES: Final = frozenset({"-", "–"})
#: The article of an epithet that the parser hangs on the name ("Andrew the Apostle").
_EPITHET_ARTICLE: Final = "the"
_NAME_JOINTS: Final = _NAME_PARTICLES | _NAME_DASHES | {_EPITHET_ARTICLE}


def _joined_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen the name ``doc[start:end]`` over the dashes and particles inside names.

    "Madrid–Barajas Airport", "Polish–Soviet War", "Ícolo e Bengo", "Accademia di
    Architettura di Mendrisio": the recogniser and the parser cut these at the joint.
    A dash joins only with no space on either side, a particle (at most two: "de los")
    only between capitalised proper nouns. "the" joins an epithet the parser hangs on the
    name as an apposition ("Andrew the Apostle"), not a second object ("gave Mary the
    Book").
    """
    length = len(doc)
    if (end >= length or doc[end].text not in _NAME_JOINTS) and (
        start == 0 or doc[start - 1].text not in _NAME_JOINTS
    ):
        return start, end  # most names: nothing joins them to more
    while (after := _joint_after(doc, end)) != end:
        end = after + 1
        while _name_word(doc, end):
            end += 1
    while start > 0 and (before := _joint_before(doc, start - 1)) != start - 1:
        start = before
        while _name_word(doc, start - 1):
            start -= 1
    return start, end


def _name_word(doc: Doc, i: int) -> bool:
    return 0 <= i < len(doc) and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper()


def _joint_after(doc: Doc, i: int) -> int:
    """The first name word after a joint starting at word ``i``, or ``i`` if none."""
    if i >= len(doc):
        return i
    word = doc[i]
    if word.text in _NAME_DASHES:
        joined = not doc[i - 1].whitespace_ and not word.whitespace_ and _name_word(doc, i + 1)
        return i + 1 if joined else i
    if word.text == _EPITHET_ARTICLE:
        return i + 1 if _epithet_after(doc, i) else i
    j = i
    while j < len(doc) and j - i < 2 and doc[j].text in _NAME_PARTICLES:
        j += 1
    return j if j > i and _name_word(doc, j) else i


def _epithet_after(doc: Doc, article: int) -> bool:
    """Whether "the" at ``article`` opens an epithet of the name right before it."""
    if not (_name_word(doc, article - 1) and _name_word(doc, article + 1)):
        return False
    end = article + 1
    while _name_word(doc, end + 1):
        end += 1
    last = doc[end]
    return last.dep_ == "appos" and last.head.i < article and _name_word(doc, last.head.i)


def _joint_before(doc: Doc, i: int) -> int:
    """The last name word before a joint ending at word ``i``, or ``i`` if none."""
    word = doc[i]
    if word.text in _NAME_DASHES:
        joined = i >= 1 and not doc[i - 1].whitespace_ and not word.whitespace_
        return i - 1 if joined and _name_word(doc, i - 1) else i
    if word.text == _EPITHET_ARTICLE:
        return i - 1 if _epithet_after(doc, i) else i
    j = i
    while j >= 0 and i - j < 2 and doc[j].text in _NAME_PARTICLES:
        j -= 1
    return j if j < i and _name_word(doc, j) else i


def _joined_label(ent: Span, joined_end: int) -> str | None:
    """The entity type of a name joined on after ``ent`` (see :func:`_joined_name`).

    The name's last part says what it names ("Madrid–Barajas Airport", a facility); a
    name cut at a particle keeps its type ("San Sebastián de los Reyes"), and so does one
    with an epithet ("Andrew the Apostle"); two names joined by a dash into something
    unnamed ("Polish–Soviet War") have none.
    """
    if joined_end <= ent.end:
        return ent.label_
    doc = ent.doc
    if doc[ent.end].text == _EPITHET_ARTICLE:
        return ent.label_
    if doc[joined_end - 1].ent_type_:
        return doc[joined_end - 1].ent_type_
    if any(t.text in _NAME_DASHES for t in doc[ent.end : joined_end]):
        return None
    return ent.label_


def _same_person(node: Node, context: GeneralContext) -> Node:
    """The node a person's name stands for in this document.

    A surname alone is the person named in full earlier; a full name is remembered by its
    surname ("Rosalind Franklin … Franklin": one node).
    """
    words = node.key.split()
    if len(words) == 1:
        return context.people.get(words[0], node)
    if 2 <= len(words) <= 5 and all(NAME_WORD.fullmatch(w) for w in words):
        context.people.setdefault(words[-1], node)
        if node.entity_type == "PERSON" and not words[0].endswith("."):
            # A given name alone is the person too ("Xavi Hernandez … Xavi"), unless an
            # earlier full name has it as its surname.
            context.people.setdefault(words[0], node)
    return node


def _is_property(noun: Token) -> bool:
    """Whether ``noun`` is the subject of "… is <value>" (read by the property rule)."""
    return (
        noun.dep_ == "nsubj"
        and noun.head.lemma_ == "be"
        and any(c.dep_ == "attr" for c in noun.head.children)
    )


def _indefinite(token: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)


def _kind_of(noun: Token) -> bool:
    """Whether ``noun`` is "type of …", "kind of …" (not "the power type of …")."""
    return (
        noun.lower_ in _KIND_WORDS
        and not any(c.dep_ in ("compound", "amod") for c in noun.lefts)
        and _object_of(noun, ("of",)) is not None
    )


def _names_a_member(subject: Token, complement: Token) -> bool:
    """Whether "SUBJECT is COMPLEMENT" names a member of the subject's class.

    "A popular dessert is Bionico": an indefinite common noun before "is" and a name after
    it (where "A dog is an animal" has a class on both sides, and a definite noun
    defines one: "An envelope is the bag containing the gas in a balloon"); and "A type
    of dessert is an ice cream".
    """
    if subject.pos_ != "NOUN" or not _indefinite(subject):
        return False
    if _kind_of(subject):
        return True
    return complement.pos_ == "PROPN" and not _indefinite(complement)


#: Nouns for a person who makes music: the words before them name the genre.
_MUSIC_MAKERS = {
    "musician", "artist", "singer", "player", "guitarist", "drummer", "bassist",
    "pianist", "vocalist", "rapper", "performer", "songwriter", "band",
}  # fmt: skip
#: Modifiers of a music maker that are not a genre ("a solo singer", "a former artist").
_NOT_GENRES = {
    "solo", "former", "famous", "professional", "session", "lead", "main", "young",
    "popular", "successful", "great", "well", "known",
}  # fmt: skip


def _demonym_country(word: Token, context: GeneralContext) -> Node | None:
    """The country a country adjective names ("Dutch" → the Netherlands), else ``None``.

    The whole recognised name counts: "Austrian German" names a language, not Germany.
    """
    ent = context.entities.get(word.i)
    country = country_of_demonym(ent.text if ent is not None else word.text)
    return Node("entity", country, label=country, entity_type="GPE") if country else None


def _country_named(word: Token, context: GeneralContext) -> Node | None:
    """The country a country adjective names, else the word's own node."""
    return _demonym_country(word, context) or _node(word, context)


#: Nouns for words and names: what is said of them is said of a word, not a thing.
_WORD_NOUNS: Final = frozenset(
    {"term", "word", "name", "spelling", "expression", "phrase", "usage", "idiom", "slang"}
)


def _thing_country(
    subject: Token, node: Node, word: Token, context: GeneralContext, add: Callable[..., None]
) -> None:
    """The country of a named thing said to be of a country's kind.

    "X is an Indonesian dish", "Sony, a Japanese company," → the country.
    """
    if word.pos_ != "NOUN" or word.lemma_.lower() in _WORD_NOUNS:
        return  # "'windcheater' is a British term": where a word is used, not made
    for modifier in word.lefts:
        if modifier.dep_ == "amod" and _entity_label(modifier, context) == "NORP":
            country = _demonym_country(modifier, context)
            if country is not None:
                add(node, "country", country, [subject, word], "class-demonym")
                return


def _person_class(
    subject: Token,
    node: Node | None,
    word: Token,
    context: GeneralContext,
    add: Callable[..., None],
) -> None:
    """What a class a person is said to be states besides the class.

    "X was English", "X is an American", "X was a United States national", "X, a Canadian
    national," → ``nationality`` (the country, where the adjective names one); "X is a
    Black metal musician", "a pop artist" → the genre (``has_genre``) from the words before
    the music maker. Of a name that is no person's, a country adjective gives its country
    (see :func:`_thing_country`).
    """
    if node is None or node.kind != "entity":
        return
    if node.entity_type != "PERSON":
        _thing_country(subject, node, word, context, add)
        return
    if _entity_label(word, context) in _NAMED_ADJECTIVES:  # NORP, or "English" as LANGUAGE
        if word.lower_ not in _FAITHS_AND_PARTIES:
            add(node, "nationality", _country_named(word, context), [subject, word],
                "person-class")  # fmt: skip
        return
    modifiers = [c for c in word.lefts if c.dep_ in ("compound", "amod", "nmod")]
    if word.lemma_.lower() == "national":
        for modifier in modifiers:
            if _entity_label(modifier, context) in ("NORP", "GPE", "LANGUAGE"):
                add(node, "nationality", _country_named(modifier, context), [subject, word],
                    "person-class")  # fmt: skip
                return
    if word.pos_ == "NOUN" and word.tag_ == "NN":
        # "X was a Dutch painter", "an American jazz musician": as "X was Dutch" says
        people = [
            m
            for m in modifiers
            if m.dep_ == "amod"
            and _entity_label(m, context) == "NORP"
            and m.lower_ not in _FAITHS_AND_PARTIES
        ]
        for modifier in people[:1]:
            add(node, "nationality", _country_named(modifier, context), [subject, word],
                "person-class")  # fmt: skip
        modifiers = [m for m in modifiers if m not in people]
    if word.lemma_.lower() in _MUSIC_MAKERS and modifiers:
        first = min(m.left_edge.i for m in modifiers)
        genre = word.doc[first : word.i]
        words = [t.text for t in genre if t.lower_ not in _NOT_GENRES]
        if (
            words
            and words[0][:1].isalpha()
            and not any(_entity_label(t, context) is not None for t in genre)
        ):
            text = " ".join(words)
            add(node, "has_genre", Node("concept", text.lower(), label=text), [subject, word],
                "person-class")  # fmt: skip


def _defined_class(
    subject: Token, node: Node | None, children: list[Token], context: GeneralContext
) -> Node | None:
    """The class a definition's subject ("A bridal gown is …") names.

    A one-word name with "a" before it is a class ("A Burberry is a raincoat": a burberry;
    capitalised longer ones are titles as often: "A Severed Wasp is a novel"), and an
    adjective belongs to the term when the definition repeats its noun ("A bridal gown is a
    gown worn by the bride": otherwise the gown would be a gown).
    """
    if node is None or not _indefinite(subject):
        return node
    attrs = [c for c in children if c.dep_ == "attr"]
    if (
        node.kind == "entity"
        and attrs
        and all(c.dep_ == "det" or (c.dep_ == "compound" and c.is_lower) for c in subject.children)
    ):  # "A trunk hose", the NER's person "hose", is a class too
        key = " ".join(t.lower_ for t in subject.subtree if t.dep_ != "det")
        return Node("concept", key, label=key)
    modifiers = [t.lower_ for t in subject.lefts if t.dep_ == "amod"]
    if (
        node.kind == "concept"
        and modifiers
        and any(_singular(a) == _singular(subject) for a in attrs)
    ):
        key = " ".join([*modifiers, node.key])
        return Node("concept", key, label=key)
    return node


def _singular(token: Token) -> str:
    """A noun's singular: its lemma, but "trousers" and "a churidars" name one thing.

    A noun plural in form that names one pair, or a subject that an "a" counts as one
    (WordNet's "A churidars is a tight trousers"), keeps its form, as captions read it;
    "a jean" is "jeans".
    """
    lower = token.text.lower()
    if token.tag_ == "NNS" and (
        lower in PLURALIA_TANTUM or (token.dep_ == "nsubj" and _indefinite(token))
    ):
        return lower
    lemma = token.lemma_.lower()
    return PLURALIA_SINGULARS.get(lemma, lemma)


#: Adjectives that name which value of a quantity a property holds.
_WHICH_VALUE: Final = frozenset(
    {"minimum", "maximum", "mean", "median", "average", "top", "maiden", "first", "last",
     "final", "stylistic", "net", "gross", "alternative", "full", "general", "academic",
     "former"}
)  # fmt: skip


def _noun_words(token: Token, exclude: Token | None = None) -> str:
    """A common noun with its compounds, lemmatised ("runway lengths" → "runway length").

    Proper-noun compounds name an owner and are left out; a superlative is part of the
    name ("the largest city", "the highest point"), and so is an adjective that tells one
    value of a quantity from another ("the minimum temperature", "the mean temperature",
    "a top speed").
    """
    compounds = [
        c.text.lower()
        for c in token.lefts
        if c != exclude
        and (
            (c.dep_ == "compound" and c.pos_ != "PROPN")
            or (
                c.dep_ == "amod"
                and (c.tag_ == "JJS" or c.lower_ in _WHICH_VALUE or c.lower_ in _CLASSIFYING)
            )
        )
    ]
    return " ".join([*compounds, token.lemma_.lower()])


#: Adjectives that make a term of their noun: an ethnic group is no kind of group that a
#: relation named "group" would mean.
_CLASSIFYING: Final = frozenset({"ethnic"})


def _classified(noun: Token) -> str:
    """A noun's lemma with a classifying adjective before it ("ethnic group")."""
    kinds = [c.lower_ for c in noun.lefts if c.dep_ == "amod" and c.lower_ in _CLASSIFYING]
    return " ".join([*kinds, noun.lemma_.lower()])


def _copula_prep_predicate(attr: Token, preposition: str, lexicon: Lexicon) -> str:
    """The predicate of "X is a N <preposition> Y": the lexicon's name, else "n_preposition".

    A noun's compounds and superlative count where the lexicon names the whole ("a crew
    member of", "the largest city of", "the capital city of").
    """
    key = f"{_classified(attr)} {preposition.lower()}"
    if attr.n_lefts:
        compounds = [
            c.lower_
            for c in attr.lefts
            if (c.dep_ == "compound" and c.pos_ == "NOUN") or (c.dep_ == "amod" and c.tag_ == "JJS")
        ]
        whole = lexicon.predicates.get(" ".join([*compounds, key])) if compounds else None
        if whole is not None:
            return whole
    return lexicon.predicates.get(key) or slug(key)


def _fronted_of_noun(verb: Token, prep: Token | str, children: list[Token]) -> Token | None:
    """The copula's noun a fronted "of which" belongs to ("of which Y is the capital")."""
    if isinstance(prep, str) or prep.lower_ != "of" or prep.i > verb.i or verb.lemma_ != "be":
        return None
    return next((c for c in children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)


def _one_of(noun: Token) -> Token:
    """The class "one of" names: "X is one of the ethnic groups in Y" is a group in Y."""
    if noun.lower_ == "one":
        members = _object_of(noun, ("of",))
        if members is not None and members.tag_ in ("NNS", "NNPS"):
            return members
    return noun


def _owner(noun: Token) -> Token | None:
    """Whose ``noun`` it is.

    "The leader *of Aarhus*", "*Aarhus's* leader", "*Athens* mayor", "the operator *for*
    the airport", "the language spoken *in Greece*".
    """
    for child in noun.children:
        if child.dep_ == "poss" and (child.pos_ in _NOUN_POS or child.tag_ in ("WP$", "PRP$")):
            return child
        if child.dep_ == "prep" and child.text.lower() in ("of", "for", "to"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
        if child.dep_ == "prep" and child.lower_ == "at":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN":
                    return pobj  # "the runway length at Ashgabat Airport"
    return _in_owner(noun) or _acl_owner(noun) or _propn_owner(noun) or _where_antecedent(noun)


def _in_owner(noun: Token) -> Token | None:
    """The named place a noun is "in": "the largest city *in Washtenaw County*".

    A common noun after "in" is where, not whose: "the man in the car".
    """
    return _object_of(noun, ("in",), "PROPN")


def _acl_owner(noun: Token) -> Token | None:
    """The owner a participle names.

    "The language *spoken in Greece*"; "the materials *used for the Baku Memorial*" (a
    name after "for": "the land used for farming" has no owner).
    """
    for child in noun.children:
        if child.dep_ == "acl" and child.tag_ == "VBN":
            owner = _object_of(child, ("in", "by", "at")) or _object_of(child, ("for",), "PROPN")
            if owner is not None:
                return owner
    return None


def _poss_owner(noun: Token) -> Token | None:
    """The name a possessive says owns ``noun`` ("Glasgow is *Scotland's* largest city").

    Not "its" (its referent is not known when the complement is read) nor a common noun
    ("A Mother Hubbard is a woman's loose dress" defines a class).
    """
    return next((c for c in noun.lefts if c.dep_ == "poss" and c.pos_ == "PROPN"), None)


def _propn_owner(noun: Token) -> Token | None:
    """A proper-noun compound that owns ``noun`` ("*Athens* mayor", "a *US* national").

    Also one the parser hangs on the noun as a modifier ("the *Apollo* 8 operator") or on
    a noun compound before it ("the *Alhambra* ship beam").
    """
    if noun.pos_ != "NOUN":
        return None
    propn = [c for c in noun.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
    if not propn:
        propn = [
            p
            for c in noun.lefts
            if c.dep_ == "compound" and c.pos_ == "NOUN"
            for p in c.lefts
            if p.dep_ == "compound" and p.pos_ == "PROPN"
        ]
    return propn[-1] if propn else None


def _entity_label(token: Token, context: GeneralContext) -> str | None:
    ent = context.entities.get(token.i)
    return ent.label_ if ent is not None else None


def _predicate(verb: Token, preposition: Token | str | None, lexicon: Lexicon) -> str:
    lemma = verb.lemma_.lower()
    if isinstance(preposition, Token):
        preposition = preposition.lower_
    key = f"{lemma} {preposition}" if preposition is not None else lemma
    return lexicon.predicates.get(key) or slug(key)


#: Adverbs that put a relation in the past; the lexicon may name the past relation.
_FORMERLY: Final = frozenset({"formerly", "previously"})
#: Literal datatypes (see kg_extract.values) that name a time.
_TIME_TYPES = frozenset({"date", "gYear", "gYearMonth"})


def _verb_predicate(
    verb: Token, preposition: Token | str, obj: Node | None, lexicon: Lexicon
) -> str:
    """:func:`_predicate` for a verb and preposition, with ``obj`` the object's node.

    Where the lexicon names both "in" and "on" for a verb, "in" names a place and "on" a
    time, so a date or year after "in" takes the "on" name: "born in 1879" is
    ``born_on``, as "born on 14 March 1879" is, and "born in Ulm" stays ``born_in``.
    """
    text = preposition if isinstance(preposition, str) else preposition.lower_
    if any(c.dep_ == "advmod" and c.lower_ in _FORMERLY for c in verb.children):
        # "formerly played for": a past team, where the lexicon names one
        former = lexicon.predicates.get(f"formerly {verb.lemma_.lower()} {text}")
        if former is not None:
            return former
    if (
        text == "in"
        and obj is not None
        and obj.kind == "literal"
        and obj.entity_type in _TIME_TYPES
        and f"{verb.lemma_.lower()} on" in lexicon.predicates
    ):
        preposition = "on"
    return _predicate(verb, preposition, lexicon)


def _apposition(
    token: Token, context: GeneralContext, add: Callable[..., None], lexicon: Lexicon
) -> None:
    """What an apposition says of the noun it follows.

    "Ulm, a city in Germany," → Ulm is a city, and a city in Germany, as "Ulm is a city in
    Germany" says; "…, a Canadian national," → a nationality; "Clyde F.C., the manager of
    which, is Barry Ferguson" → a property of the club, not a class.
    """
    head = token.head
    if any(c.dep_ == "neg" for c in token.children) or any(
        c.dep_ == "neg" and head.i < c.i < token.i for c in head.children
    ):
        return  # "Canberra, not Sydney, is …": a contrast, not another name
    if _entity_label(token, context) in _PLACES and _entity_label(head, context) in _PLACES:
        return  # "Paris, France": where Paris is (read with the place), not what it is
    head_node = _node(head, context)
    named = _is_entity(head_node)
    preps = list(_prep_objects(token))
    if any(prep.lower_ == "of" and pobj.tag_ == "WDT" for prep, pobj in preps):
        value = _value_of_which(token)
        if value is not None and named and token.pos_ == "NOUN":
            add(
                head_node,
                slug(_noun_words(token)),
                _number_with_unit(value, context) or _stated_value(value, context),
                [token.head, value],
                "property-of",
            )
        return
    add(head_node, "type", _node(token, context), [token.head, token], "appos")
    _person_class(token.head, head_node, token, context, add)
    if token.pos_ == "NOUN" and named:
        for prep, pobj in preps:
            if prep.lower_ not in _QUALIFYING and pobj.tag_ != "WP":
                add(
                    head_node,
                    _copula_prep_predicate(token, prep.text, lexicon),
                    _node(pobj, context),
                    [token.head, pobj],
                    "appos-prep",
                )
    owner = _poss_owner(token) if named else None
    if owner is not None:  # "Lagos, Nigeria's largest city,": as the copula reads it
        add(_node(owner, context), slug(_noun_words(token, exclude=owner)), head_node,
            [owner, token], "property-of")  # fmt: skip


def _is_entity(node: Node | None) -> TypeGuard[Node]:
    return node is not None and node.kind == "entity"


def _agents(children: list[Token]) -> list[Token]:
    """Who a passive verb with these children says did it (the objects of "by").

    A title that opens with a preposition ("followed by Into Battle") is parsed as a
    phrase inside the agent: its capitalised preposition's object is the agent.
    """
    found: list[Token] = []
    for by in children:
        if by.dep_ != "agent":
            continue
        for p in by.children:
            if p.dep_ == "pobj":
                found += _conjuncts(p)
            elif p.dep_ == "prep" and p.i == by.i + 1 and p.is_title:
                found += (t for o in p.children if o.dep_ == "pobj" for t in _conjuncts(o))
    return found


def _class_participles(
    subject: Token, node: Node, noun: Token, context: GeneralContext, add: Callable[..., None]
) -> None:
    """What a participle on the class a name is said to be says of the name.

    "X is a musician associated with Y" (X associated with Y), "X is a dish found in Y",
    "X is a novel written by Y" (Y wrote X), "X is a dessert containing sour cream". Only
    for names: a definition ("A tote is a bag used for …") describes the class.
    """
    lexicon = context.lexicon
    for participle in noun.children:
        if participle.dep_ != "acl" or participle.tag_ not in ("VBN", "VBG"):
            continue
        children = list(participle.children)
        if participle.tag_ == "VBG":
            for obj in (t for c in children if c.dep_ == "dobj" for t in _conjuncts(c)):
                add(node, _predicate(participle, None, lexicon), _node(obj, context),
                    [subject, obj], "class-participle")  # fmt: skip
        for agent in _agents(children):
            add(_node(agent, context), _predicate(participle, None, lexicon), node,
                [agent, subject], "class-participle")  # fmt: skip
        for prep, pobj in _prep_objects(participle, children, context):
            obj_node = _node(pobj, context)
            add(node, _verb_predicate(participle, prep, obj_node, lexicon), obj_node,
                [subject, pobj], "class-participle")  # fmt: skip


def _value_of_which(noun: Token) -> Token | None:
    """The value in "X, the <noun> of which, is <value>", else ``None``.

    The small model hangs the apposition on X and makes the copula the sentence's root,
    with the value as its subject.
    """
    doc = noun.doc
    after = noun.right_edge.i + 1
    if after < len(doc) and doc[after].text == ",":
        after += 1
    if after >= len(doc) or doc[after].lemma_ != "be":
        return None
    copula = doc[after]
    return next(
        (c for c in copula.rights if c.dep_ in ("nsubj", "attr") and c.pos_ in _NOUN_POS),
        None,
    )


def _prep_objects(
    head: Token, children: list[Token] | None = None, context: GeneralContext | None = None
) -> Iterator[tuple[Token, Token]]:
    """``(preposition, object)`` pairs of a head.

    With ``context``, a country written after a place object is an object too ("located
    in Ahmedabad, India").
    """
    for child in head.children if children is None else children:
        if child.dep_ == "prep" and not _sea_level(child):
            if context is not None and _stranded(child, head):
                # "Lyon is the city Anna was born in": the clause's noun is the object
                yield child, _stranded_object(head)
                continue
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (child.lower_ == "of" or not _measures_sea_level(pobj)):
                    found = list(_conjuncts(pobj))
                    if context is not None:
                        country = _country_after(pobj, context)
                        if country is not None and country not in found:
                            found.append(country)
                    for conj in found:
                        yield child, conj


def _stranded(prep: Token, verb: Token) -> bool:
    """Whether ``prep`` ends the relative clause of ``verb`` without an object.

    Not in a "where" clause ("… where ajoblanco comes from": the place is read there).
    """
    return (
        verb.dep_ == "relcl"
        and not prep.n_rights
        and all(c.tag_ in ("WDT", "WP") for c in prep.lefts)  # "… that X comes from"
        and prep.i > verb.i
        and not any(c.tag_ == "WRB" for c in verb.children)
        # and nothing follows it in the clause ("… to it's west" is a misread object)
        and (
            prep.i + 1 == len(prep.doc)
            or prep.doc[prep.i + 1].is_punct
            or prep.doc[prep.i + 1].lemma_ == "be"
        )
    )


def _stranded_object(clause_verb: Token) -> Token:
    """What a preposition left at the end of a relative clause governs: the clause's noun.

    "the city Anna was born in" → the city; "Lyon is the city Anna was born in" → Lyon;
    "The city Anna was born in is Lyon" → Lyon.
    """
    noun = clause_verb.head
    if noun.head.lemma_ == "be":
        if noun.dep_ == "attr":
            subjects = [c for c in noun.head.children if c.dep_ in _SUBJECTS]
            if subjects:
                return subjects[0]
        elif noun.dep_ == "nsubj":
            attrs = [c for c in noun.head.children if c.dep_ == "attr"]
            if attrs:
                return attrs[0]
    return noun


def _sea_level(prep: Token) -> bool:
    """Whether ``prep`` is "above / below (mean) sea level" (read by :func:`_elevation`)."""
    return prep.lower_ in ("above", "below") and any(
        level.dep_ == "pobj"
        and level.lemma_ == "level"
        and any(c.lower_ == "sea" for c in level.lefts)
        for level in prep.children
    )


def _measures_sea_level(noun: Token) -> bool:
    """A height, not a place: "at 159 metres above sea level"."""
    return noun.n_rights > 0 and any(c.dep_ == "prep" and _sea_level(c) for c in noun.rights)


def _elevation(prep: Token, context: GeneralContext) -> tuple[Node, Node, Token] | None:
    """``(subject, height, number token)`` for "X is 610 metres above sea level".

    Also "X lies / is situated / is elevated 34 metres above sea level", "At 159 metres
    above sea level, X is …", "973 above sea level" without a unit; below sea level the
    height is negative.
    """
    if prep.i == prep.sent.start:
        return None
    before = prep.doc[prep.i - 1]  # the figure, or its unit ("610 metres")
    figure = (
        before
        if before.like_num
        else next((c for c in before.lefts if c.dep_ == "nummod" and c.like_num), None)
    )
    if figure is None:
        return None
    height = value_node(figure, context.entities)
    if height is None or height.kind != "literal":
        return None
    if prep.lower_ == "below" and not height.key.startswith("-"):
        height = dataclasses.replace(height, key=f"-{height.key}")
    verb = prep.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT":
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ in _ANY_SUBJECT and not c.like_num]
    if not subjects and verb.dep_ == "conj":  # "X is operated by Y and is 12 metres …"
        subjects = [c for c in verb.head.children if c.dep_ in _ANY_SUBJECT]
    subject = _node(subjects[0], context) if subjects else None
    return None if subject is None else (subject, height, figure)


#: Nouns that make an acronym before them the name of an identifier ("ISBN number",
#: "IATA code", "ICAO location identifier").
_IDENTIFIER_NOUNS: Final = frozenset({"number", "code", "identifier", "id"})
#: Nouns that may stand between the acronym and that noun ("IATA airport code").
_IDENTIFIER_QUALIFIERS: Final = frozenset({"location", "airport", "registry", "registration"})
_IDENTIFIER_WORDS: Final = _IDENTIFIER_NOUNS | _IDENTIFIER_QUALIFIERS
#: Identifier schemes written as the acronym alone ("with ISBN 0-14-243724-7"), with the
#: noun that names the scheme's identifier.
_IDENTIFIER_SCHEMES: Final = {
    "ISBN": "number", "ISSN": "number", "EISSN": "number", "OCLC": "number",
    "LCCN": "number", "CODEN": "code", "DOI": "",
}  # fmt: skip
_ACRONYM: Final = re.compile(r"[A-Z]{2,6}")
#: An identifier as written: letters and digits, joined by hyphens (the tokenizer splits
#: "0-14-243724-7" into seven tokens, which the small model then parses as a clause).
_IDENTIFIER_VALUE: Final = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_BEFORE_VALUE: Final = frozenset({"of", ":", "=", "is", "was", '"', "“", "'"})


@dataclasses.dataclass(frozen=True)
class _Identifier:
    """An identifier the sentence states: "X has the ISBN number 0-14-243724-7"."""

    name: str  # "isbn number"
    value: str  # "0-14-243724-7"
    owner: Token | None
    first: Token  # the acronym: evidence with the owner
    definite: bool  # "the ISBN number …": without an owner in the sentence, the topic's


def _identifiers(span: Span, context: GeneralContext) -> list[_Identifier]:
    """Identifiers stated in ``span``, with the name they belong to.

    An identifier is an acronym with a noun that names an identifier ("the OCLC number",
    "an IATA code", "the ICAO location identifier"), or an identifier scheme's acronym
    alone ("ISBN"), followed by its value ("has the ISBN number 0-14-243724-7", "has an
    OCLC number of 45644811", ", ISBN 0-14-243724-7,", "with the CODEN JPHAC5") or said
    of a name ("the OCLC number of X is 45644811", "X's ISSN number is 0028-0836"). The
    value is read from the text, not the parse: the tokenizer splits hyphenated numbers.
    """
    doc = span.doc
    if context.acronyms_of is not doc:  # once per document: most name no identifier
        context.acronyms_of = doc
        context.acronyms = [
            i
            for i, (upper, length) in enumerate(doc.to_array([IS_UPPER, LENGTH]).tolist())
            if upper and 2 <= length <= 6
        ]
    candidates = [i for i in context.acronyms if span.start <= i < span.end - 1]
    if not candidates:
        return []
    text, base = span.text, span.start_char
    found: list[_Identifier] = []
    for i in candidates:
        acronym = doc[i]
        if not _ACRONYM.fullmatch(acronym.text) or acronym.i in context.identifier_tokens:
            continue
        k = i + 1
        nouns: list[str] = []
        while k < span.end and len(nouns) < 2 and doc[k].lower_ in _IDENTIFIER_WORDS:
            nouns.append(doc[k].lower_)
            k += 1
        if not nouns or nouns[-1] not in _IDENTIFIER_NOUNS:
            scheme = _IDENTIFIER_SCHEMES.get(acronym.text)
            if scheme is None:
                continue
            k = i + 1
            nouns = [scheme] if scheme else []
        name = " ".join([acronym.text.lower(), *nouns])
        owner = None
        j = k
        if j < span.end and doc[j].lower_ in ("of", "for", "to") and j + 1 < span.end:
            # "the OCLC number of X is 45644811": X, then the copula, then the value
            ent = context.entities.get(j + 1) or context.entities.get(j + 2)
            if ent is not None and ent.start <= j + 2 and ent.end < span.end:
                after = ent.end + (doc[ent.end].text == ",")
                if after < span.end and doc[after].lemma_ == "be":
                    owner, j = ent.root, after + 1
        while j < span.end and doc[j].lower_ in _BEFORE_VALUE:
            j += 1
        value = _identifier_value(text, doc[j].idx - base) if j < span.end else None
        if value is None:
            continue
        end = j
        while end < span.end and doc[end].idx - base < value.end():
            end += 1
        context.identifier_tokens.update(range(i, k))
        context.identifier_tokens.update(range(j, end))
        owner = owner or _identifier_owner(acronym, end, context.identifier_tokens)
        if owner is None and found:
            owner = found[-1].owner  # "Its OCLC number is 8805735, and ISBN number is …"
        definite = acronym.i > span.start and doc[acronym.i - 1].lower_ == "the"
        found.append(_Identifier(name, value.group(), owner, acronym, definite))
    return found


def _identifier_value(text: str, start: int) -> re.Match[str] | None:
    """The identifier written at ``start``, if one is.

    It has a digit ("0-14-243724-7") or is in capitals ("JPHAC5", "LHR"); a word ("… is
    a journal") is none.
    """
    match = _IDENTIFIER_VALUE.match(text, start)
    if match is None:
        return None
    value = match.group()
    return (
        match if any(c.isdigit() for c in value) or (value.isupper() and len(value) >= 3) else None
    )


def _identifier_owner(acronym: Token, value_end: int, taken: set[int]) -> Token | None:
    """Whose identifier an acronym and its value are, from the text around them.

    After a name and a comma or bracket ("X, ISBN …", "X (ISBN …)"), the name; a name's
    possessive or compound before it ("X's ISSN number is …"), that name; otherwise the
    subject of the clause it is in ("X has the ISBN number …", "X was published with
    ISBN …", "… X, which has the OCLC number …") or the name a "with" phrase is on.
    """
    doc = acronym.doc
    start = acronym.i - (acronym.i > 0 and doc[acronym.i - 1].tag_ == "DT")
    before = doc[start - 1] if start > 0 else None
    named_before = doc[start - 2] if start > 1 else None
    if (
        before is not None
        and named_before is not None
        and (
            before.lower_ in ("'s", "’s")  # also "it's" written for "its"
            or (
                before.text in (",", "(")
                and named_before.ent_type_
                and named_before.pos_ == "PROPN"
            )
        )
    ):
        return named_before
    if before is not None and (before.tag_ == "PRP$" or before.pos_ == "PROPN"):
        return before  # "Its ISBN number is …", "The Acta Palaeontologica CODEN code is …"
    if before is not None and before.tag_ == "WP$":
        return _antecedent(before)  # "JFK Airport, whose IATA airport code is JFK, …"
    after = doc[value_end] if value_end < len(doc) else None
    if after is not None and after.lemma_ == "be" and value_end + 1 < len(doc):
        named = doc[value_end + 1 + (doc[value_end + 1].lower_ == "for")]
        if named.ent_type_ and named.pos_ == "PROPN":
            return named  # "OCLC number 45644811 is for Aenir"
    token = acronym
    for _ in range(12):  # up the tree, past the identifier's own (often misparsed) tokens
        if token.head.i == token.i:
            break
        token = token.head
        if token.i in taken:
            continue
        if token.pos_ == "PROPN" and token.ent_type_:
            return token  # "X, with the CODEN JPHAC5, is …"
        if token.pos_ in ("VERB", "AUX"):
            subject = _clause_subject(token)
            # "… and ISBN number is …": the identifier itself is no owner
            return None if subject is None or subject.i in taken else subject
    return None


def _clause_subject(verb: Token) -> Token | None:
    """A verb's subject; a conjoined verb's is its head's, a relative clause's its noun."""
    while True:
        subject = next((c for c in verb.children if c.dep_ in _ANY_SUBJECT), None)
        if subject is not None:
            return subject
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ != "conj" or verb.head.i == verb.i:
            return None
        verb = verb.head


def parse_general_sentence(
    span: Span,
    sentence_index: int,
    context: GeneralContext,
    out: DocumentFacts,
    entities: Sequence[Span] | None = None,
) -> None:
    """Append the facts that the dependency rules find in one sentence.

    Args:
        span: The sentence.
        sentence_index: Its index in the document.
        context: The document's state.
        out: Where facts go.
        entities: The sentence's named entities, if the caller has them (``span.ents``
            scans the whole document, so a caller reading every sentence passes them).
    """
    lexicon = context.lexicon
    if context.next_topic is not None:
        context.topic, context.next_topic = context.next_topic, None
        context.topic_is_thing, context.next_topic_is_thing = context.next_topic_is_thing, False
    ents = list(span.ents) if entities is None else entities
    context.first_name = next((t.i for t in span if t.pos_ in _NOUN_POS), span.end)
    context.entities = {i: ent for ent in ents for i in range(ent.start, ent.end)}
    context.sentence_end = span.end
    context.resolved = {}
    context.read_preps = set()
    context.joined_types = {}
    context.identifier_tokens = set()
    context.clause_owner = None
    context.person_spans = [ent for ent in ents if ent.label_ == "PERSON"]
    context.people_before = list(context.recent_people.values())

    def add(
        subject: Node | None, predicate: str, obj: Node | None, tokens: list[Token], rule: str
    ) -> None:
        if subject is None or obj is None or subject == obj or subject.kind == "literal":
            return  # RDF subjects cannot be literals
        if (
            context.identifier_tokens
            and rule != "identifier"
            and any(t.i in context.identifier_tokens for t in tokens)
        ):
            return  # an identifier's tokens, which the small model parses as a clause
        if predicate == "type" and obj.kind == "literal":
            return  # "X is 973 above sea level": a figure is no class
        if predicate == "plays_for" and obj.kind == "entity" and _kind_given(tokens[-1], _BANDS):
            predicate = "plays_in_band"  # "plays for the band Twilight"
        if obj.kind == "entity":
            rank = _taxon_rank(tokens[-1])
            if rank is not None:
                # "belongs to the genus Apium", "HIV is genus Lentivirus": its genus,
                # whatever the verb
                predicate = rank
                if obj.key.startswith(f"{rank} "):  # the name read with its rank
                    name = obj.key[len(rank) + 1 :]
                    obj = dataclasses.replace(obj, key=name, label=name)
        if predicate == "leader_of" and _office(subject):
            predicate = "leader_title_of"  # "X is led by the Mayor": a title, no one's name
        elif predicate == "leader" and _office(obj):
            predicate = "leader_title"
        start = min([t.idx for t in tokens])
        end = max([t.idx + len(t) for t in tokens])
        out.facts.append(Fact(subject, predicate, obj, sentence_index, start, end, rule))
        if (
            predicate == "type"
            and subject.kind == "entity"
            and obj.kind == "concept"
            and not obj.key.startswith("ner:")
        ):
            _note_kind(subject, obj.key, start, context)

    identifiers = _identifiers(span, context)
    # Entities and their types, so every entity is in the graph even without a relation.
    for ent in ents:
        if ent.label_ in _NUMERIC_ENTITIES or _in_title(ent):
            continue
        node = _node(ent.root, context)
        if (
            node is not None
            and node.kind == "entity"
            # "Polish" in "Polish–Soviet War" gives no type to the war
            and context.joined_types.get(ent.start, ent.label_) == ent.label_
        ):
            add(node, "type", Node("concept", f"ner:{ent.label_}"), [ent[0], ent[-1]], "ner")
    for identifier in identifiers:
        # "The LCCN number is 93645978": the text's topic
        owner = context.topic if identifier.owner is None else _node(identifier.owner, context)
        if (
            _is_entity(owner)
            and owner.key != identifier.value
            and (identifier.owner is not None or identifier.definite)
        ):
            value = Node("literal", identifier.value, label=identifier.value)
            evidence = [identifier.first] if identifier.owner is None else [identifier.owner]
            add(owner, slug(identifier.name), value, [*evidence, identifier.first], "identifier")

    for token in span:
        dep = token.dep_  # each attribute read builds a string: read it once
        # Appositions: "Ulm, a city in Germany," → Ulm type city.
        if dep == "appos":
            _apposition(token, context, add, lexicon)
        # Possessives: "Germany's capital Berlin" → (Germany, has_capital, …) only with a noun head.
        if (
            dep == "poss"
            and token.head.pos_ in _NOUN_POS
            and not _is_property(token.head)
            # "X is Scotland's largest city", "X, Nigeria's largest city,": read as a
            # property of the named owner by the copula and the apposition
            and not (token.pos_ == "PROPN" and token.head.dep_ in ("attr", "appos"))
            and not (token.lower_ in _OWN and _said_owned_by_having(token.head))
        ):
            owner = _node(token, context)
            add(
                owner,
                slug(f"has {token.head.lemma_}"),
                _node(token.head, context),
                [token, token.head],
                "possessive",
            )
        # "3Arena in Dublin is owned by …", "the Olympic Stadium in Athens": a name "in" a
        # named place is located there.
        if dep == "prep" and token.lower_ in ("in", "at") and token.head.pos_ == "PROPN":
            for pobj in token.children:
                if pobj.dep_ != "pobj" or _entity_label(pobj, context) not in _PLACES:
                    continue
                country = _country_after(pobj, context)  # "X in Ahmedabad, India"
                for place in (pobj,) if country is None else (pobj, country):
                    add(
                        _node(token.head, context),
                        _PLACE_PREDICATE,
                        _node(place, context),
                        [token.head, place],
                        "name-place",
                    )
        if dep == "prep" and _sea_level(token):
            elevation = _elevation(token, context)
            if elevation is not None:
                subject, height, figure = elevation
                add(subject, "elevation", height, [figure, token], "sea-level")
            continue
        if token.pos_ not in ("VERB", "AUX"):
            continue
        if dep == "conj" and token.head.pos_ in ("VERB", "AUX"):
            continue  # reached through its head's conjuncts
        # Token objects are built on every access: read each verb's children once.
        children_of = {verb.i: list(verb.children) for verb in _conjuncts(token)}
        if _negated(children_of[token.i]):
            continue
        for verb in _conjuncts(token):
            children = children_of[verb.i]
            if _negated(children):
                continue
            if verb.lemma_ in _NAMING_LEMMAS and _demonym(verb, children, context, add):
                continue
            if verb.lemma_ in _CALLING:
                _read_calling_as_copula(verb, children)
            subjects = [c for c in children if c.dep_ in _SUBJECTS]
            passive_subjects = [c for c in children if c.dep_ in _PASSIVE_SUBJECTS]
            shared_patient = False
            if not subjects and not passive_subjects and verb.dep_ in ("conj", "xcomp"):
                # "X was born in Y and died in Z"; "X used to play for Y".
                clause = verb.head
                if clause.pos_ not in ("VERB", "AUX") and clause.dep_ in ("acomp", "attr"):
                    clause = clause.head  # "X is married to Y and lives in Z"
                head_children = list(clause.children)
                subjects = [c for c in head_children if c.dep_ in _SUBJECTS]
                passive_subjects = [c for c in head_children if c.dep_ in _PASSIVE_SUBJECTS]
                if verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in children):
                    # "Mexico is a country and is led by X": the shared subject is this
                    # passive verb's patient
                    subjects, passive_subjects = [], subjects + passive_subjects
                    shared_patient = True
                elif (
                    verb.dep_ == "conj"
                    and verb.tag_ != "VBN"
                    and not subjects
                    and passive_subjects
                    and all(_is_entity(_node(s, context)) for s in passive_subjects)
                ):
                    # "X was born in Y and wrote Z", "… and became a painter": an active
                    # verb's subject ("… and raised in Z" shares the passive). Names only:
                    # a definition's relative clause keeps the reading the shipped models'
                    # knowledge was extracted with.
                    subjects, passive_subjects = passive_subjects, []
            elif not subjects and not passive_subjects and verb.tag_ == "VBN":
                subjects = _misread_past_subjects(verb, children)
                if not subjects and any(c.lower_ == "having" for c in children):
                    subjects = _participle_subjects(verb)  # "Having won the election, X …"
                if not subjects:
                    passive_subjects = _participle_subjects(verb) or _spliced_subjects(children)
            elif not subjects and not passive_subjects and verb.tag_ == "VBG":
                # "Coming from Leeds, X sings …", "X, having a beam of 21 m, was …"; not
                # "a genre originating from …"
                fenced = verb.dep_ == "acl" and verb.doc[verb.i - 1].text == ","
                subjects = _participle_subjects(verb) if verb.dep_ == "advcl" or fenced else []
            elif not subjects and not passive_subjects and verb.tag_ in ("VBD", "VBZ"):
                # "Ada Lovelace was a mathematician, wrote …": active, the same splice.
                subjects = _spliced_subjects(children)
            subject_nodes = [(t, _node(t, context)) for s in subjects for t in _conjuncts(s)]
            for _, node in subject_nodes:
                if context.next_topic is None and node is not None and node.kind == "entity":
                    context.next_topic = node
            passive_nodes = [
                (t, _node(t, context)) for s in passive_subjects for t in _conjuncts(s)
            ]
            for _, node in passive_nodes:  # "X was born in Y. He …": he is X
                if context.next_topic is None and node is not None and node.kind == "entity":
                    context.next_topic = node
                    context.next_topic_is_thing = node.entity_type != "PERSON"
            if (
                verb.lemma_ == "find"
                and subjects
                and all(t.lower_ in _UNRESOLVED_PRONOUNS for t in subjects)
            ):
                # "Java, where you can find Ayam penyet", "In Romania we can find …": what
                # the reader finds somewhere is located there.
                where_found = _finding_place(verb, children, context)
                if where_found is not None:
                    for found in (t for c in children if c.dep_ in _OBJECTS for t in _conjuncts(c)):
                        add(
                            _node(found, context),
                            _PLACE_PREDICATE,
                            _node(where_found, context),
                            [found, where_found],
                            "found-in",
                        )
            # "X became the capital of Y", "X remained a member of Y": as "is" says
            is_copula = verb.lemma_ in ("be", "become", "remain")
            if is_copula:
                # "The leader of Aarhus is Jacob", "Aarhus's leader is Jacob", "Athens
                # mayor is Giorgos", "The runway length of X is 2,776.0": the noun is a
                # property of its owner (Aarhus leader Jacob; X runway_length 2776.0).
                # "… is a doctor" names a class, not a value: left to the copula rules.
                values = [
                    a
                    for c in children
                    if c.dep_ == "attr"
                    or (c.dep_ == "acomp" and _entity_label(c, context) in _NAMED_ADJECTIVES)
                    for a in _conjuncts(c)
                ]  # "… is Greek": an adjective that is a name is a value too
                definite = [a for a in values if not _indefinite(a)]
                described = set()
                for subj_token, _ in subject_nodes:
                    noun = _partitive_noun(subj_token) or subj_token
                    # "X's occupation was a test pilot": a role's value is a class
                    attrs = values if noun.lemma_.lower() in _ROLE_PROPERTIES else definite
                    owner_token = (
                        (_owner(noun) or _where_antecedent(subj_token))
                        if noun.pos_ == "NOUN"
                        # "The Chairman of A C Milan is …": a title, capitalised, no name
                        # (nor one the recogniser takes for a person: "The Dean of X")
                        else _object_of(noun, ("of",))
                        if noun.pos_ == "PROPN"
                        and (noun.i not in context.entities or _title_read_as_person(noun, context))
                        else None
                    )
                    if (
                        verb.dep_ in ("conj", "ccomp")
                        and noun.pos_ == "NOUN"
                        and (
                            (owner_token is not None and owner_token.lower_ in _OWN)
                            or (
                                owner_token is None
                                and all(c.lower_ == "the" for c in noun.children if c.dep_ == "det")
                                and any(c.dep_ == "det" for c in noun.children)
                            )
                        )
                    ):
                        # "The capital of Peru is Lima and the currency (its currency) is …"
                        owner_token = context.clause_owner or owner_token
                    if owner_token is not None and owner_token.lower_ in _OWN:
                        # "Greece, where its leader is X"; "X is in Y and its runway …"
                        owner_token = _where_place(verb) or _first_clause_name(verb) or owner_token
                    if owner_token is not None:
                        context.clause_owner = owner_token
                    if (
                        owner_token is None
                        or not attrs
                        or _kind_of(noun)  # "A type of dessert is …": a member
                        or (
                            _indefinite(subj_token)
                            and _object_of(noun, ("of",)) is None
                            and _in_owner(noun) is None
                        )
                    ):
                        # "A Mao jacket is a …" defines a class; it names no property. "An
                        # ingredient of bakewell tart is frangipane" and "An ethnic group in
                        # Poland is the Romani people" do name one.
                        continue
                    if all(any(c.lower_ == "of" for c in a.children) for a in attrs):
                        continue  # "The city of Albany is part of …": a relation noun
                    described.add(subj_token.i)
                    name = _noun_words(noun, exclude=owner_token)
                    owner_node = _node(owner_token, context)
                    for attr in attrs:
                        measured = _measured_in(attr, list(_prep_objects(attr)), context)
                        if measured is not None:
                            # "Its hull is 200 feet in length": the owner's hull length.
                            add(
                                owner_node,
                                slug(f"{name} {measured[0]}"),
                                measured[1],
                                [owner_token, attr],
                                "property-of",
                            )
                            continue
                        add(
                            owner_node,
                            slug(name),
                            _number_with_unit(attr, context) or _stated_value(attr, context),
                            [owner_token, attr],
                            "property-of",
                        )
                subject_nodes = [
                    (t, _defined_class(t, n, children, context))
                    for t, n in subject_nodes
                    if t.i not in described
                ]
                # "X is part of Y" (attr + prep), "X is in Y" (prep), "X is a Y" (attr).
                # Of a name, each conjoined complement says its own phrase ("Rome is a
                # city and the capital of Italy"), and one without a determiner of its own
                # shares it with a first noun under "the" ("the capital and largest city
                # of Sweden").
                for attr in (c for c in children if c.dep_ == "attr"):
                    others = list(_conjuncts(attr))[1:]
                    if not others:
                        continue
                    alone = not any(True for _ in _prep_objects(attr)) and any(
                        c.dep_ == "det" and c.lower_ == "the" for c in attr.children
                    )
                    for more in others:
                        if more.lemma_.lower() in _KIND_WORDS:
                            continue  # (a class, not a relation: left as it was)
                        shared = alone and not any(c.dep_ == "det" for c in more.children)
                        for prep, pobj in _prep_objects(more):
                            if prep.lower_ in _QUALIFYING:
                                continue
                            for subj_token, subj in subject_nodes:
                                if not _is_entity(subj):
                                    continue  # a definition: "a sandal … and an upper of …"
                                for noun in (attr, more) if shared else (more,):
                                    add(subj, _copula_prep_predicate(noun, prep.text, lexicon),
                                        _node(pobj, context), [subj_token, pobj],
                                        "copula-prep")  # fmt: skip
                for attr in (_one_of(c) for c in children if c.dep_ == "attr"):
                    preps = list(_prep_objects(attr))
                    where = _where_place(verb) if not preps else None
                    if where is not None and (_indefinite(attr) or attr.tag_ == "NNS"):
                        # "Norway, where the Sami are an ethnic group": a group in Norway
                        for subj_token, subj in subject_nodes:
                            predicate = _copula_prep_predicate(attr, "in", lexicon)
                            add(subj, predicate, _node(where, context), [subj_token, where],
                                "copula-prep")  # fmt: skip
                    if (
                        attr.lemma_.lower() in _KIND_WORDS
                        and preps
                        and preps[0][0].text == "of"
                        and all(p.text in _QUALIFYING for p, _ in preps[1:])
                    ):
                        # "X is a kind of Y" states X is a Y, not a relation "kind_of";
                        # "a pair of trousers with a tight fit": the fit is the trousers'.
                        for subj_token, subj in subject_nodes:
                            for prep, pobj in preps:
                                pred = (
                                    "type"
                                    if prep.text == "of"
                                    else lexicon.predicates.get(prep.text) or slug(prep.text)
                                )
                                add(
                                    subj,
                                    pred,
                                    _node(pobj, context),
                                    [subj_token, pobj],
                                    "kind-of" if pred == "type" else "copula-prep",
                                )
                        continue
                    for subj_token, subj in subject_nodes:
                        if preps and subj is not None and subj.kind == "literal":
                            # "325 is the area code for Abilene": Abilene area_code 325.
                            for _, pobj in preps:
                                add(
                                    _node(pobj, context),
                                    slug(_noun_words(attr)),
                                    subj,
                                    [subj_token, pobj],
                                    "property-of",
                                )
                        elif (measured := _measured_in(attr, preps, context)) is not None:
                            # "X is 253260.0 millimetres in length": X length 253260.0;
                            # "… and 27 metres in width": the width too.
                            add(subj, measured[0], measured[1], [subj_token, attr], "measure")
                            for more in list(_conjuncts(attr))[1:]:
                                also = _measured_in(more, list(_prep_objects(more)), context)
                                if also is not None:
                                    add(subj, also[0], also[1], [subj_token, more], "measure")
                        elif preps and all(p.text.lower() in _QUALIFYING for p, _ in preps):
                            # "A dirndl is a dress with a tight bodice": a dress, with a bodice.
                            for a in _conjuncts(attr):
                                add(subj, "type", _node(a, context), [subj_token, a], "copula-attr")
                            for prep, pobj in preps:
                                pred = lexicon.predicates.get(prep.text.lower()) or slug(prep.text)
                                add(
                                    subj,
                                    pred,
                                    _node(pobj, context),
                                    [subj_token, pobj],
                                    "copula-prep",
                                )
                        elif preps:
                            if any(c.dep_ == "amod" for c in attr.lefts) and (
                                _indefinite(attr)
                                or not any(c.dep_ in ("det", "poss") for c in attr.children)
                            ):
                                # "A surcoat is a loose outer coat of rich material": a
                                # described class ("a loose coat") is a class, whatever
                                # the preposition; "a member of" stays a bare relation.
                                for a in _conjuncts(attr):
                                    add(subj, "type", _node(a, context), [subj_token, a],
                                        "copula-attr")  # fmt: skip
                            elif subj is not None and subj.kind == "entity" and _indefinite(attr):
                                # "X is a mountain in Chile" (mountain_in): "the mountain"
                                # later is X.
                                _note_kind(subj, attr.lemma_.lower(), subj_token.idx, context)
                            for prep, pobj in preps:
                                add(
                                    subj,
                                    _copula_prep_predicate(attr, prep.text, lexicon),
                                    _node(pobj, context),
                                    [subj_token, pobj],
                                    "copula-prep",
                                )
                        else:
                            for a in _conjuncts(attr):
                                if _names_a_member(subj_token, a):
                                    # "A popular dessert is Bionico": Bionico is a dessert.
                                    kind = _object_of(subj_token, ("of",))
                                    of_class = (
                                        _node(kind, context)
                                        if kind is not None and _kind_of(subj_token)
                                        else subj
                                    )
                                    member = _node(a, context)
                                    add(member, "type", of_class, [subj_token, a], "copula-attr")
                                    continue
                                named = _node(a, context)
                                if (
                                    subj is not None
                                    and subj.kind == "concept"
                                    and _is_entity(named)
                                    and a.pos_ == "PROPN"
                                ):
                                    # "The winner was Anna Smith": she is the winner, where
                                    # "the winner" names no one met before
                                    add(named, "type", subj, [subj_token, a], "copula-attr")
                                    continue
                                add(subj, "type", named, [subj_token, a], "copula-attr")
                                _person_class(subj_token, subj, a, context, add)
                                owner_noun = (
                                    _poss_owner(a)
                                    or _propn_owner(a)
                                    or _acl_owner(a)
                                    or _in_owner(a)
                                    or _where_owner(verb, a)
                                )
                                if (
                                    owner_noun is not None
                                    and subj is not None
                                    and subj.kind == "entity"
                                ):
                                    # "Joe Biden is a United States leader": US leader Biden;
                                    # "Greek is the language spoken in Greece".
                                    add(
                                        _node(owner_noun, context),
                                        slug(_noun_words(a, exclude=owner_noun)),
                                        subj,
                                        [subj_token, a],
                                        "property-of",
                                    )
                                elif _is_entity(subj) or (
                                    # "Bandeja paisa is a dish found in …": a kind of
                                    # thing said without an article is named too
                                    subj is not None
                                    and subj.kind == "concept"
                                    and not any(
                                        c.dep_ in ("det", "poss") for c in subj_token.children
                                    )
                                ):
                                    _class_participles(subj_token, subj, a, context, add)
                if any(c.dep_ == "expl" for c in children):
                    _counted_there(children, context, add)  # "There are 60 floors in X"
                for subj_token, subj in subject_nodes:
                    for c in children:
                        if c.dep_ != "acomp":
                            continue
                        _person_class(subj_token, subj, c, context, add)  # "X is British"
                        _measure(subj_token, subj, c, children, context, add)  # "X is 2 m tall"
                        for prep, pobj in _prep_objects(c):  # "X was married to Y"
                            key = f"{c.lemma_.lower()} {prep.text.lower()}"
                            pred = lexicon.predicates.get(key) or slug(key)
                            add(subj, pred, _node(pobj, context), [subj_token, pobj], "copula-prep")
                for prep, pobj in _prep_objects(verb, children, context):
                    obj_node = _node(pobj, context)
                    for subj_token, subj in subject_nodes:
                        pred = (
                            lexicon.predicates.get(f"be {prep.text.lower()}")
                            or slug(f"is {prep.text}")
                            if verb.lemma_ == "be"
                            # "X became the capital in 1990": when it became so
                            else _verb_predicate(verb, prep, obj_node, lexicon)
                        )
                        fronted_of = _fronted_of_noun(verb, prep, children)
                        if fronted_of is not None and _is_entity(obj_node):
                            # "South Africa, of which Cape Town is the capital": the
                            # capital of South Africa, as "Cape Town is the capital of it"
                            pred = _copula_prep_predicate(fronted_of, "of", lexicon)
                        add(subj, pred, obj_node, [subj_token, pobj], "copula-prep")
                continue
            objects = [_whole_of(t) for c in children if c.dep_ in _OBJECTS for t in _conjuncts(c)]
            prep_objects: list[tuple[Token | str, Token]] = list(
                _prep_objects(verb, children, context)
            )
            where = _where_place(verb)
            if where is not None and any(s.lower_ in _ANYONE for s, _ in subject_nodes):
                # "Spain, where they speak Spanish": Spanish is spoken there.
                where_node = _node(where, context)
                for obj in objects:
                    add(_node(obj, context), _verb_predicate(verb, "in", where_node, lexicon),
                        where_node, [obj, where], "where-anyone")  # fmt: skip
                subject_nodes = []  # "they" is no one the text named
            elif where is not None:  # "Canada, where English is spoken": spoken in Canada
                prep_objects.append(("in", where))
            # "X was born July 23, 1982": a date without its preposition is "on" it.
            prep_objects += [
                ("on", c)
                for c in children
                if c.dep_ == "npadvmod" and _entity_label(c, context) == "DATE"
            ]
            agents = _agents(children)
            if verb.lemma_ == "have":
                objects = [o for o in objects if not _has_value(o, subject_nodes, context, add)]
                # "has X as one of its ingredients", "had its first flight on …": read above
                prep_objects = [
                    (p, o)
                    for p, o in prep_objects
                    if isinstance(p, str) or p.i not in context.read_preps
                ]
            for subj_token, subj in subject_nodes:
                for obj in objects:
                    add(
                        subj,
                        _instrument_predicate(verb, obj) or _predicate(verb, None, lexicon),
                        _node(obj, context),
                        [subj_token, obj],
                        "svo",
                    )
                for preposition, pobj in prep_objects:
                    stated = _value_of(pobj, context)
                    if stated is not None:
                        # "X travels at an average speed of 16.86 km per sec": X's speed.
                        add(subj, stated[0], stated[1], [subj_token, pobj], "verb-prep-of")
                        continue
                    obj_node = _node(pobj, context)
                    add(
                        subj,
                        _verb_predicate(verb, preposition, obj_node, lexicon),
                        obj_node,
                        [subj_token, pobj],
                        "verb-prep",
                    )
            # Only a verb's own passive subject: "a bag that is used to feed an animal"
            # does not feed the bag an animal.
            own_passive = shared_patient or any(c.dep_ in _PASSIVE_SUBJECTS for c in children)
            # "X is also named Y", "X is nicknamed Y": a name as the object predicate
            # ("X is considered a Y" and "X was elected Y" are left alone).
            given_names = (
                [t for c in children if c.dep_ == "oprd" for t in _conjuncts(c)]
                if verb.lemma_ in _NAMING_VERBS
                else []
            )
            # "Gazpacho is served cold": how it is served, a value
            temperatures = (
                [c for c in children if c.dep_ in _PREDICATIVE and c.lower_ in _TEMPERATURES]
                if verb.lemma_ == "serve" and own_passive
                else []
            )
            for patient_token, patient in passive_nodes:
                for served in temperatures:
                    temperature = Node("literal", served.lower_, label=served.lower_)
                    add(
                        patient,
                        "serving_temperature",
                        temperature,
                        [patient_token, served],
                        "served",
                    )
                for obj in objects if own_passive else ():  # "X was awarded the Y Award"
                    add(
                        patient,
                        _predicate(verb, None, lexicon),
                        _node(obj, context),
                        [patient_token, obj],
                        "passive-object",
                    )
                for given in given_names if own_passive else ():
                    # "is called" says what "is known as" does
                    add(
                        patient,
                        "know_as" if verb.lemma_ in _CALLING else _predicate(verb, None, lexicon),
                        _node(given, context),
                        [patient_token, given],
                        "named",
                    )
                for agent in agents:
                    add(
                        _node(agent, context),
                        _predicate(verb, None, lexicon),
                        patient,
                        [agent, patient_token],
                        "passive-agent",
                    )
                for preposition, pobj in prep_objects:
                    obj_node = _node(pobj, context)
                    add(
                        patient,
                        _verb_predicate(verb, preposition, obj_node, lexicon),
                        obj_node,
                        [patient_token, pobj],
                        "passive-prep",
                    )


def _participle_subjects(verb: Token) -> list[Token]:
    """Who a participle without a subject is said of.

    "Casey Ribicoff, *born* in Chicago, was …": the name it hangs on; "*Born* in Greece,
    Adonis Georgiadis worked …" and "*Coming* from Leeds, Jane Austin sings …": the
    subject of the clause it opens. Common nouns are left alone: a gloss's "a bag *used*
    to …" is read by the scene rules.
    """
    if verb.dep_ == "acl" and verb.head.pos_ == "PROPN":
        return [verb.head]
    if verb.dep_ == "advcl" and verb.i < verb.head.i:
        # "Located in Paris, the Louvre was built …": a passive clause's subject too
        return [
            c
            for c in verb.head.children
            if (c.dep_ in _SUBJECTS or c.dep_ == "nsubjpass") and c.pos_ == "PROPN"
        ]
    return []


def _misread_past_subjects(verb: Token, children: list[Token]) -> list[Token]:
    """The subject of a past verb the model read as a participle of the noun before it.

    "Marie Curie was a physicist, discovered polonium": "discovered" comes out a
    participle of "physicist" although it has an object, so it is the past tense whose
    subject is the copula's name. A participle with an object is rare after a comma
    ("a ring, given the name …" has none in the model's reading).
    """
    head = verb.head
    if (
        verb.dep_ != "acl"
        or verb.i == 0
        or verb.doc[verb.i - 1].text != ","
        or head.dep_ != "attr"
        or head.head.lemma_ != "be"
        or not any(c.dep_ == "dobj" for c in children)
    ):
        return []
    return [c for c in head.head.children if c.dep_ in _SUBJECTS and c.pos_ == "PROPN"]


#: Verbs that say what a thing is called.
_CALLING: Final = frozenset({"call", "name"})
#: Ranks of biological classification: "in the family Apiaceae" names a family.
_TAXON_RANKS: Final = frozenset(
    {"kingdom", "phylum", "division", "class", "order", "family", "genus", "tribe"}
)


def _title_read_as_person(noun: Token, context: GeneralContext) -> bool:
    """Whether "The Dean" is a person's name to the recogniser but one capitalised word."""
    ent = context.entities.get(noun.i)
    return (
        ent is not None
        and ent.label_ == "PERSON"
        and sum(1 for t in ent if t.lower_ != "the") == 1
        and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
    )


def _taxon_rank(name: Token) -> str | None:
    """The rank a name is given as ("the genus Apium", "the order of Rosids"), if any.

    The rank is written in lower case: "the Order of the Garter", "the Family Party" are
    names.
    """
    rank = _kind_given(name, _TAXON_RANKS)
    if rank is not None:
        return rank
    head = name.head
    if (
        name.dep_ == "pobj"
        and head.lower_ == "of"
        and _is_kind(head.head, _TAXON_RANKS)
        and not _indefinite(head.head)  # "X is a division of Audi": a company's part
    ):
        return head.head.lower_
    return None


def _kind_given(name: Token, kinds: frozenset[str]) -> str | None:
    """The lower-case kind noun a name is given with ("the band Twilight"), if any."""
    if _is_kind(name, kinds):
        return name.lower_  # the kind noun itself stood for the name
    for left in name.lefts:
        if left.dep_ == "compound" and _is_kind(left, kinds):
            return left.lower_
    if name.dep_ == "appos" and _is_kind(name.head, kinds):
        return name.head.lower_
    return None


def _is_kind(token: Token, kinds: frozenset[str]) -> bool:
    return token.lower_ in kinds and token.is_lower


#: Nouns for a group of musicians: playing for one is being in a band, not on a team.
_BANDS: Final = frozenset({"band", "group", "orchestra", "ensemble"})
#: How a dish is served, said as a passive's complement ("is served hot").
_TEMPERATURES: Final = frozenset({"hot", "cold", "warm", "chilled", "cool", "lukewarm", "iced"})
#: A passive's complement, as the small model attaches it ("chilled" as a clause).
_PREDICATIVE: Final = frozenset({"oprd", "acomp", "advmod", "advcl"})
#: Verbs whose object predicate is a name ("X is nicknamed Y").
_NAMING_VERBS: Final = _CALLING | {"nickname", "dub", "rename"}
#: Participles that give a noun a name ("the asteroid called X", "the body known as X").
_NAME_GIVING: Final = _CALLING | {"know"}
#: Verbs (and the copula) that name what a place's people are called.
_NAMING_LEMMAS = frozenset({"call", "name", "know", "refer", "be"})
#: Nouns for a place's people.
_PEOPLE_NOUNS = frozenset({"people", "inhabitant", "native", "citizen", "resident"})
#: Nouns for what such a name is ("Italians is the name given to people from Italy").
_NAME_NOUNS = frozenset({"name", "demonym", "term"})


def _read_calling_as_copula(verb: Token, children: list[Token]) -> None:
    """Read "the leader of X is called Y" as "the leader of X is Y".

    A name after a passive "called" or "named" on a noun that is its owner's ("India's
    leader is called T S Thakur", "India, where the leader is called …") is the value
    of that property, as after "is". Other things' names ("The 1955 Dodge is also
    called the Dodge Coronet", "The dog is named Rex") stay namings.
    """
    subjects = [c for c in children if c.dep_ == "nsubjpass"]
    names = [c for c in children if c.dep_ == "oprd"]
    if (
        verb.tag_ != "VBN"
        or len(subjects) != 1
        or subjects[0].pos_ != "NOUN"
        or not names
        or any(c.dep_ == "agent" for c in children)
        or subjects[0].lemma_.lower() in _PEOPLE_NOUNS  # a demonym (see _demonym)
        or (_owner(subjects[0]) or _where_antecedent(subjects[0])) is None
    ):
        return
    verb.lemma_ = "be"
    subjects[0].dep_ = "nsubj"
    for name in names:
        name.dep_ = "attr"


def _demonym(
    verb: Token,
    children: list[Token],
    context: GeneralContext,
    add: Callable[[Node | None, str, Node | None, list[Token], str], None],
) -> bool:
    """Read what a place's people are called as the place's ``demonym``.

    "People from the United Kingdom are called British people", "The native people of
    the United Kingdom are known as the British people" (the people are the subject of
    a passive "call", "name" or "know as"); "Italians is the name given to people from
    Italy", "British people is a demonym for people in the United Kingdom" (the name is
    the subject of "is"). Returns whether the clause was read so.
    """
    if verb.lemma_ == "be":
        names = [c for c in children if c.dep_ == "nsubj"]
        nouns = [c for c in children if c.dep_ == "attr" and c.lemma_.lower() in _NAME_NOUNS]
        people = [t for n in nouns for t in n.subtree if t.lemma_.lower() in _PEOPLE_NOUNS]
    else:
        people = [
            c for c in children
            if c.dep_ == "nsubjpass" and c.lemma_.lower() in _PEOPLE_NOUNS
        ]  # fmt: skip
        names = [c for c in children if c.dep_ in ("oprd", "attr")] + [
            pobj for prep, pobj in _prep_objects(verb, children) if prep.lower_ == "as"
        ]
    places: list[tuple[Token, Node]] = []
    for person in people[:1]:
        said = [pobj for prep, pobj in _prep_objects(person) if prep.lower_ in _PEOPLE_OF]
        for child in person.children:
            if child.dep_ == "poss":  # "Italy's people", "its people"
                said.append(child)
            elif child.dep_ in ("relcl", "acl"):  # "the people that live in the country"
                said += [pobj for prep, pobj in _prep_objects(child) if prep.lower_ in _PEOPLE_OF]
        where = _where_antecedent(person)  # "Spain, where the people are called …"
        for token in [*said, where] if where is not None else said:
            node = _node(token, context)
            if node is not None and node.kind == "entity" and node.entity_type != "PERSON":
                places.append((token, node))
    if not (names and places):
        return False
    for name in names[:1]:
        words = [t for t in name.lefts if t.dep_ in ("amod", "compound")] + [name]
        text = " ".join(t.text for t in words)
        node = Node("entity", text, label=text, entity_type="NORP")
        for token, place in places:
            add(place, "demonym", node, [token, name], "demonym")
    return True


#: "people from X", "the people of X", "people living in X".
_PEOPLE_OF: Final = ("from", "of", "in")


def _number_with_unit(noun: Token, context: GeneralContext) -> Node | None:
    """The value of a number with its unit noun, else ``None``.

    "The temperature of 1036 Ganymed is 160 kelvins": 160, labelled "160 kelvins" (the
    entity recogniser marks the number alone, so the unit would be read as the value).
    """
    if noun.pos_ != "NOUN":
        return None
    for count in noun.lefts:
        if count.dep_ == "nummod" and count.like_num:
            value = value_node(count, context.entities)
            if value is not None and value.kind == "literal":
                label = noun.doc[count.i : noun.i + 1].text
                return dataclasses.replace(value, label=label)
    return None


def _spliced_subjects(children: list[Token]) -> list[Token]:
    """The subject a clause spliced on by a comma shares with the one before it.

    "Elliot See is deceased, was born on 23rd July 1927": the small model makes the
    first clause an adverbial (or complement) clause of "born", which then has no
    subject of its own.
    A clause opened by a subordinator ("When X was young, …") says nothing of this.
    """
    for clause in children:
        if clause.dep_ not in ("advcl", "ccomp") or clause.i > clause.head.i:
            continue
        parts = list(clause.children)
        opened = any(c.dep_ == "mark" or c.tag_ == "WRB" for c in parts)
        if opened or clause.doc[clause.right_edge.i + 1].text != ",":
            continue
        return [c for c in parts if c.dep_ in _SUBJECTS and c.pos_ == "PROPN"]
    return []


def _has_value(
    obj: Token,
    subject_nodes: list[tuple[Token, Node | None]],
    context: GeneralContext,
    add: Callable[[Node | None, str, Node | None, list[Token], str], None],
) -> bool:
    """Whether ``obj`` was read as a property with a value, not a ``have`` edge.

    "X has a runway length of 2,776.0", "X has 27,400 students"; of a name, "X has the full
    name Y" (``full_name``) and "X has a V6 engine" (``engine``, the kind of engine).
    """
    if obj.pos_ not in _NOUN_POS:
        return False
    if _has_own(obj, subject_nodes, context, add):
        return True
    if obj.pos_ != "NOUN":
        return False
    name = _noun_words(obj)
    for child in obj.children:
        if child.dep_ == "prep" and _sea_level(child):
            return True  # "an elevation of 12 metres above sea level": see _elevation
        if child.dep_ == "prep" and child.text.lower() == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    value = _of_value(pobj, context)
                    for subj_token, subj in subject_nodes:
                        add(subj, slug(name), value, [subj_token, pobj], "have-of")
                    return True
        if child.dep_ == "acl" and child.lemma_ in _NAME_GIVING:
            # "Pakistan has a leader called Anwar Zaheer Jamali".
            for named in child.children:
                if named.dep_ in ("oprd", "attr", "dobj"):
                    value = _node(named, context)
                    # "a runway named 18R" gives the runway's name; "a leader called X", the leader.
                    prop = f"{name} name" if child.lemma_ == "name" else name
                    for subj_token, subj in subject_nodes:
                        add(subj, slug(prop), value, [subj_token, named], "have-named")
                    return True
        if child.dep_ == "nummod":
            value = _node(child, context)
            if value is not None and value.kind == "literal":
                # "X has a 3.5 litre engine": the engine measures 3.5 litres; it is no count.
                measured = value.unit is not None and child.i + 1 < obj.i
                prop = slug(obj.text.lower()) if measured else _count_property(obj)
                for subj_token, subj in subject_nodes:
                    add(subj, prop, value, [subj_token, child], "have-count")
                return True
    # Of names only: a definition ("A parka has a fur-lined hood") or a caption ("bear has
    # brown neck") keeps the plain "have" the shipped models and scene graphs read.
    names = bool(subject_nodes) and all(
        _is_entity(s) and not t.text[:1].islower() for t, s in subject_nodes
    )
    appositive = next((c for c in obj.rights if c.dep_ == "appos"), None)
    if (
        appositive is not None
        and obj.lemma_.lower() not in _KIND_WORDS  # "type" is kg2img's class property
        and names
    ):
        # "AFC Fylde has the full name 'Association Football Club Fylde'", "a runway name
        # 10L/28R": the name after the noun is the value of the noun's property.
        words = [c.lower_ for c in obj.lefts if c.dep_ in ("amod", "compound")]
        for subj_token, subj in subject_nodes:
            add(subj, slug(" ".join([*words, obj.lemma_.lower()])), _node(appositive, context),
                [subj_token, appositive], "have-named")  # fmt: skip
        return True
    if names and _described(obj):
        # "The Acura TLX has a V6 engine": its engine is a V6 engine.
        first = min(c.left_edge.i for c in obj.lefts if c.dep_ not in ("det", "poss", "predet"))
        kind = obj.doc[first : obj.i].text + obj.doc[obj.i - 1].whitespace_ + obj.lemma_
        value = Node("concept", kind.lower(), label=kind.lower())
        for subj_token, subj in subject_nodes:
            add(subj, slug(obj.lemma_.lower()), value, [subj_token, obj], "have-kind")
        return True
    return False


def _described(noun: Token) -> bool:
    """Whether a singular noun has words that tell which of its kind it is ("a V6 engine")."""
    if noun.tag_ != "NN" or noun.lemma_.lower() in _KIND_WORDS:
        return False  # "a Humphrys power type": a type is no property to name after it
    return any(
        (c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN", "NUM"))
        or (c.dep_ == "amod" and c.lower_ not in _EVALUATIVE)
        for c in noun.lefts
    )


def _has_own(
    obj: Token,
    subject_nodes: list[tuple[Token, Node | None]],
    context: GeneralContext,
    add: Callable[[Node | None, str, Node | None, list[Token], str], None],
) -> bool:
    """Whether "X has its N in Y" or "X has Y as (one of) its N" was read as X's N Y.

    "The centre has its headquarters at Kourou", "The ship had its maiden voyage on 7
    July 1855", "The sauce has chili pepper as one of its ingredients". A preposition of
    the verb read so is noted in ``context.read_preps``, so it is not read again.
    """
    verb = obj.head
    own = obj.pos_ == "NOUN" and _said_as_own(obj)
    after = [(p, o) for p, o in _prep_objects(verb) if p.i > obj.i]
    if own:
        stated = [(p, o) for p, o in _prep_objects(obj) if p.lower_ != "of"] or after
        for prep, value in stated[:1]:
            context.read_preps.add(prep.i)
            for subj_token, subj in subject_nodes:
                add(subj, slug(_noun_words(obj)), _node(value, context), [subj_token, value],
                    "have-own")  # fmt: skip
        return bool(stated)
    # "has a career as a singer" is no career in the role of singer
    indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in obj.children)
    for prep, pobj in [*_prep_objects(obj), *after]:
        kind = _as_its_kind(prep, pobj, bare=not indefinite)
        if kind is None:
            continue
        context.read_preps.add(prep.i)
        for value in _conjuncts(obj):
            for subj_token, subj in subject_nodes:
                add(subj, slug(_noun_words(kind)), _node(value, context), [subj_token, value],
                    "have-own")  # fmt: skip
        return True
    return False


def _as_its_kind(prep: Token, pobj: Token, bare: bool) -> Token | None:
    """The noun of "as its N", "as one of its N" or "as a N" after "has X", else ``None``.

    "Indonesia has Jusuf Kalla as a leader", "… has Christmas pudding as an ingredient":
    with ``bare``, a common noun with only its article says which of the subject's N it
    is, as "its" does.
    """
    if prep.lower_ != "as":
        return None
    if pobj.lower_ == "one":
        pobj = next((o for p, o in _prep_objects(pobj) if p.lower_ == "of"), pobj)
    if _said_as_own(pobj):
        return pobj
    is_bare = pobj.pos_ == "NOUN" and all(
        c.dep_ == "det" and c.lower_ in _ROLE_ARTICLES for c in pobj.children
    )
    return pobj if bare and is_bare and pobj.n_lefts else None


#: Articles of "has X as a/the N".
_ROLE_ARTICLES: Final = frozenset({"a", "an", "the"})


def _said_as_own(noun: Token) -> bool:
    """Whether ``noun`` is the subject's own: "*its* headquarters", "*their* manager"."""
    return any(c.dep_ == "poss" and c.lower_ in _OWN for c in noun.children)


def _said_owned_by_having(noun: Token) -> bool:
    """Whether ``noun`` is the N of "X has its N …" or "X has Y as (one of) its N"."""
    if noun.dep_ == "dobj":
        return noun.head.lemma_ == "have"
    for ancestor in noun.ancestors:
        if ancestor.lower_ == "as" and ancestor.dep_ == "prep":
            owner = ancestor.head if ancestor.head.dep_ != "dobj" else ancestor.head.head
            return owner.lemma_ == "have"
    return False


#: Possessives that refer back to the subject: "X has *its* headquarters in Y".
_OWN: Final = frozenset({"its", "their", "his", "her"})


def _of_value(pobj: Token, context: GeneralContext) -> Node | None:
    """What the object of "of" after a property noun gives: its count, else itself.

    "a population of 214 million people": the count is the value. "a top speed of 180
    km/h": the tokenizer splits the unit at the slash, and the model takes "h" for the
    object, with the count on "km".
    """
    counts = [n for n in pobj.children if n.dep_ == "nummod"]
    if not counts and pobj.i > 0 and pobj.doc[pobj.i - 1].text == "/":
        counts = [n for unit in pobj.lefts for n in unit.children if n.dep_ == "nummod"]
    return _node(counts[0] if counts else pobj, context)


#: Adjectives that rank or place a value rather than name it ("the main ingredient is …").
_EVALUATIVE: Final = frozenset({
    "main", "other", "only", "current", "official", "former", "new", "old", "famous",
    "popular", "traditional", "important", "major", "primary", "principal", "usual",
    "common", "typical", "key", "various", "several", "many", "same", "different",
    "particular", "certain", "local", "national", "original", "present", "real", "true",
})  # fmt: skip


def _stated_value(noun: Token, context: GeneralContext) -> Node | None:
    """The value a property noun is said to be, with the adjectives that name it.

    "The genre of X is black metal", "An ingredient of X is sweet potato": the adjective
    is part of the value's name. Adjectives that rank it ("the main ingredient is …") are not.
    """
    node = _node(noun, context)
    if node is None or node.kind != "concept" or not noun.n_lefts:
        return node
    words: list[str] = []
    before = noun.i - len(node.key.split())  # where the next adjective must stand
    for left in reversed(list(noun.lefts)):
        if left.i > before:
            continue  # the noun's own compounds, in its key already
        if (
            left.i != before
            or left.dep_ != "amod"
            or left.tag_ != "JJ"
            or not left.text.islower()
            or left.lower_ in _EVALUATIVE
        ):
            break
        words.insert(0, left.lower_)
        before -= 1
    if not words:
        return node
    key = " ".join([*words, node.key])
    return Node("concept", key, label=key)


def _value_of(noun: Token, context: GeneralContext) -> tuple[str, Node] | None:
    """``(property, value)`` of a noun "of" a number ("a speed of 16.86"), else ``None``.

    Not a date ("the 21st of July") nor a number in a name ("a member of Apollo 14").
    """
    if noun.pos_ != "NOUN":
        return None
    value_token = _object_of(noun, ("of",))
    if value_token is None or value_token.pos_ == "PROPN":
        return None
    value = _of_value(value_token, context)
    if value is None or value.kind != "literal" or value.entity_type not in _NUMBER_TYPES:
        return None
    return slug(_noun_words(noun)), value


_NUMBER_TYPES: Final = frozenset({"integer", "decimal"})


def _count_property(counted: Token) -> str:
    """The property a count of a noun fills: "27,400 students" → ``number_of_students``."""
    name = _noun_words(counted)
    return slug(" ".join(["number of", *name.split()[:-1], counted.text.lower()]))


def _counted_there(
    children: list[Token],
    context: GeneralContext,
    add: Callable[[Node | None, str, Node | None, list[Token], str], None],
) -> None:
    """A count said to be somewhere: "There are 60 floors at X" (X has 60 floors)."""
    for attr in (c for c in children if c.dep_ == "attr" and c.pos_ == "NOUN"):
        counts = [n for n in attr.children if n.dep_ == "nummod"]
        value = _node(counts[0], context) if counts else None
        if value is None or value.kind != "literal":
            continue
        for prep, place in [*_prep_objects(attr), *_prep_objects(attr.head, children)]:
            owner = _node(place, context)
            if prep.lower_ in ("in", "at", "on") and owner is not None and owner.kind == "entity":
                add(owner, _count_property(attr), value, [counts[0], place], "there-count")


#: Adjectives of size, by the property a measure before them gives ("2 m tall": height).
_MEASURED_BY = {
    "tall": "height",
    "high": "height",
    "long": "length",
    "wide": "width",
    "deep": "depth",
    "thick": "thickness",
    "heavy": "weight",
    "old": "age",
}


#: Nouns naming what a measure "in …" measures: "253260.0 millimetres in length".
_MEASURED_IN = frozenset(
    {*_MEASURED_BY.values(), "diameter", "circumference", "area", "mass", "volume"}
) - {"age"}


def _measured_in(
    unit: Token, preps: list[tuple[Token, Token]], context: GeneralContext
) -> tuple[str, Node] | None:
    """The dimension and value of "N units in DIMENSION", else ``None``."""
    if len(preps) != 1 or preps[0][0].lower_ != "in":
        return None
    dimension = preps[0][1].lemma_.lower()
    if dimension not in _MEASURED_IN:
        return None
    value = _number_with_unit(unit, context)
    return None if value is None else (dimension, value)


def _measure(
    subj_token: Token,
    subj: Node | None,
    adjective: Token,
    children: list[Token],
    context: GeneralContext,
    add: Callable[[Node | None, str, Node | None, list[Token], str], None],
) -> None:
    """A measure before a size adjective is a value: "X is 1.9304 metres tall" (height).

    So is one before an adjective joined to it ("… 2.3 km long and 35 m wide"). The unit
    hangs on the adjective ("metres tall") or, misparsed, on the verb ("is 1.9304m tall":
    "m" an attribute); the number is the unit's or stands alone.
    """
    for joined in _conjuncts(adjective):
        prop = _MEASURED_BY.get(joined.lower_)
        if prop is None:
            continue
        units = [c for c in joined.children if c.dep_ == "npadvmod"]
        if joined == adjective:  # the verb's own attribute goes with the first adjective
            units += [c for c in children if c.dep_ == "attr" and c.i < adjective.i]
        for unit in units:
            numbers = [unit] if unit.like_num else [n for n in unit.children if n.dep_ == "nummod"]
            value = _node(numbers[0], context) if numbers else None
            if value is not None and value.kind == "literal":
                add(subj, prop, value, [subj_token, joined], "measure")
                break
