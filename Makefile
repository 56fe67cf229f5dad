# Readerfund: `make demo` to try it, `make test` to run the whole suite.
VENV ?= .venv
RF := $(VENV)/bin/readerfund
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_EMULATOR_PORT ?= 8420
PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install browser lint format bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## demo: install, migrate, load the demo newsroom and serve it at http://$(HOST):$(PORT)/
demo: export READERFUND_SITE_URL ?= http://$(HOST):$(PORT)
demo: install
	$(RF) migrate --noinput -v0
	$(RF) demo
	$(RF) serve --host $(HOST) --port $(PORT) --stripe-emulator $(STRIPE_EMULATOR_PORT)

## browser: Debian's Chromium for the browser tests (installed once, needs root or sudo)
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "chromium is missing: apt-get install chromium"; exit 1; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(RF) makemigrations --check --dry-run -v0

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## test: lint, then the whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set
test: install browser lint
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "--- again on PostgreSQL ($$TEST_DATABASE_URL), browser tests excluded ---"; \
	  $(VENV)/bin/pytest -m "not e2e" -p no:cacheprovider; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped"; fi

bench: install
	$(VENV)/bin/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
