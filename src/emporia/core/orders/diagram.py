"""Draw the order state machine from ``states.TRANSITIONS`` as Mermaid, so the
documentation can never drift from the code (a test compares them)."""

from __future__ import annotations

from .states import TRANSITIONS, OrderStatus


def mermaid() -> str:
    lines = ["stateDiagram-v2", "    [*] --> awaiting_payment"]
    for old in OrderStatus.values:
        for new in sorted(TRANSITIONS[old]):
            lines.append(f"    {old} --> {new}")
    for status in OrderStatus.values:
        if not TRANSITIONS[status]:
            lines.append(f"    {status} --> [*]")
    return "\n".join(lines)
