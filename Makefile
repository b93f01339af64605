# Mutual's front door. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := mutual.config.settings

.PHONY: fuzz run test test-engine test-sqlite test-postgres test-e2e lint fmt bench drill clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(VENV)/.installed

run: venv
	mkdir -p var
	$(BIN)/mutual manage migrate --no-input
	$(BIN)/mutual demo
	$(BIN)/mutual serve --dev --addr 127.0.0.1:8000

test: venv lint
	$(PY) -m pytest tests/engine tests/simulate -q -p no:cacheprovider --cov=mutual.engine --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100
	$(PY) -m pytest tests -q -p no:cacheprovider --ignore=tests/engine --ignore=tests/simulate --ignore=tests/e2e
	MUTUAL_TEST_DB=postgres $(PY) -m pytest tests/integration tests/api -q -p no:cacheprovider --ignore=tests/api/test_schemathesis.py
	$(PY) -m pytest tests/e2e -q -p no:cacheprovider

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mutual manage makemigrations --check --dry-run

fmt: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# schemathesis over the whole API with many more examples and its coverage phase.
fuzz: venv
	MUTUAL_FUZZ_EXAMPLES=$${MUTUAL_FUZZ_EXAMPLES:-200} $(PY) -m pytest tests/api/test_schemathesis.py -q -p no:cacheprovider

# The speed budgets (docs/performance.md); bench/ is not part of the installed package.
bench: venv
	$(PY) -m bench

# Crash drills: kill -9 during writes (SQLite, PostgreSQL), restart PostgreSQL under load.
drill: venv
	$(PY) -m bench.drill

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
