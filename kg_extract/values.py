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

from spacy.tokens import Doc, Span, Token

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


#: Units by their canonical name, with the ways texts write them (lower case, dots
#: dropped, no spaces around "/"), separated by "|". Plural canonical names, British spelling.
_UNIT_FORMS: Final = {
    "millimetres": "mm|mms|millimetre|millimetres|millimeter|millimeters",
    "centimetres": "cm|cms|centimetre|centimetres|centimeter|centimeters",
    "metres": "metre|metres|meter|meters",
    "kilometres": "km|kms|kilometre|kilometres|kilometer|kilometers",
    "inches": "inch|inches",
    "feet": "foot|feet|ft",
    "miles": "mile|miles|mi",
    "grams": "gram|grams|gramme|grammes",
    "kilograms": "kg|kgs|kilogram|kilograms|kilogramme|kilogrammes",
    "tonnes": "tonne|tonnes|metric ton|metric tons",
    "litres": "litre|litres|liter|liters",
    "cubic centimetres": "cc|cm3|cm³|cubic cm|cubic centimetre|cubic centimetres"
    "|cubic centimeter|cubic centimeters",
    "cubic inches": "cubic inch|cubic inches|cu in",
    "cubic metres": "m3|m³|cubic metre|cubic metres|cubic meter|cubic meters",
    "square kilometres": "km2|km²|sq km|sq kms|square km|square kilometre"
    "|square kilometres|square kilometer|square kilometers",
    "square metres": "m2|m²|sq m|square metre|square metres|square meter|square meters",
    "square miles": "sq mi|sq miles|square mile|square miles",
    "hectares": "ha|hectare|hectares",
    "acres": "acre|acres",
    "kelvins": "kelvin|kelvins",
    "degrees Celsius": "°c|℃|celsius|degrees celsius|degree celsius|degrees centigrade",
    "degrees Fahrenheit": "°f|fahrenheit|degrees fahrenheit|degree fahrenheit",
    "seconds": "second|seconds|sec|secs",
    "minutes": "minute|minutes|min|mins",
    "hours": "hour|hours|hr|hrs",
    "days": "day|days",
    "weeks": "week|weeks",
    "months": "month|months",
    "years": "year|years",
    "kilowatts": "kilowatt|kilowatts",
    "megawatts": "megawatt|megawatts",
    "horsepower": "horsepower|hp|bhp",
    "astronomical units": "au|astronomical unit|astronomical units",
    "light years": "light-year|light-years|light year|light years",
}
#: Written forms that name a unit only in this case ("5 m" but not "5 M", "160 K" but
#: not "5k").
_UNIT_EXACT: Final = {
    "m": "metres", "g": "grams", "K": "kelvins", "kW": "kilowatts", "MW": "megawatts",
}  # fmt: skip
#: Rates, by their canonical name: the unit counted, the unit it is counted per, and the
#: abbreviations that are no "X per Y" or "X/Y" of the two units' own forms.
_RATES: Final = {
    "kilometres per second": ("kilometres", "seconds", "kps"),
    "kilometres per hour": ("kilometres", "hours", "kmh|kph"),
    "miles per hour": ("miles", "hours", "mph"),
    "metres per second": ("metres", "seconds", "m/s"),
    "grams per cubic centimetre": ("grams", "cubic centimetres", "g/cm3|g/cm³|g/cc"),
    "inhabitants per square kilometre": ("inhabitants", "square kilometres", ""),
}
#: What is counted per a unit without being a unit itself.
_COUNTED: Final = {"inhabitants": "inhabitants|people|residents|persons"}
#: One-letter forms written only after a slash: "km/s", "km/h".
_AFTER_SLASH: Final = {"seconds": "|s", "hours": "|h"}


def _rate_forms(counted: str, per: str, abbreviations: str) -> list[str]:
    """Every "X per Y" and "X/Y" of the two units' forms, and the rate's abbreviations."""
    firsts = (_COUNTED.get(counted) or _UNIT_FORMS[counted]).split("|")
    seconds = _UNIT_FORMS[per].split("|")
    after_slash = (_UNIT_FORMS[per] + _AFTER_SLASH.get(per, "")).split("|")
    return [
        *(f"{a} per {b}" for a in firsts for b in seconds),
        *(f"{a}/{b}" for a in firsts for b in after_slash),
        *filter(None, abbreviations.split("|")),
    ]


_UNITS: Final = {
    **{form: name for name, forms in _UNIT_FORMS.items() for form in forms.split("|")},
    **{
        form: name
        for name, (counted, per, abbreviations) in _RATES.items()
        for form in _rate_forms(counted, per, abbreviations)
    },
}
_LONGEST_UNIT: Final = 5  # tokens


def unit_after(doc: Doc, start: int, end: int) -> str | None:
    """The canonical name of the unit written from token ``start`` on, else ``None``.

    "2.7 kg", "16.86 km per sec", "1580.7 inhabitants per sq km", "0.0068 k.p.s."; the
    longest known unit wins, and it ends before token ``end``.
    """
    for stop in range(min(end, start + _LONGEST_UNIT), start, -1):
        words = doc[start:stop]
        if stop - start == 1 and words.text in _UNIT_EXACT:
            return _UNIT_EXACT[words.text]
        written = re.sub(r"\s*/\s*", "/", words.text.lower().replace(".", "")).strip()
        name = _UNITS.get(" ".join(written.split()))
        if name is not None:
            return name
    return None


def value_node(token: Token, entities: dict[int, Span]) -> Node | None:
    """The typed literal a number or date token stands for, else ``None``.

    A token inside a DATE entity gives the whole date; a number gives its value, with
    the words of its QUANTITY/MONEY/PERCENT entity as the label ("2,776.0 metres"), and
    the unit written after it, if it is one :func:`unit_after` knows ("metres").
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
            after = numbers[0].i + 1
            following = ent.doc[after] if after < ent.end else None
            if following is not None and following.lower_ in _SCALES:  # "2.1 million"
                value = _scaled(value[0], _SCALES[following.lower_])
                after += 1
            unit = None
            if ent.label_ not in ("MONEY", "PERCENT"):  # not "£5m", "45 per cent"
                unit = unit_after(ent.doc, after, token.sent.end)
            return Node("literal", value[0], label=ent.text, entity_type=value[1], unit=unit)
    if token.like_num:
        value = number(token.text)
        if value is not None:
            if _YEAR.match(value[0]) and ent is not None and ent.label_ == "DATE":
                return Node("literal", value[0], label=token.text, entity_type="gYear")
            unit = unit_after(token.doc, token.i + 1, token.sent.end)
            return Node("literal", value[0], label=token.text, entity_type=value[1], unit=unit)
    return None
