"""PostgreSQL with a health check that costs no round trip while the
connection is quiet (Django ENGINE ``emporia.infra.postgresql``); see
:mod:`emporia.infra.postgresql.base`."""
