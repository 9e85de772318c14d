# Hadaf — `make help` lists the targets. Everything installs from the project's own files.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
MAKEMESSAGES_IGNORE := --ignore='.venv/*' --ignore='node_modules/*' --ignore='staticfiles/*' --ignore='media/*' --ignore='bench/*'

.PHONY: help install install-dev runtime-deps system-deps assets run test lint format messages catalogues migrate seed clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: runtime-deps $(VENV)/.installed assets catalogues ## Create the virtualenv and install runtime dependencies

install-dev: $(VENV)/.installed-dev runtime-deps system-deps assets catalogues ## Install test and lint tools too

# Debian packages the site itself needs: Pango, with which WeasyPrint lays out Persian
# certificates (HarfBuzz shaping). Usually already there; installed only when missing.
runtime-deps: ## Install the Debian packages the site needs at run time (Pango for PDFs)
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || { \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0; }

# Debian packages the tests use: gettext (catalogue check) and Chromium (browser tests;
# Playwright cannot download its own browsers here).
system-deps: ## Install the Debian packages the tests use (gettext, Chromium)
	@command -v xgettext >/dev/null && command -v chromium >/dev/null || { \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext chromium; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Fonts are served by the project: copied from the npm package, licence included.
static/vendor/vazirmatn/OFL.txt: node_modules/.installed
	mkdir -p static/vendor/vazirmatn
	cp node_modules/vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2 static/vendor/vazirmatn/Vazirmatn-Variable.woff2
	cp node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Regular.woff2 node_modules/vazirmatn/fonts/webfonts/Vazirmatn-Bold.woff2 static/vendor/vazirmatn/
	cp node_modules/vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf node_modules/vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf static/vendor/vazirmatn/
	cp node_modules/vazirmatn/OFL.txt static/vendor/vazirmatn/OFL.txt

# The admin's Jalali date picker (participation/jalali.py), MIT licence included.
static/vendor/jalalidatepicker/LICENSE: node_modules/.installed
	mkdir -p static/vendor/jalalidatepicker
	cp node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.js node_modules/@majidh1/jalalidatepicker/dist/jalalidatepicker.min.css static/vendor/jalalidatepicker/
	cp node_modules/@majidh1/jalalidatepicker/LICENSE static/vendor/jalalidatepicker/LICENSE

assets: static/vendor/vazirmatn/OFL.txt static/vendor/jalalidatepicker/LICENSE ## Install front-end packages from npm and copy them into static/vendor

catalogues: ## Compile locale/*.po into .mo (needs no gettext tools)
	$(MANAGE) compile_catalogues --verbosity 0

migrate: install ## Apply database migrations
	$(MANAGE) migrate --noinput

# Links in emails, PDFs and QR codes point at the address served (HOST, PORT), unless
# WAGTAILADMIN_BASE_URL says otherwise; the seed's certificates too, so it gets it as well.
SITE_ADDRESS := WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)}"

seed: migrate ## Load the demo content (safe to repeat)
	$(SITE_ADDRESS) $(MANAGE) seed_demo

run: seed ## Set everything up and serve the site at http://127.0.0.1:8000 (SQLite)
	@echo "Serving Hadaf at http://$(HOST):$(PORT)/ — admin at http://$(HOST):$(PORT)/admin/"
	$(SITE_ADDRESS) $(MANAGE) runserver $(HOST):$(PORT)

# The production profile on this machine: gunicorn + a db_worker, PostgreSQL and Redis on
# 127.0.0.1, HTTP on loopback only. Environment variables override every default
# (docs/deploy.md); SERVE_PROD_ARGS passes options (--seed, --task-workers 2, --no-setup).
.PHONY: serve-prod
serve-prod: install ## Run the production profile (gunicorn + task worker, PostgreSQL, Redis) at http://127.0.0.1:8000
	$(BIN)/python bin/serve_prod.py --bind "$${GUNICORN_BIND:-$(HOST):$(PORT)}" $(SERVE_PROD_ARGS)

test: install-dev ## Install what the tests need and run the whole suite (DATABASE_URL picks the database)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev ## Check style with ruff, the import contracts with import-linter, the kernel's types with mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python bin/typecheck.py

format: install-dev ## Fix style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev ## Refresh locale/ from the source (needs gettext) and compile it
	$(MANAGE) makemessages -l fa -l en --no-obsolete $(MAKEMESSAGES_IGNORE)
	$(MANAGE) compile_catalogues

clean: ## Remove the virtualenv, node_modules, copied assets, collected static files and the SQLite database
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm

.PHONY: bench bench-smoke
bench: install ## Run every benchmark beside its baseline (PostgreSQL, Redis): bench/RESULTS.md
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Load and fault tests against gunicorn + PostgreSQL on 127.0.0.1 (locust, headless), and the
# embedded SQLite with concurrent writers: bench/loadtest/, results in bench/LOADTEST.md.
.PHONY: loadtest
loadtest: install-dev ## Load test: locust against gunicorn + PostgreSQL, and SQLite writers (bench/LOADTEST.md)
	$(BIN)/python bench/loadtest/run.py $(LOADTEST_ARGS)

bench-smoke: install ## A short run of the whole benchmark harness (CI): fails if the harness breaks, never on timing
	$(BIN)/python bench/run.py --smoke $(BENCH_ARGS)
