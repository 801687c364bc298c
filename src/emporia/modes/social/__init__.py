"""Social commerce — the Pinduoduo model (拼多多).

Group buying with share links and automatic refunds, invite rewards, share
attribution and the orchard game. Built on the commerce core's hold state,
ledger, events and timers; the core never imports this package.
"""
