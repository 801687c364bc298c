"""Social commerce writes, one module per concept (``services.invites``,
``services.orchard``, …)."""
