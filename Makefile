# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint install migrate demo schema bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/lohub migrate
	$(BIN)/lohub demo
	@echo "GraphiQL: http://127.0.0.1:8000/graphql"
	$(BIN)/lohub serve --host 127.0.0.1 --port 8000

# The JS client suite's checks (tests/js: codegen from schema.graphql + tsc --strict, the
# vendored GraphiQL assets match their pinned packages) when it is
# installed (`npm ci --prefix tests/js`; CI installs it); then pytest on SQLite always,
# PostgreSQL too when LOHUB_TEST_POSTGRES_URL is set (a run of its own).
test: install
	@if [ -d tests/js/node_modules ]; then npm --prefix tests/js run --silent check; \
	elif [ -n "$$CI" ]; then echo "tests/js is not installed (npm ci --prefix tests/js)"; exit 1; \
	else echo "tests/js not installed (npm ci --prefix tests/js): JS type check skipped"; fi
	LOHUB_TEST_BACKEND=sqlite $(BIN)/pytest
	@if [ -n "$$LOHUB_TEST_POSTGRES_URL" ]; then \
		echo "--- PostgreSQL"; LOHUB_TEST_BACKEND=postgres $(BIN)/pytest; \
	else echo "LOHUB_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: install
	$(BIN)/lohub export-schema

bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
