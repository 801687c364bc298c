"""Domain events.

An event is a frozen keyword-only dataclass, named in the past tense, with a
``topic`` such as ``orders.order_paid`` and a ``version``. It carries ids and
facts, never model instances, so it can be stored in the outbox as JSON and
read back by a later process. Declare one with the :func:`event` decorator::

    @event("orders.order_paid", version=1)
    class OrderPaid:
        order_id: int
        paid_minor: int
        currency: str

Emission (writing it to the outbox inside the caller's transaction) lives in
``emporia.infra.outbox``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Protocol

_by_topic: dict[str, type] = {}


class Event(Protocol):
    topic: ClassVar[str]
    version: ClassVar[int]


def event(topic: str, *, version: int = 1):
    """Make a class a frozen, keyword-only event dataclass with a topic."""

    def wrap(cls):
        if topic in _by_topic and _by_topic[topic].__qualname__ != cls.__qualname__:
            raise ValueError(f"Event topic {topic!r} is already taken")
        cls = dataclasses.dataclass(frozen=True, kw_only=True, slots=True)(cls)
        cls.topic = topic
        cls.version = version
        _by_topic[topic] = cls
        return cls

    return wrap


def payload(evt: Any) -> dict:
    return dataclasses.asdict(evt)


def load(topic: str, data: dict) -> Any:
    """Rebuild an event from its stored JSON payload."""
    cls = _by_topic.get(topic)
    if cls is None:
        raise LookupError(f"No event class registered for topic {topic!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def topics() -> list[str]:
    return sorted(_by_topic)
