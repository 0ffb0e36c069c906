"""spaCy's attribute ruler as a table, with the same output.

English pipelines set each token's coarse part of speech, morphology and some lemmas with
an ``attribute_ruler``: some 180 one-token ``Matcher`` patterns ("TAG is NN" → NOUN), run
token by token. On the extract_speed corpus that is a fifth of ``nlp.pipe``'s time, more
than the extraction rules add. :class:`AttributeTable` reads the same patterns once into
condition bits, reads each document's columns with one ``Doc.to_array``, resolves each
distinct token row once (memoised across documents) and writes the result back with one
``Doc.from_array``. Patterns are applied in the ruler's order, each match overwriting what
an earlier one set, as the ruler does (it sorts matches by pattern number). A ruler
holding a pattern this module cannot read (an operator, an extension attribute, another
token attribute) is left in place: :func:`compile_attribute_ruler` returns ``None`` for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, cast

import numpy as np
from spacy.attrs import (
    DEP,
    IS_ALPHA,
    IS_DIGIT,
    IS_LOWER,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LOWER,
    MORPH,
    NORM,
    ORTH,
    POS,
    TAG,
)
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: Token attributes a pattern may test, as ``Matcher`` names them.
_TESTED: Final = {
    "ORTH": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "DEP": DEP,
    "IS_SPACE": IS_SPACE, "IS_PUNCT": IS_PUNCT, "IS_ALPHA": IS_ALPHA, "IS_DIGIT": IS_DIGIT,
    "IS_TITLE": IS_TITLE, "IS_UPPER": IS_UPPER, "IS_LOWER": IS_LOWER,
}  # fmt: skip
_FLAGS: Final = frozenset({IS_SPACE, IS_PUNCT, IS_ALPHA, IS_DIGIT, IS_TITLE, IS_UPPER, IS_LOWER})
#: Token attributes a pattern may set: all plain values on the token itself.
_SET: Final = (TAG, POS, MORPH, LEMMA, DEP)


class _Unreadable(Exception):
    """A pattern uses something the table does not reproduce."""


@dataclass(frozen=True)
class _Rule:
    """One ruler entry: its alternative token sequences, the target's offset, its values.

    A token of a sequence is a bit mask over the table's conditions: it matches a token
    for which all of those conditions hold.
    """

    sequences: tuple[tuple[int, ...], ...]
    offsets: tuple[int, ...]  # per sequence: the position, in the match, of the token set
    values: tuple[tuple[int, int], ...]  # (attribute, value)

    @property
    def spans_tokens(self) -> bool:
        return any(len(sequence) > 1 for sequence in self.sequences)


def _string_id(vocab: Vocab, value: str) -> int:
    return 0 if value == "" else int(vocab.strings.add(value))


def _condition(vocab: Vocab, attr: int, spec: Any) -> Callable[[int], bool]:
    """One ``Matcher`` token condition as a test of the attribute's value."""
    if attr in _FLAGS:
        if not isinstance(spec, bool):
            raise _Unreadable(f"flag condition {spec!r}")
        return int(spec).__eq__
    if isinstance(spec, str):
        return _string_id(vocab, spec).__eq__
    if not isinstance(spec, dict) or len(spec) != 1:
        raise _Unreadable(f"condition {spec!r}")
    ((operator, argument),) = spec.items()
    if operator in ("IN", "NOT_IN") and all(isinstance(a, str) for a in argument):
        ids = frozenset(_string_id(vocab, a) for a in argument)
        return ids.__contains__ if operator == "IN" else lambda value: value not in ids
    if operator == "REGEX" and isinstance(argument, str):
        pattern = re.compile(argument)
        return lambda value: pattern.search(vocab.strings[value]) is not None
    raise _Unreadable(f"operator {operator!r}")


class AttributeTable:
    """A compiled attribute ruler: call it on a ``Doc`` in the ruler's place.

    Which one-token patterns match a token, and so what they set, depends only on a few
    of its columns (tag, dependency, lower-case form …) and the values it holds before.
    Each distinct row of those is resolved once, walking the rules in order, and kept (up
    to ``cache_size`` rows, and as many values per column; then that memo starts anew, so
    memory stays bounded on any corpus: 20,000 rows of distinct values hold about 16 MB).
    Patterns spanning several tokens are matched per document from the tokens' condition
    bits, and a token they reach is resolved with them.
    """

    def __init__(
        self,
        conditions: list[tuple[int, Callable[[int], bool]]],
        rules: list[_Rule],
        cache_size: int = 20_000,
    ) -> None:
        self.rules = rules
        self.cache_size = cache_size
        self._tested = sorted({attr for attr, _ in conditions})
        self._columns = self._tested + [attr for attr in _SET if attr not in self._tested]
        self._set_positions = [self._columns.index(attr) for attr in _SET]
        # Per tested column: its conditions' bits, and a memo of value → bits that hold.
        self._column_conditions = [
            [(1 << k, test) for k, (attr, test) in enumerate(conditions) if attr == column]
            for column in self._tested
        ]
        self._column_bits: list[dict[int, int]] = [{} for _ in self._tested]
        self._single = [
            (number, rule.sequences, rule.values)
            for number, rule in enumerate(rules)
            if not rule.spans_tokens
        ]
        self._spanning = [
            (number, sequence, offset)
            for number, rule in enumerate(rules)
            if rule.spans_tokens
            for sequence, offset in zip(rule.sequences, rule.offsets, strict=True)
        ]
        self._may_start = 0
        for _, sequence, _ in self._spanning:
            self._may_start |= sequence[0] & -sequence[0]  # its lowest bit
        self._resolved: dict[tuple[int, ...], tuple[tuple[int, ...], int]] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the ruler's attributes on ``doc``'s tokens; returns ``doc``."""
        if len(doc) == 0:
            return doc
        rows = list(map(tuple, doc.to_array(self._columns).tolist()))
        resolved = self._resolved
        if len(resolved) > self.cache_size:
            resolved.clear()
            for memo in self._column_bits:
                if len(memo) > self.cache_size:
                    memo.clear()
        out, bits = [], []
        for row in rows:
            known = resolved.get(row)
            if known is None:
                token_bits = self._bits(row)
                known = resolved[row] = (self._resolve(row, token_bits, ()), token_bits)
            out.append(known[0])
            bits.append(known[1])
        for i, numbers in self._spanning_matches(bits).items():
            out[i] = self._resolve(rows[i], bits[i], numbers)
        values: Any = np.array(out, dtype=np.uint64)  # spaCy types it as thinc's Ints2d
        doc.from_array(list(_SET), values)
        return doc

    def _bits(self, row: tuple[int, ...]) -> int:
        """The conditions that hold for a token, as bits."""
        bits = 0
        for position, conditions in enumerate(self._column_conditions):
            value = row[position]
            memo = self._column_bits[position]
            column_bits = memo.get(value)
            if column_bits is None:
                column_bits = memo[value] = sum(bit for bit, test in conditions if test(value))
            bits |= column_bits
        return bits

    def _spanning_matches(self, bits: list[int]) -> dict[int, list[int]]:
        """Token index → the spanning rules whose match sets it, in the ruler's order."""
        reached: dict[int, list[int]] = {}
        n = len(bits)
        # A match can start only where one of each first token's conditions holds.
        candidates = [i for i, b in enumerate(bits) if b & self._may_start]
        for number, sequence, offset in self._spanning:
            first = sequence[0]
            for start in candidates:
                if start + len(sequence) > n:
                    break
                if bits[start] & first == first and all(
                    bits[start + k] & need == need for k, need in enumerate(sequence[1:], 1)
                ):
                    numbers = reached.setdefault(start + offset, [])
                    if number not in numbers:
                        numbers.append(number)
        return reached

    def _resolve(
        self, row: tuple[int, ...], bits: int, spanning: list[int] | tuple[()]
    ) -> tuple[int, ...]:
        """One token's set columns after every rule, in the ruler's order."""
        values = {
            attr: row[position] for attr, position in zip(_SET, self._set_positions, strict=True)
        }
        applied = [
            (number, rule_values)
            for number, sequences, rule_values in self._single
            if any(bits & sequence[0] == sequence[0] for sequence in sequences)
        ]
        applied += [(number, self.rules[number].values) for number in spanning]
        for _, rule_values in sorted(applied):
            values.update(rule_values)
        return tuple(values[attr] for attr in _SET)


def compile_attribute_ruler(ruler: AttributeRuler) -> AttributeTable | None:
    """The ruler's patterns as an :class:`AttributeTable`; ``None`` if one is unreadable."""
    vocab = ruler.vocab
    conditions: list[tuple[int, Callable[[int], bool]]] = []
    numbered: dict[tuple[int, str], int] = {}  # one bit per distinct condition

    def token_bits(token_spec: dict[str, Any]) -> int:
        if not isinstance(token_spec, dict) or not token_spec:
            raise _Unreadable(f"token pattern {token_spec!r}")
        bits = 0
        for name, spec in token_spec.items():
            attr = _TESTED.get(name)
            if attr is None:
                raise _Unreadable(f"token attribute {name!r}")
            key = (attr, repr(spec))
            if key not in numbered:
                numbered[key] = len(conditions)
                conditions.append((attr, _condition(vocab, attr, spec)))
            bits |= 1 << numbered[key]
        return bits

    rules = []
    try:
        for number, entry in enumerate(cast(list[dict[str, Any]], ruler.patterns)):
            values = ruler.attrs[number]
            if not set(values) <= set(_SET):
                raise _Unreadable(f"sets {sorted(values)}")
            sequences, offsets = [], []
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    raise _Unreadable("a pattern that is not a list of tokens")
                index = int(entry["index"])
                offset = index if index >= 0 else len(pattern) + index
                if not 0 <= offset < len(pattern):
                    raise _Unreadable(f"index {index}")
                sequences.append(tuple(token_bits(spec) for spec in pattern))
                offsets.append(offset)
            pairs = tuple((int(attr), int(value)) for attr, value in values.items())
            rules.append(_Rule(tuple(sequences), tuple(offsets), pairs))
    except _Unreadable:
        return None
    return AttributeTable(conditions, rules)


#: The component's factory name in a pipeline.
ATTRIBUTE_TABLE_COMPONENT: Final = "kg2img_attribute_table"
_RULER: Final = "attribute_ruler"


@Language.factory(ATTRIBUTE_TABLE_COMPONENT)
def _make_attribute_table(nlp: Language, name: str) -> AttributeTable:
    ruler = nlp.get_pipe(_RULER)
    table = compile_attribute_ruler(ruler) if isinstance(ruler, AttributeRuler) else None
    if table is None:
        raise ValueError(f"the pipeline's {_RULER} holds patterns {name} cannot read")
    return table


def use_attribute_table(nlp: Language) -> bool:
    """Run ``nlp``'s attribute ruler as its compiled table, where the table can read it.

    The table goes in right after the ruler, which is disabled, not removed
    (``nlp.enable_pipe("attribute_ruler")`` and ``nlp.remove_pipe`` of the table undo
    it). Returns whether the table is in use.
    """
    if ATTRIBUTE_TABLE_COMPONENT in nlp.pipe_names:
        return True
    if _RULER not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(_RULER)
    if not isinstance(ruler, AttributeRuler) or compile_attribute_ruler(ruler) is None:
        return False
    nlp.add_pipe(ATTRIBUTE_TABLE_COMPONENT, after=_RULER)
    nlp.disable_pipe(_RULER)
    return True
