# Credence — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers; the suite is sized for 2 cores.
WORKERS ?= 2

.PHONY: run serve install migrate demo test test-fast e2e lint bench schema clean help system-packages

help:
	@echo "make run    - set up (virtualenv, install, migrate, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff, and mypy on the services and selectors"
	@echo "make bench  - run the benchmarks (ONLY=name for one); results in bench/results/"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on the PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian packages the suite needs: chromium (end-to-end tests), pango and a font (PDF reports).
DEBIAN_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages: $$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null; \
	  else echo "The tests need these Debian packages: sudo apt-get install $$missing"; exit 1; fi; \
	fi

test: install system-packages
	$(PY) -m pytest -n $(WORKERS) -p no:cacheprovider $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n $(WORKERS) -m "not e2e" $(PYTEST_ARGS)

e2e: install system-packages
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src/credence/*/services.py src/credence/*/selectors.py

bench: install
	$(PY) bench/run.py $(if $(ONLY),--only $(ONLY),)

schema: install
	$(PY) manage.py spectacular --validate --file openapi.yaml

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache .mypy_cache .ruff_cache
