"""Named, pluggable parts: encoders, generators, data adapters and stores.

A config names a part (``generator.kind = "layout"``, ``--data coco:…``); the registry
turns the name into the code. A user adds a part without editing kg2img, either by
calling ``register`` before training, or from their own package through an entry point
in the group ``kg2img.<registry name>`` (e.g. ``kg2img.data_adapters``), which is loaded
the first time an unknown name is asked for.

This is the small subset of ``catalogue`` that kg2img needs (``catalogue`` is not
installed beside spaCy 3.8 here, and a dependency for a dict was not worth it).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Names → factories of one kind of part."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}
        self._entry_points_loaded = False

    def register(self, key: str, item: T | None = None) -> Any:
        """Register ``item`` under ``key``; without ``item``, a decorator."""
        if item is not None:
            self._items[key] = item
            return item

        def decorate(function: T) -> T:
            self._items[key] = function
            return function

        return decorate

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for point in entry_points(group=f"kg2img.{self.name}"):
            self._items.setdefault(point.name, point.load())

    def get(self, key: str) -> T:
        """The part registered as ``key``.

        Raises:
            KeyError: Naming the known keys.
        """
        if key not in self._items:
            self._load_entry_points()
        if key not in self._items:
            kind = self.name[:-1].replace("_", " ")
            raise KeyError(f"unknown {kind} {key!r}; known: {', '.join(self.names())}")
        return self._items[key]

    def names(self) -> list[str]:
        """Registered keys, sorted."""
        return sorted(self._items)


#: ``kind`` → ``(config) -> encoder module``.
encoders: Registry[Callable[..., Any]] = Registry("encoders")
#: ``kind`` → ``(generator, discriminator)`` factories taking a ``GeneratorConfig``.
generators: Registry[tuple[Callable[..., Any], Callable[..., Any]]] = Registry("generators")
#: ``prefix`` → ``(argument, options) -> AnnotatedDataset``.
data_adapters: Registry[Callable[..., Any]] = Registry("data_adapters")
#: ``kind`` → ``(location, **options) -> GraphStore``.
stores: Registry[Callable[..., Any]] = Registry("stores")
