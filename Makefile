# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-sqlite test-postgres stress fuzz lint install migrate demo schema bench clean

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

# SQLite always; PostgreSQL too when LOHUB_TEST_POSTGRES_URL is set. The two runs go side by side
# (each has a database of its own); -O prints each run's output whole when it ends.
test: install
	@$(MAKE) --no-print-directory -O -j2 test-sqlite $(if $(LOHUB_TEST_POSTGRES_URL),test-postgres)
	@if [ -z "$$LOHUB_TEST_POSTGRES_URL" ]; then echo "LOHUB_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	@echo "--- SQLite"
	LOHUB_TEST_BACKEND=sqlite $(BIN)/pytest --durations=10

test-postgres: install
	@echo "--- PostgreSQL"
	LOHUB_TEST_BACKEND=postgres $(BIN)/pytest --durations=10

# The publishing stress test at full size: 1,000 works through two workers and failing channels.
stress: install
	LOHUB_STRESS_WORKS=1000 $(BIN)/pytest -k many_works_through_two_workers

# The schema-driven fuzz test with many examples (make test runs a few), on each database.
FUZZ_EXAMPLES ?= 1000
fuzz: install
	LOHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LOHUB_TEST_BACKEND=sqlite $(BIN)/pytest tests/test_fuzz.py
	@if [ -n "$$LOHUB_TEST_POSTGRES_URL" ]; then \
		LOHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LOHUB_TEST_BACKEND=postgres $(BIN)/pytest tests/test_fuzz.py; \
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
