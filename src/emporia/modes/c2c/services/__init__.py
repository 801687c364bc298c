"""C2C writes, one module per concept (``services.shops``,
``services.disputes``, ``services.pickup`` …)."""
