"""Typed registries for extension points.

Core apps declare a Protocol and a :class:`Registry` of it in their
``extensions.py``; modes register implementations in ``AppConfig.ready()``.
Entries are ordered by ``priority`` (lower first) then name, so the order of
app loading never changes behaviour.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    item: T
    priority: int


class Registry(Generic[T]):
    """A named, ordered collection of implementations of one Protocol."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._entries: dict[str, Entry[T]] = {}
        self._lock = threading.Lock()

    def register(self, name: str, item: T, *, priority: int = 100) -> T:
        with self._lock:
            existing = self._entries.get(name)
            if existing is not None and existing.item is not item:
                raise ValueError(f"{self.name}: {name!r} is already registered")
            self._entries[name] = Entry(name, item, priority)
        return item

    def unregister(self, name: str) -> None:
        with self._lock:
            self._entries.pop(name, None)

    def get(self, name: str) -> T | None:
        entry = self._entries.get(name)
        return entry.item if entry else None

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return (e.item for e in self.entries())

    def entries(self) -> list[Entry[T]]:
        return sorted(self._entries.values(), key=lambda e: (e.priority, e.name))

    def names(self) -> list[str]:
        return [e.name for e in self.entries()]

    def __len__(self) -> int:
        return len(self._entries)
