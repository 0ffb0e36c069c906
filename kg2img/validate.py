"""Checking config dataclasses before anything is built from them.

A config may come from a JSON file, a ``--set`` override or a checkpoint someone sent:
every field is checked for its declared type (an ``int`` field takes no ``64.5``, a
``float`` field no NaN) and for its range, with one line naming the field.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

#: ``name: (low, high)``, inclusive; ``None`` leaves that side open.
Ranges = dict[str, tuple[float | None, float | None]]


def check_fields(config: Any, ranges: Ranges) -> None:
    """Check each field of a dataclass instance against its type and ``ranges``.

    Fields typed ``int``, ``float``, ``bool`` or ``str`` (optionally ``| None``) are
    type-checked; ``bool`` is not accepted as a number. Other fields (nested configs,
    paths, tuples) are left to their own checks.

    Raises:
        ValueError: Naming the config, the field, the value and what was expected.
    """
    hints = typing.get_type_hints(type(config))
    owner = type(config).__name__
    for field in dataclasses.fields(config):
        value = getattr(config, field.name)
        expected = _simple_type(hints.get(field.name))
        if expected is None or value is None:
            continue
        where = f"{owner}.{field.name} = {_show(value)}"
        if expected is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{where}: expected true or false")
        elif expected is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{where}: expected a whole number")
        elif expected is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{where}: expected a number")
            if not math.isfinite(value):
                raise ValueError(f"{where}: expected a finite number")
        elif expected is str and not isinstance(value, str):
            raise ValueError(f"{where}: expected a string")
        low, high = ranges.get(field.name, (None, None))
        if (low is not None and value < low) or (high is not None and value > high):
            lowest = "…" if low is None else _show(low)
            highest = "…" if high is None else _show(high)
            raise ValueError(f"{where}: out of range ({lowest} … {highest})")


def _simple_type(hint: Any) -> type | None:
    if hint in (bool, int, float, str):
        return typing.cast(type, hint)
    arguments = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(arguments) == 1 and type(None) in typing.get_args(hint):
        return _simple_type(arguments[0])
    return None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"
