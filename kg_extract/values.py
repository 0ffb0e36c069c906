"""Numbers, quantities, dates and years in text as typed literal values.

"2,776.0" → ``"2776.0"^^xsd:decimal``, "27,400" → ``"27400"^^xsd:integer``,
"October 13, 1964" → ``"1964-10-13"^^xsd:date``, "1964" (a year) → ``"1964"^^xsd:gYear``,
"45%" → ``"45"^^xsd:decimal`` … The literal's key is the normalised lexical form; its
``entity_type`` names the XSD datatype, which :mod:`kg_extract.rdf` writes.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Final

from spacy.tokens import Span, Token

from kg_extract.facts import Node

_NUMBER: Final = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$", re.ASCII)
_DATE_FORMATS: Final = (
    "%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y", "%Y-%m-%d", "%B %Y", "%d/%m/%Y",
)  # fmt: skip
_YEAR: Final = re.compile(r"^(1\d{3}|20\d{2})$")
#: Named-entity labels whose text is one value (a date, a quantity with its unit).
_VALUE_ENTITIES: Final = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "DATE", "ORDINAL"}


#: Scale words after a number: "2.1 million" is 2100000.
_SCALES: Final = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}


def _scaled(plain: str, exponent: int) -> tuple[str, str]:
    scaled = Decimal(plain).scaleb(exponent)
    if scaled == scaled.to_integral_value():
        return str(int(scaled)), "integer"
    return format(scaled.normalize(), "f"), "decimal"


def number(text: str) -> tuple[str, str] | None:
    """``(lexical form, xsd type)`` of a written number, else ``None``."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    plain = text.replace(",", "").lstrip("+")
    return plain, "decimal" if "." in plain else "integer"


def date(text: str) -> tuple[str, str] | None:
    """``(ISO form, xsd type)`` of a written date or year, else ``None``."""
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(",", " "))
    cleaned = " ".join(cleaned.replace("the ", "").replace(" of ", " ").split())
    if _YEAR.match(cleaned):
        return cleaned, "gYear"
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        if "%d" not in fmt:
            return parsed.strftime("%Y-%m"), "gYearMonth"
        return parsed.strftime("%Y-%m-%d"), "date"
    return None


def value_node(token: Token, entities: dict[int, Span]) -> Node | None:
    """The typed literal a number or date token stands for, else ``None``.

    A token inside a DATE entity gives the whole date; a number gives its value, with
    the words of its QUANTITY/MONEY/PERCENT entity as the label ("2,776.0 metres").
    """
    ent = entities.get(token.i)
    if ent is not None and ent.label_ in _VALUE_ENTITIES:
        if ent.label_ == "DATE":
            found = date(ent.text.removeprefix("the ").removeprefix("The "))
            if found:
                return Node("literal", found[0], label=ent.text, entity_type=found[1])
        numbers = [t for t in ent if t.like_num and number(t.text)]
        if numbers:
            value = number(numbers[0].text)
            assert value is not None
            following = ent.doc[numbers[0].i + 1] if numbers[0].i + 1 < ent.end else None
            if following is not None and following.lower_ in _SCALES:  # "2.1 million"
                value = _scaled(value[0], _SCALES[following.lower_])
            return Node("literal", value[0], label=ent.text, entity_type=value[1])
    if token.like_num:
        value = number(token.text)
        if value is not None:
            if _YEAR.match(value[0]) and ent is not None and ent.label_ == "DATE":
                return Node("literal", value[0], label=token.text, entity_type="gYear")
            return Node("literal", value[0], label=token.text, entity_type=value[1])
    return None
