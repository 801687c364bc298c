"""C2C domain events, one module per concept; topics start with ``c2c.``."""
