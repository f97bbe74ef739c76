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

# SQLite always; PostgreSQL too when LOHUB_TEST_POSTGRES_URL is set.
test: install
	$(BIN)/pytest

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
