# The commands README names. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run seed test test-sqlite test-postgres e2e lint format clean bench

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

# Links in emails name the address the development server answers on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP) ## Serve the site on SQLite with demo data at http://127.0.0.1:8000/
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# `make serve` runs the site the way production does, on this machine alone:
# gunicorn, hashed and compressed static files, and a cache folder that all the
# workers share. A variable already set in the environment wins over each
# default below; .serve/ (the cache, the workers' metrics and a secret key made
# on first use) is git-ignored. Plain HTTP on loopback: no redirect to HTTPS.
SERVE_DIR := .serve
.PHONY: serve
serve: export DJANGO_SETTINGS_MODULE := deltacrown.settings.production
serve: export SECRET_KEY ?= $(file < $(SERVE_DIR)/secret_key)
serve: export DATABASE_URL ?= sqlite:///$(CURDIR)/db.sqlite3
serve: export CACHE_URL ?= filecache://$(CURDIR)/$(SERVE_DIR)/cache
serve: export EMAIL_URL ?= consolemail://
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: export SITE_URL ?= http://127.0.0.1:$(PORT)
serve: export SECURE_SSL_REDIRECT ?= off
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: export PROMETHEUS_MULTIPROC_DIR ?= $(CURDIR)/$(SERVE_DIR)/prometheus
serve: $(STAMP) $(SERVE_DIR)/secret_key ## Serve the site the production way (gunicorn, no demo data) at http://127.0.0.1:8000/
	@mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn --config site/gunicorn.conf.py

$(SERVE_DIR)/secret_key: | $(STAMP)
	@mkdir -p $(SERVE_DIR)
	@umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

seed: $(STAMP) ## Load the demo data (PLAYERS=N for a larger set)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(if $(PLAYERS),--players $(PLAYERS))

test: test-sqlite test-postgres e2e ## Run the test suite on SQLite, then on PostgreSQL 15 and Redis, then the browser tests

test-sqlite: $(STAMP) ## Run the test suite on SQLite with the in-memory cache
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

test-postgres: $(STAMP) ## Run the test suite on throwaway PostgreSQL 15 and Redis servers
	site/services.sh run $(PY) -m pytest -n auto $(PYTEST_ARGS)

# The browser tests start their own gunicorn on a fresh SQLite database. They
# need Debian's Chromium, and Bengali and emoji fonts so names and trophies
# render in the screenshots; apt-get installs any missing on first use (as
# root or with sudo).
E2E_APT := chromium fonts-beng-extra fonts-noto-color-emoji
e2e: $(STAMP) ## Run the browser tests in Chromium; screenshots go to e2e-artifacts/
	@missing=$$(for package in $(E2E_APT); do \
		dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q '^install ok installed' \
			|| echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "e2e: installing" $$missing "with apt-get" >&2; \
		if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

# `make bench` seeds BENCH_PLAYERS players once (kept in .bench/), serves the
# production settings with gunicorn on one core, loads it from the other and
# writes bench-results/latest.json. BENCH_SECONDS is each run's length.
bench: $(STAMP) ## Benchmark the production setup (BENCH_PLAYERS=500 BENCH_SECONDS=5 for a quick run)
	$(PY) site/bench/run.py

lint: $(STAMP) ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the virtual environment, database, collected files and .serve/
	rm -rf $(VENV) db.sqlite3 staticfiles media $(SERVE_DIR)
