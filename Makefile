# Mutual's front door. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := mutual.config.settings
# Every process of the suite (pytest's workers, the commands tests start) reads the modules
# compiled, and the test modules rewritten by pytest, that the first one wrote, even where
# the environment asks Python to write no bytecode (they land in ignored __pycache__/).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: fuzz lock messages venv venv-production run test test-engine test-sqlite test-postgres test-e2e lint fmt bench drill clean

# Dependencies, locked with the hashes of their files (pip-compile, `make lock`):
# requirements/production.txt is what Mutual needs to run; requirements/development.txt
# is the same pins plus the tools of the suite (the `dev` extra of pyproject.toml).
# pip refuses any file whose hash is not in the lock (--require-hashes).
PROD_LOCK := requirements/production.txt
DEV_LOCK := requirements/development.txt

$(VENV)/.production: $(PROD_LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(PROD_LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.development: $(DEV_LOCK) $(VENV)/.production
	$(PY) -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $@

venv-production: $(VENV)/.production
venv: $(VENV)/.development

# Adding a dependency: name it in pyproject.toml (`dependencies` to run Mutual, the `dev`
# extra for a tool of the suite), then `make lock`. Pins already in the locks are kept;
# `make lock LOCK_ARGS=--upgrade-package=NAME` moves one, `LOCK_ARGS=--upgrade` all.
# Both files are regenerated; review their diff and commit them with pyproject.toml.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet \
	--generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url \
	--no-emit-find-links --build-deps-for wheel $(LOCK_ARGS)

# The catalogue of every text people read (src/mutual/locale/en/LC_MESSAGES/django.po):
# run after marking or changing a text; tests/i18n/test_language.py fails while it lags.
# PYTHONPATH: this checkout's code and catalogue, even from a venv installed elsewhere.
messages: venv
	cd src/mutual && PYTHONPATH=$(CURDIR)/src MUTUAL_VAR_DIR=../../var ../../$(BIN)/mutual manage makemessages -l en --no-obsolete --no-location -i "static/*"

lock: venv
	$(PIP_COMPILE) -o $(PROD_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra dev -o $(DEV_LOCK) pyproject.toml

# Runs with the production dependencies alone (what a server installs).
run: venv-production
	mkdir -p var
	$(BIN)/mutual manage migrate --no-input
	$(BIN)/mutual demo
	$(BIN)/mutual serve --dev --addr 127.0.0.1:8000

# Each stage runs on WORKERS processes (pytest-xdist; `auto`: one a core, at most four).
# A module stays whole on one worker, so what it builds once is built once.
WORKERS ?= auto
E2E_WORKERS ?= $(WORKERS)
PG_WORKERS ?= $(WORKERS)
XDIST := -p no:cacheprovider --maxprocesses=4 --dist loadscope
PYTEST := $(PY) -m pytest -q $(XDIST) -n $(WORKERS)
SUB := $(MAKE) --no-print-directory

# Every stage at once, so that both cores stay busy until the last test: one worker for
# each stage, two for the PostgreSQL stage and the browser tests, the longest (a stage on
# one worker alone would end long after the rest). Each stage's output is printed whole
# when it ends; `make test` fails when any stage does.
test: venv
	$(SUB) -j5 --output-sync=target WORKERS=1 E2E_WORKERS=2 PG_WORKERS=2 lint test-engine test-sqlite test-postgres test-e2e

# The model, with every line and branch of mutual.engine covered by the worked examples of
# tests/engine (the Hypothesis properties and the simulator run with coverage paused, see
# tests/conftest.py). One process, not xdist workers: in a worker, pausing coverage left
# the engine traced all the same, and the stage takes under a minute of CPU.
test-engine: venv
	$(PY) -m pytest -q -p no:cacheprovider tests/engine tests/simulate --cov=mutual.engine --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100

test-sqlite: venv
	$(PYTEST) tests --ignore=tests/engine --ignore=tests/simulate --ignore=tests/e2e

# A throw-away PostgreSQL cluster (tests/pgcluster.py), one test database a worker.
test-postgres: venv
	MUTUAL_TEST_DB=postgres $(PY) -m pytest -q $(XDIST) -n $(PG_WORKERS) tests/integration tests/api --ignore=tests/api/test_schemathesis.py

test-e2e: venv
	$(PY) -m pytest -q $(XDIST) -n $(E2E_WORKERS) tests/e2e

lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mutual manage makemigrations --check --dry-run

fmt: venv
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

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
