# Readerfund: `make demo` to try it, `make test` to run the whole suite.
VENV ?= .venv
RF := $(VENV)/bin/readerfund
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_EMULATOR_PORT ?= 8420
BTCPAY_STANDIN_PORT ?= 8430
PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install lock browser servers pdf axe lint format bench clean

# Exactly the locked versions, checked by their hashes; then Readerfund itself, editable.
$(VENV)/.installed: pyproject.toml requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q --require-hashes -r requirements-test.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed pdf

## lock: the locked dependency sets from pyproject.toml (README, Dependencies): runtime only
## (requirements.lock, the Dockerfile's) and with the test and demo extras (make install's)
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock:
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install -q 'uv>=0.9,<0.14'
	$(LOCK) $(UPGRADE) -o requirements.lock
	$(LOCK) $(UPGRADE) --extra test --extra demo -o requirements-test.lock

## demo: install, migrate, load the demo newsroom and serve it at http://$(HOST):$(PORT)/
demo: export READERFUND_SITE_URL ?= http://$(HOST):$(PORT)
demo: install
	$(RF) migrate --noinput -v0
	$(RF) demo
	$(RF) serve --host $(HOST) --port $(PORT) --stripe-emulator $(STRIPE_EMULATOR_PORT) --btcpay-standin $(BTCPAY_STANDIN_PORT)

## browser: Debian's Chromium for the browser tests (installed once, needs root or sudo)
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "chromium is missing: apt-get install chromium"; exit 1; }

## servers: Debian's tor (the torrc check), nginx (the static copy, the deploy kit, the
## cluster drill's load balancer), caddy (the deploy kit's Caddyfile) and redis-server
servers:
	@test -x /usr/sbin/tor -a -x /usr/sbin/nginx -a -x /usr/bin/caddy -a -x /usr/bin/redis-server || { \
	  echo "Installing Debian's tor, nginx-light, caddy and redis-server for the tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq tor nginx-light caddy redis-server >/dev/null; }
	@test -x /usr/sbin/tor -a -x /usr/sbin/nginx -a -x /usr/bin/caddy -a -x /usr/bin/redis-server || { echo "missing: apt-get install tor nginx-light caddy redis-server"; exit 1; }

## pdf: Debian's Pango and fonts, which WeasyPrint draws the yearly statement's PDF with
pdf:
	@test -e /usr/lib/$$(uname -m)-linux-gnu/libpangoft2-1.0.so.0 || { \
	  echo "Installing Debian's Pango and DejaVu fonts for PDF statements..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; }

## axe: axe-core from the npm registry, which the browser tests inject into every page
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null || { \
	  echo "Installing Debian's npm for axe-core..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	touch $@

axe: $(AXE)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(RF) makemigrations --check --dry-run -v0

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## test: lint, then the whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is
## set: every test whose outcome can depend on the database (not the browser tests, nor those
## marked database_independent, which run their own SQLite data dir or check files and tools).
## The browser tests spend most of their time waiting on a browser and servers: the PostgreSQL
## pass runs beside them (its output follows theirs), which keeps CI's run within 30 minutes.
PG_LOG := var/postgresql-pass.log
test: install browser servers axe lint
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest -m "not e2e" --durations=15
	@mkdir -p var; if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "--- the browser tests on SQLite, and beside them the suite again on PostgreSQL ($$TEST_DATABASE_URL) ---"; \
	  $(VENV)/bin/pytest -m "not e2e and not database_independent" -p no:cacheprovider --durations=15 \
	    > $(PG_LOG) 2>&1 & pg=$$!; \
	  env -u TEST_DATABASE_URL $(VENV)/bin/pytest -m e2e -p no:cacheprovider --durations=15; e2e=$$?; \
	  wait $$pg; postgresql=$$?; \
	  echo "--- on PostgreSQL, browser and database-independent tests excluded ($(PG_LOG)) ---"; \
	  cat $(PG_LOG); [ $$e2e -eq 0 ] && [ $$postgresql -eq 0 ]; \
	else \
	  env -u TEST_DATABASE_URL $(VENV)/bin/pytest -m e2e -p no:cacheprovider --durations=15 && \
	  echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped"; fi

bench: install
	$(VENV)/bin/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
