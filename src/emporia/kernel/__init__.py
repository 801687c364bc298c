"""Pure-Python building blocks shared by every layer: money, events, registries,
the clock and domain errors. Nothing here imports Django or any other part of
Emporia."""
