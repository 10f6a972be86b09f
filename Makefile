# The commands README names. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run seed test test-sqlite test-postgres lint format clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

run: $(STAMP) ## Serve the site on SQLite with demo data at http://127.0.0.1:8000/
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

seed: $(STAMP) ## Load the demo data (PLAYERS=N for a larger set)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(if $(PLAYERS),--players $(PLAYERS))

test: test-sqlite test-postgres ## Run the test suite on SQLite, then on PostgreSQL 15 and Redis

test-sqlite: $(STAMP) ## Run the test suite on SQLite with the in-memory cache
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

test-postgres: $(STAMP) ## Run the test suite on throwaway PostgreSQL 15 and Redis servers
	site/services.sh run $(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtual environment, database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles media
