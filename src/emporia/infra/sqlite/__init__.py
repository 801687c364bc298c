"""SQLite with a fair queue for its single writer (Django ENGINE
``emporia.infra.sqlite``); see :mod:`emporia.infra.sqlite.base`."""
