"""C2C state machines, one module per aggregate: status choices, the
transition table and a pure ``check(old, new)``."""
