"""Social commerce reads, one module per concept."""
