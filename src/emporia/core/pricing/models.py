# Pricing has no tables of its own: rules live in modes and capabilities.
