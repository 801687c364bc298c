import dataclasses

import pytest

from emporia.kernel import events
from emporia.kernel.registry import Registry


def test_registry_orders_by_priority_then_name_and_refuses_a_second_owner():
    reg = Registry("test")
    reg.register("b", "B", priority=10)
    reg.register("a", "A", priority=10)
    reg.register("z", "Z", priority=1)
    assert list(reg) == ["Z", "A", "B"]
    with pytest.raises(ValueError, match="already registered"):
        reg.register("a", "other")
    reg.register("a", "A", priority=10)  # the same object again is harmless
    assert len(reg) == 3


@events.event("tests.thing_happened", version=2)
class ThingHappened:
    thing_id: int
    note: str


def test_events_are_frozen_keyword_only_and_round_trip_through_json():
    evt = ThingHappened(thing_id=7, note="hi")
    assert (evt.topic, evt.version) == ("tests.thing_happened", 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evt.note = "changed"
    with pytest.raises(TypeError):
        ThingHappened(7, "positional")
    assert events.load(evt.topic, events.payload(evt) | {"added_later": 1}) == evt


def test_a_topic_cannot_be_claimed_twice():
    with pytest.raises(ValueError, match="already taken"):

        @events.event("tests.thing_happened")
        class Impostor:
            x: int
