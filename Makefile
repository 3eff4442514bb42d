# Quick start: `make run` serves a seeded demo on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LANGS := en fr ar es uk sw fa
# The whole suite on two workers (pytest-xdist); `make test PYTEST_ARGS=tests/test_x.py` runs one file alone.
PYTEST_ARGS ?= -n 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test migrate demo extract update-catalogs compile-catalogs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

compile-catalogs: $(VENV)/.installed
	$(BIN)/pybabel compile --domain messages --directory locales --statistics

extract: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping babel.cfg --keywords _l --keywords ngettext:1,2 \
		--no-location --sort-output --project survnet --copyright-holder "survnet" \
		--output-file locales/messages.pot network consultations messaging moderation

update-catalogs: extract
	$(BIN)/pybabel update --domain messages --input-file locales/messages.pot --output-dir locales \
		--no-fuzzy-matching --ignore-obsolete

migrate: $(VENV)/.installed
	$(BIN)/survnet migrate

run: compile-catalogs migrate
	$(BIN)/survnet demo --if-empty
	$(BIN)/survnet serve --host $(HOST) --port $(PORT)

test: install-test compile-catalogs
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test
	$(BIN)/python bench/http.py

clean:
	rm -rf $(VENV) var
