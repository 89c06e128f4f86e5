# The project's verbs: run, test, lint, bench, demo. See README.md.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python >= 3.12 on this machine (Django 6 refuses older ones).
PYTHON_BOOTSTRAP := $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	    echo $$p; break; fi; done)

.PHONY: run test test-unit test-e2e lint format bench demo install gettext messages browser check-python clean

check-python:
	@if [ -z "$(PYTHON_BOOTSTRAP)" ]; then echo "Python 3.12 or newer is needed (Django 6). Install it, e.g. with pyenv." >&2; exit 1; fi

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

# gettext's msgfmt compiles the translations: installed with apt when missing and running as root
# (as for the tests); without it the app still runs, in the source language (English).
gettext:
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && apt-get install -y -qq gettext >/dev/null); } || true

messages: install gettext
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore='.venv/*' -v0; \
	else echo "msgfmt (gettext) is missing: pages stay in English until it is installed" \
	  "(e.g. sudo apt-get install gettext), then run make messages." >&2; fi

demo: install messages
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo

# Static files compressed as production serves them, gzip and brotli (plotly.js: 4.8 MB →
# 1.1 MB); production adds hashed names cached for a year. Collected again only when a static
# file changed (the first time takes a minute or two: brotli is thorough).
STATIC_SOURCES := $(shell find static */static -type f 2>/dev/null)
COLLECTED_STORAGE := whitenoise.storage.CompressedManifestStaticFilesStorage
staticfiles/staticfiles.json: $(STATIC_SOURCES) pyproject.toml | install
	STATICFILES_STORAGE=$(COLLECTED_STORAGE) $(PY) manage.py collectstatic --no-input -v0

run: install messages staticfiles/staticfiles.json
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py seed_demo --if-empty
	@echo "Asiakaskunto on http://$(HOST):$(PORT)/ (logins above; password: asiakaskunto-demo)"
	SERVED_URL=http://$(HOST):$(PORT) WHITENOISE_USE_FINDERS=false \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's chromium for the browser tests (a browser download cannot work here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then (apt-get update -qq && apt-get install -y -qq chromium gettext >/dev/null); \
	  else echo "Install Debian's chromium for the browser tests: sudo apt-get install chromium" >&2; exit 1; fi; fi

test: install browser gettext messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q $(PYTEST_ARGS)

test-unit: install messages
	$(PY) -m pytest -q -m "not e2e" $(PYTEST_ARGS)

test-e2e: install browser gettext messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -q -m e2e $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) staticfiles
