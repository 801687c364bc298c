"""Infrastructure: the outbox and event relay, webhooks, payment providers and
background jobs. Infra knows nothing of commerce; core builds on it."""
