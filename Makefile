# Two commands do all set-up: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-js test-sqlite test-postgres stress fuzz lint install migrate demo schema bench bench-peer clean

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
test: install test-js
	@$(MAKE) --no-print-directory -O -j2 test-sqlite $(if $(LOHUB_TEST_POSTGRES_URL),test-postgres)
	@if [ -z "$$LOHUB_TEST_POSTGRES_URL" ]; then echo "LOHUB_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

test-sqlite: install
	@echo "--- SQLite"
	LOHUB_TEST_BACKEND=sqlite $(BIN)/pytest --durations=10

test-postgres: install
	@echo "--- PostgreSQL"
	LOHUB_TEST_BACKEND=postgres $(BIN)/pytest --durations=10

# The JS client suite's checks (tests/js: codegen from schema.graphql + tsc --strict, the
# vendored GraphiQL assets match their pinned packages) when it is installed
# (`npm ci --prefix tests/js`; CI installs it, and there a missing suite fails).
test-js:
	@if [ -d tests/js/node_modules ]; then npm --prefix tests/js run --silent check; \
	elif [ -n "$$CI" ]; then echo "tests/js is not installed (npm ci --prefix tests/js)"; exit 1; \
	else echo "tests/js not installed (npm ci --prefix tests/js): JS checks skipped"; fi

# The publishing stress test at full size: 1,000 works through two workers and failing channels.
stress: install
	LOHUB_STRESS_WORKS=1000 $(BIN)/pytest -k many_works_through_two_workers

# The schema-driven fuzz test with many examples (make test runs a few), on each database.
FUZZ_EXAMPLES ?= 1000
fuzz: install
	LOHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LOHUB_TEST_BACKEND=sqlite $(BIN)/pytest tests/http/test_fuzz.py
	@if [ -n "$$LOHUB_TEST_POSTGRES_URL" ]; then \
		LOHUB_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LOHUB_TEST_BACKEND=postgres $(BIN)/pytest tests/http/test_fuzz.py; \
	else echo "LOHUB_TEST_POSTGRES_URL not set: PostgreSQL run skipped"; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: install
	$(BIN)/lohub export-schema

bench: install
	$(BIN)/python -m bench.run

# LO Hub beside PostGraphile 5 and a hand-written endpoint on one fresh PostgreSQL database, under
# wrk (bench/README.md). PostgreSQL from BENCH_POSTGRES_URL or LOHUB_TEST_POSTGRES_URL, else local.
DURATION ?= 5
ROUNDS ?= 2
WORKERS ?= 1
QUERIES ?=
PEER_STAMP := bench/peer/node_modules/.installed-stamp
$(PEER_STAMP): bench/peer/package-lock.json
	npm ci --prefix bench/peer --no-audit --no-fund
	touch $(PEER_STAMP)

bench-peer: install $(PEER_STAMP)
	$(BIN)/python -m bench.peer --duration $(DURATION) --rounds $(ROUNDS) --workers $(WORKERS) \
		--queries "$(QUERIES)"

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache
