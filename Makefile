# The two commands a new user needs: `make run` and `make test`. Both set everything up.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-stamp
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast test-sqlite test-postgres test-fuzz lint format messages install install-runtime \
	browser clean

# 1: `make lint` also fails on files `ruff format` would change (`make format` fixes them).
FORMAT_CHECK ?= 1

# The runtime dependencies only: what `make run` needs.
$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUNTIME_STAMP)

# Plus the test tools (pytest, ruff, Playwright...): for development and `make test`.
$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install-runtime: $(RUNTIME_STAMP)

install: $(STAMP)

## Serve the catalogue on http://127.0.0.1:8000 (migrates and loads the demo catalogue).
run: install-runtime
	$(BIN)/catalogue serve

## Lint, then the whole suite on SQLite, and on PostgreSQL when CATALOGUE_TEST_POSTGRES is set.
test: install browser lint test-sqlite test-postgres

## Ruff, the layers' contracts (import-linter), the types (mypy); see pyproject.toml.
lint: install
	$(BIN)/ruff check .
	@if [ "$(FORMAT_CHECK)" = 1 ]; then $(BIN)/ruff format --check .; fi
	$(BIN)/lint-imports
	$(BIN)/mypy

## Format the code (ruff format); `make lint` checks it stays formatted.
format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --select I --fix .

## The inner loop: SQLite, no browser, no slow tests, stop at the first failure.
test-fast: install
	$(BIN)/python -m pytest --db=sqlite -m "not browser and not slow" -x -q

test-sqlite: install
	$(BIN)/python -m pytest --db=sqlite

test-postgres: install
	@if [ -n "$$CATALOGUE_TEST_POSTGRES" ]; then \
		$(BIN)/python -m pytest --db=postgres -m "not browser"; \
	else \
		echo "CATALOGUE_TEST_POSTGRES is not set: skipping the PostgreSQL run."; \
	fi

## The full property-based robustness run (tests/test_fuzz.py): 3,000 generated requests.
test-fuzz: install
	CATALOGUE_FUZZ_CASES=3000 $(BIN)/python -m pytest --db=sqlite tests/test_fuzz.py -q \
		-o faulthandler_timeout=1800

## Extract every marked interface string into the catalogues (then translate what it lists).
messages: install-runtime
	$(BIN)/python -m catalogue.i18n.tools update

## Browser tests need Debian's chromium; install it when we can (root with apt-get).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

clean:
	rm -rf $(VENV) data .pytest_cache
