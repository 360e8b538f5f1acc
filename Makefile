# The two commands a newcomer needs: `make run` and `make test`. Everything else here serves those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: setup run serve test lint bench chromium clean

## setup: Python packages into .venv and the NHS.UK frontend from npm (again only when their lists change)
setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## chromium: Debian's Chromium for the browser tests, installed when it is missing
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Chromium from Debian's packages for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

## run: set up, migrate, load the demo data into an empty database, serve on http://127.0.0.1:5000
run: setup
	TRACKER_ENV=development $(FLASK) db upgrade
	TRACKER_ENV=development $(FLASK) seed-demo --if-empty
	TRACKER_ENV=development $(FLASK) run --host $(HOST) --port $(PORT)

## serve: the production server (gunicorn); needs SECRET_KEY and, usually, DATABASE_URL
serve: setup
	$(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) 'tracker.wsgi:app'

## test: the whole suite, on SQLite and (when it answers) PostgreSQL, browser tests included. Two parts: the
## functional and browser tests spread over TEST_WORKERS processes (pytest-xdist; each has its own databases and
## live server), then the reliability tests (gunicorn under load, SIGKILL, fuzzing) alone, so their timings are
## not disturbed.
TEST_WORKERS ?= 2
test: setup chromium
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not reliability" $(PYTEST_ARGS)
	$(PY) -m pytest -m reliability $(PYTEST_ARGS)

## bench: national-scale benchmarks on SQLite and PostgreSQL (skipped when it does not answer), printed beside
## their targets and written to benchmarks/results/latest.json; about 7 minutes, plus 2 to generate the data sets
## the first time (BENCH_ARGS="--backends sqlite" for SQLite alone)
bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check tracker tests

clean:
	rm -rf $(VENV) node_modules test-results
