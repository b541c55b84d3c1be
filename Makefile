# The two commands a person types: `make run` and `make test`. Everything else is set-up.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MO := locale/ar/LC_MESSAGES/django.mo

.PHONY: run test test-sqlite test-postgres test-browser bench lint system-deps messages demo openapi

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@scripts/system-deps.sh

$(MO): locale/ar/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

messages: $(STAMP) system-deps $(MO)

run: messages
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/tahaluf demo
	@scripts/serve.sh

test: messages
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite:
	@echo "== SQLite (with browser tests in Chromium) =="
	$(VENV)/bin/pytest -q -p no:randomly

test-postgres:
	@echo "== PostgreSQL =="
	scripts/with-postgres.sh $(VENV)/bin/pytest -q -m "not browser"

bench: messages
	$(PY) bench/run.py
	$(PY) bench/search_bench.py

lint: $(STAMP)
	$(VENV)/bin/ruff check tahaluf bench
	$(VENV)/bin/ruff format --check tahaluf bench
	$(VENV)/bin/mypy tahaluf

# Refresh the committed OpenAPI snapshot after changing the API (tahaluf/tests/test_docs.py).
openapi: $(STAMP)
	$(PY) -m tahaluf.lib.openapi_snapshot > docs/openapi.json.partial
	mv docs/openapi.json.partial docs/openapi.json
