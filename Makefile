# Emporia — the two commands: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export EMPORIA_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite test-postgres lint lock install demo clean bench serve

$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, seed the demo (once) and serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/emporia migrate
	$(BIN)/emporia demo --if-empty
	$(BIN)/emporia serve --host $(HOST) --port $(PORT)

serve: $(STAMP)
	$(BIN)/emporia serve --host $(HOST) --port $(PORT)

## make test: lint, import contracts, the suite on SQLite, then on PostgreSQL
## when EMPORIA_TEST_POSTGRES_URL is set.
test: $(STAMP) lint test-sqlite test-postgres

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@if [ -n "$$EMPORIA_TEST_POSTGRES_URL" ]; then \
		echo "== again on PostgreSQL ($$EMPORIA_TEST_POSTGRES_URL)"; \
		EMPORIA_DATABASE_URL="$$EMPORIA_TEST_POSTGRES_URL" $(BIN)/pytest -n 2 --dist loadgroup -q -m "not browser" $(PYTEST_ARGS); \
	else echo "== EMPORIA_TEST_POSTGRES_URL is not set: PostgreSQL pass skipped"; fi

lock:
	uv pip compile requirements/dev.in -o requirements/dev.lock --python-version 3.11 -q
	uv pip compile requirements/base.in -o requirements/base.lock --python-version 3.11 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var test-artifacts
