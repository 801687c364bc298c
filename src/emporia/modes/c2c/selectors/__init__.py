"""C2C reads and access checks, one module per concept."""
