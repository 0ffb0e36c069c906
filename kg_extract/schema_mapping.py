"""User-chosen target vocabularies: kg2img's predicates mapped onto DBpedia, schema.org.

A mapping is a TOML file a user can read, edit and point to (``kg2img extract --mapping
FILE``). It names the target namespace and, per kg2img predicate, the target property and
whether subject and object swap::

    namespace = "http://dbpedia.org/ontology/"

    [predicates]
    born_in = "birthPlace"                                # (person, born_in, place)
    leader_of = { property = "leader", inverse = true }   # (leader, …, city) → (city, …, leader)
    located_in = { property = "location", country = "country" }

``country`` names the property used instead when the object (after any swap) is a
country (``kg_extract/data/countries.txt``): "Dublin is in Ireland" → ``country``,
"Dublin is in Leinster" → ``location``. ``subject_kinds`` names properties used instead
for subjects (after any swap) of a kind, by a word of their name::

    [predicates.operate]
    property = "operator"
    inverse = true
    subject_kinds = { airport = "operatingOrganisation" }

"NASA operated Apollo 12" → ``operator``; "ENAIRE operates Madrid Airport" →
``operatingOrganisation``. A country object keeps ``country`` whatever the subject's kind.
An entry may give only ``country`` (``publish_in = { country = "country" }``): "published
in the United Kingdom" → ``country``, while "published in 1990" keeps kg2img's predicate.
``year`` names the property used instead when the object is a year: ``born_on = {
property = "birthDate", year = "birthYear" }`` gives "born in 1923" → ``birthYear``.

A vocabulary that names properties after nouns in lower camel case (DBpedia, schema.org)
can say so, and the noun properties the text states ("the runway length of X is …", "X
has 57 members") need no entry of their own::

    noun_properties = "camelCase"    # runway_length → <namespace>runwayLength

A vocabulary that titles some things by a pattern can say so per target property.
DBpedia titles a language "<Name> language" where the bare name is also a people's
("English language", "French language"), but keeps a few bare ("Arabic")::

    [object_names.language]
    suffix = " language"
    except = ["Arabic", "Latin"]

"X is written in English" → ``language`` "English language". Only one-word names of
entities change, and never a country's.

A vocabulary that states some kinds of thing as a property's value rather than as a class
can say so by the words that name those kinds::

    [type_properties]
    occupation = ["pilot", "astronaut"]
    course = ["dessert", "main course"]

"Elliot See was a test pilot" then gives, beside its ``type``, ``occupation`` "test
pilot": the class's name up to the listed word (the longest listed phrase found in it).
A relation "as" or "in" such a kind becomes that property ("served as a dessert" →
``course``, "published in hardcover" → ``mediaType``), whatever its own entry says.
A scene's anonymous instances get none.

Predicates the file does not name keep kg2img's own IRIs; ``type``/``subclass_of`` and the
scene vocabulary (colour, size, spatial relations) are never mapped. Shipped mappings live
in ``kg_extract/mappings/`` and are named by their stem (``--mapping dbpedia``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from kg_extract.facts import Fact, Node

SHIPPED: Final = Path(__file__).parent / "mappings"
COUNTRIES_FILE: Final = Path(__file__).parent / "data" / "countries.txt"
DEMONYMS_FILE: Final = Path(__file__).parent / "data" / "demonyms.txt"
#: Predicates with a fixed meaning in kg2img's own vocabulary.
_RESERVED: Final = frozenset({"type", "subclass_of"})
_NAME = re.compile(r"^[A-Za-z_][\w./()-]*$")
_ENTRY_KEYS: Final = frozenset({"property", "inverse", "country", "year", "subject_kinds"})
_TYPE: Final = "type"
#: kg2img's predicates ending so may say what kind a thing is, as a type does: "served as
#: a dessert", "published in hardcover".
_KIND_PREPOSITIONS: Final = ("_as", "_in")
#: Rules whose predicate is a noun the text uses as a property ("the leader of X is Y",
#: "X has a runway length of …", "X has 57 members", "X has a runway named Y", "X travels
#: at an average speed of …").
NOUN_PROPERTY_RULES: Final = frozenset(
    {
        "property-of",
        "have-of",
        "have-count",
        "have-named",
        "have-own",
        "have-kind",
        "verb-prep-of",
        "identifier",
    }
)


class MappingError(ValueError):
    """A mapping file that cannot be used (the message names the file)."""


@dataclass(frozen=True)
class Target:
    """Where one kg2img predicate goes."""

    iri: str | None  # None: only the country entry is mapped, other objects keep the predicate
    inverse: bool = False
    country_iri: str | None = None
    #: Subject kind (a word of its name, lower-cased) → the property used instead.
    kind_iris: tuple[tuple[str, str], ...] = ()
    #: The property used instead when the object is a year (an ``xsd:gYear`` literal).
    year_iri: str | None = None


@dataclass(frozen=True)
class SchemaMapping:
    """kg2img predicate → target property, with direction.

    Attributes:
        namespace: IRI prefix of the target vocabulary.
        targets: Per kg2img predicate name, the target property.
        source: The file it was read from (for messages).
        camel_case_nouns: Unlisted noun properties (rules in ``NOUN_PROPERTY_RULES``)
            go to the namespace in lower camel case (``noun_properties = "camelCase"``).
        object_names: Per target property IRI, the suffix its one-word objects' names
            take and the names (lower-cased) that keep no suffix (``[object_names]``).
        type_properties: (words of a kind's name, target property IRI), longest first:
            a type whose class name has the words also states the property
            (``[type_properties]``).
    """

    namespace: str
    targets: dict[str, Target]
    source: str = ""
    camel_case_nouns: bool = False
    object_names: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    type_properties: tuple[tuple[tuple[str, ...], str], ...] = ()

    @classmethod
    def load(cls, path: Path | str) -> SchemaMapping:
        """Read a mapping file, or a shipped mapping by name (``"dbpedia"``).

        Raises:
            MappingError: For a missing, unreadable or malformed file, naming it.
        """
        file = Path(path)
        if not file.suffix and not file.exists() and (SHIPPED / f"{file}.toml").is_file():
            file = SHIPPED / f"{file}.toml"
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            shipped = ", ".join(sorted(p.stem for p in SHIPPED.glob("*.toml")))
            raise MappingError(f"{file}: no such mapping file (shipped: {shipped})") from None
        except (OSError, UnicodeDecodeError) as error:
            raise MappingError(f"{file}: unreadable ({error})") from None
        except tomllib.TOMLDecodeError as error:
            raise MappingError(f"{file}: not TOML ({error})") from None
        return cls.from_dict(data, str(file))

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "mapping") -> SchemaMapping:
        """Build from the parsed TOML (see the module doc).

        Raises:
            MappingError: On a missing namespace or a malformed entry, naming it.
        """
        namespace = data.get("namespace")
        if not isinstance(namespace, str) or not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", namespace):
            raise MappingError(f"{source}: 'namespace' must be an IRI prefix")
        entries = data.get("predicates", {})
        if not isinstance(entries, dict):
            raise MappingError(f"{source}: [predicates] must be a table")
        targets = {}
        for name, entry in entries.items():
            if isinstance(entry, str):
                entry = {"property": entry}
            if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS:
                raise MappingError(
                    f'{source}: predicate {name!r}: expected "property" or '
                    '{ property = "…", inverse = true|false, country = "…", year = "…", '
                    'subject_kinds = { kind = "…" } }'
                )
            prop, inverse = entry.get("property"), entry.get("inverse", False)
            country, year = entry.get("country"), entry.get("year")
            kinds = entry.get("subject_kinds", {})
            if not isinstance(kinds, dict) or not all(
                isinstance(k, str) and k.isalpha() for k in kinds
            ):
                raise MappingError(
                    f"{source}: predicate {name!r}: subject_kinds must map words to properties"
                )
            if prop is None and (country is None or inverse or kinds):
                raise MappingError(
                    f"{source}: predicate {name!r}: needs a property (only a country entry "
                    "may stand alone)"
                )
            for value in (
                *([prop] if prop is not None else []),
                *([country] if country is not None else []),
                *([year] if year is not None else []),
                *kinds.values(),
            ):
                if not isinstance(value, str) or not _NAME.match(value):
                    raise MappingError(f"{source}: predicate {name!r}: bad property {value!r}")
            if not isinstance(inverse, bool):
                raise MappingError(f"{source}: predicate {name!r}: inverse must be true/false")
            if name in _RESERVED:
                raise MappingError(f"{source}: predicate {name!r} cannot be mapped")
            targets[name] = Target(
                namespace + prop if prop is not None else None,
                inverse,
                namespace + country if country else None,
                tuple((kind.lower(), namespace + iri) for kind, iri in kinds.items()),
                namespace + year if year else None,
            )
        nouns = data.get("noun_properties")
        if nouns not in (None, "camelCase", "own"):
            raise MappingError(f'{source}: noun_properties must be "camelCase" or "own"')
        return cls(
            namespace,
            targets,
            source,
            nouns == "camelCase",
            _object_names(data, source),
            _type_properties(data, source),
        )

    def apply(self, fact: Fact) -> Fact:
        """The fact in the target vocabulary (unchanged when its predicate is not mapped).

        An inverse entry swaps subject and object unless the object is a literal, which
        cannot be a subject in RDF; such a fact keeps its own predicate. A relation "as" or
        "in" a kind listed in ``[type_properties]`` becomes that kind's property.
        """
        if fact.predicate.endswith(_KIND_PREPOSITIONS):
            # "served as a dessert", "published in hardcover": what kind it is, as a type
            # says, whatever the verb
            kind = self._kind_property(fact)
            if kind is not None:
                return kind
        target = self.targets.get(fact.predicate)
        if target is None:
            if self.camel_case_nouns and fact.rule in NOUN_PROPERTY_RULES:
                return self._named(replace(fact, predicate=self.namespace + _camel(fact.predicate)))
            return fact
        subject, obj = fact.subject, fact.object
        if target.inverse:
            if obj.kind == "literal":
                return fact
            subject, obj = obj, subject
        iri = target.iri
        if target.country_iri is not None and is_country(obj.label or obj.key):
            iri = target.country_iri  # whatever the subject's kind
        elif target.kind_iris:
            words = (subject.label or subject.key).lower().split()
            iri = next((k_iri for k, k_iri in target.kind_iris if k in words), iri)
        if target.year_iri is not None and obj.kind == "literal" and obj.entity_type == "gYear":
            iri = target.year_iri  # "born in 1923": a year, not a date
        if iri is None:
            return fact  # "published in 1990": only "published in <a country>" is mapped
        return self._named(replace(fact, subject=subject, predicate=iri, object=obj))

    def stated_property(self, fact: Fact) -> Fact | None:
        """The property a type states in the target vocabulary (``[type_properties]``).

        ``None`` for any other fact, for a scene's anonymous instance, and for a class
        whose name has none of the listed words. (A relation "as" or "in" such a kind is
        mapped to the property by :meth:`apply`.)
        """
        return self._kind_property(fact) if fact.predicate == _TYPE else None

    def _kind_property(self, fact: Fact) -> Fact | None:
        """``fact`` as the ``[type_properties]`` property its object's kind names, if any."""
        if (
            not self.type_properties
            or fact.object.kind != "concept"
            or fact.subject.kind == "instance"
        ):
            return None
        name = (fact.object.label or fact.object.key).split()
        lowered = tuple(word.lower() for word in name)
        for words, iri in self.type_properties:
            size = len(words)
            for end in range(size, len(lowered) + 1):
                if lowered[end - size : end] == words:
                    value = " ".join(name[:end])
                    return replace(fact, predicate=iri, object=Node("concept", value, value))
        return None

    def _named(self, fact: Fact) -> Fact:
        """``fact`` with its object titled as ``[object_names]`` says for its property."""
        if fact.predicate not in self.object_names:
            return fact
        return replace(fact, object=_titled(fact.object, *self.object_names[fact.predicate]))


def _object_names(data: dict[str, Any], source: str) -> dict[str, tuple[str, frozenset[str]]]:
    """The ``[object_names]`` table: target property IRI → (suffix, names kept bare)."""
    table = data.get("object_names", {})
    usage = (
        f'{source}: [object_names.PROPERTY] takes suffix = "…" and, optionally, '
        'except = ["Name", …]'
    )
    if not isinstance(table, dict):
        raise MappingError(usage)
    found = {}
    for prop, entry in table.items():
        if not isinstance(entry, dict) or set(entry) - {"suffix", "except"}:
            raise MappingError(usage)
        suffix, kept = entry.get("suffix"), entry.get("except", [])
        if not _NAME.match(prop) or not isinstance(suffix, str) or not suffix.strip():
            raise MappingError(f"{usage} (at {prop!r})")
        if not isinstance(kept, list) or not all(isinstance(k, str) for k in kept):
            raise MappingError(f"{usage} (at {prop!r})")
        found[data["namespace"] + prop] = (suffix, frozenset(k.lower() for k in kept))
    return found


def _type_properties(data: dict[str, Any], source: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The ``[type_properties]`` table as (words, property IRI) pairs, longest first."""
    table = data.get("type_properties", {})
    usage = f'{source}: [type_properties] maps a property to class words: PROPERTY = ["word", …]'
    if not isinstance(table, dict):
        raise MappingError(usage)
    found = []
    for prop, phrases in table.items():
        if not _NAME.match(prop) or not isinstance(phrases, list) or not phrases:
            raise MappingError(f"{usage} (at {prop!r})")
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.split():
                raise MappingError(f"{usage} (at {prop!r}: {phrase!r})")
            found.append((tuple(phrase.lower().split()), data["namespace"] + prop))
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def _titled(obj: Node, suffix: str, kept: frozenset[str]) -> Node:
    """``obj`` named as the target vocabulary titles it: a one-word name with ``suffix``."""
    name = obj.label or obj.key
    if obj.kind != "entity" or not name.isalpha() or name.lower() in kept or is_country(name):
        return obj
    titled = name[0].upper() + name[1:] + suffix
    return Node("entity", titled, titled, obj.entity_type)


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def _name_table(file: Path) -> dict[str, str]:
    """A table of "written form = name" lines (a bare line is its own name), lower-cased keys."""
    names = {}
    for line in file.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            alias, _, name = (part.strip() for part in line.partition("="))
            names[alias.lower()] = name or alias
    return names


@functools.cache
def _countries() -> dict[str, str]:
    """Lower-cased country name or alias → the name it is written as."""
    return _name_table(COUNTRIES_FILE)


def country_name(name: str) -> str | None:
    """The name of the country ``name`` names ("the U.S." → "United States"), else ``None``."""
    key = name.strip().lower()
    return _countries().get(key) or _countries().get(key.removeprefix("the "))


@functools.cache
def _demonyms() -> dict[str, str]:
    """Lower-cased country adjective → the country's name."""
    return _name_table(DEMONYMS_FILE)


def country_of_demonym(word: str) -> str | None:
    """The country a country adjective names ("Dutch" → "Netherlands"), else ``None``."""
    return _demonyms().get(word.strip().lower())


def is_country(name: str) -> bool:
    """Whether ``name`` names a country ("the Republic of Ireland", "U.S.")."""
    return country_name(name) is not None
