"""The commerce core: accounts, catalog, pricing, inventory, checkout, orders,
ledger, payments, fulfilment, reviews and search. Core never imports a mode or
a capability; they plug in through the registries in each app's extensions.py."""
