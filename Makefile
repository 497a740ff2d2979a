# Shafa — two commands: `make run` and `make test`. Everything else is a helper for them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SHAFA := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= qums
PYTEST_ARGS ?=

.PHONY: setup run test lint bench-registration bench-transcripts bench-scheduling messages clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## setup: Python and front-end packages (idempotent; reruns only when the lock files change)
setup: $(VENV)/.installed node_modules/.installed

## run: set up, migrate the embedded SQLite database, load the demo university once, serve it
run: setup
	$(SHAFA) migrate --no-input
	$(SHAFA) demo --scale $(SCALE)
	@$(SHAFA) demo --logins
	@echo "Serving Shafa at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(SHAFA) runserver $(HOST):$(PORT)

## test: set up, then the whole suite (DATABASE_URL=postgres://... runs it on PostgreSQL)
test: setup
	$(VENV)/bin/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS)

## lint: what CI checks besides the tests
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy shafa config
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(SHAFA) makemigrations --check --dry-run

bench-registration: setup
	$(PY) bench/registration.py

bench-transcripts: setup
	$(PY) bench/transcripts.py

bench-scheduling: setup
	$(PY) bench/scheduling.py

## messages: recompile the Persian catalogues after editing a .po file
messages: setup
	$(SHAFA) compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache .mypy_cache .ruff_cache
