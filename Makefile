# Casa Prestations ERP — every target sets up what it needs, idempotently.
#   make run     SQLite database "casa" with demo data, web client on :8000
#   make test    every test on SQLite, or on PostgreSQL when
#                TRYTOND_DATABASE_URI=postgresql://... is set
#   make bench   benchmarks (ratios against a baseline of the same run)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
DB ?= casa
HOST ?= 127.0.0.1
PORT ?= 8000
MODULES := $(patsubst addons/%/,%,$(sort $(dir $(wildcard addons/casa_*/tryton.cfg))))

export TRYTOND_DATABASE__PATH := $(CURDIR)/var/db
export TRYTOND_ATTACHMENT__PATH := $(CURDIR)/var/attachments
export TRYTOND_WEB__ROOT := $(CURDIR)/var/sao
export TRYTOND_WEB__LISTEN := $(HOST):$(PORT)
CONFIG := $(CURDIR)/config/trytond.conf

.PHONY: help setup run demo test test-sqlite test-postgresql bench clean env browser libreoffice

help:
	@echo "make run    - set up, create the demo database if needed, serve http://$(HOST):$(PORT)/"
	@echo "make test   - set up and run every test (SQLite; PostgreSQL with TRYTOND_DATABASE_URI)"
	@echo "make bench  - benchmarks"
	@echo "make demo   - recreate the demo database"
	@echo "make clean  - remove var/ (databases, attachments)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt pyproject.toml setup.py $(wildcard addons/*/tryton.cfg)
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# sao expects its dependencies in node_modules/ beside its index.html, and
# its translations in locale/<lang>.json: sao's own, and ours of the
# languages sao does not ship (addons/casa_base/locale_sao/<lang>.po), and
# our custom.js (sao loads it after itself)
SAO_LOCALES := $(wildcard addons/casa_base/locale_sao/*.po)
var/sao/.assembled: node_modules/.installed $(VENV)/.installed $(SAO_LOCALES) scripts/tryton_locale.py addons/casa_base/sao/custom.js
	rm -rf var/sao && mkdir -p var/sao/locale
	for f in index.html dist images sounds; do \
		ln -s $(CURDIR)/node_modules/tryton-sao/$$f var/sao/$$f; done
	ln -s $(CURDIR)/addons/casa_base/sao/custom.js var/sao/custom.js
	ln -s $(CURDIR)/node_modules/tryton-sao/locale/* var/sao/locale/
	$(BIN)/python scripts/tryton_locale.py sao-json var/sao/locale
	ln -s $(CURDIR)/node_modules var/sao/node_modules
	touch $@

setup: $(VENV)/.installed var/sao/.assembled
	@mkdir -p var/db var/attachments

ADDON_FILES := $(shell find addons -type f \( -name '*.py' -o -name '*.xml' \
	-o -name '*.cfg' -o -name '*.po' \) -not -path '*/tests/*')

# an existing database is updated when the modules changed
var/db/$(DB).updated: var/db/$(DB).sqlite $(ADDON_FILES)
	$(BIN)/trytond-admin -c $(CONFIG) -d $(DB) -u $(MODULES) --activate-dependencies
	touch $@

var/db/$(DB).sqlite: | setup
	$(BIN)/python scripts/create_db.py --database $(DB) --modules $(MODULES)
	$(BIN)/python scripts/demo.py --database $(DB) \
		|| { rm -f $@; echo "demo data failed: database removed"; exit 1; }
	touch var/db/$(DB).updated

demo: setup
	rm -f var/db/$(DB).sqlite var/db/$(DB).updated
	$(MAKE) var/db/$(DB).sqlite

run: setup var/db/$(DB).sqlite var/db/$(DB).updated
	@scripts/ensure-libreoffice.sh || echo "PDF reports need LibreOffice (see above)"
	@$(BIN)/python scripts/demo.py --database $(DB) --summary --url http://$(HOST):$(PORT)/
	exec $(BIN)/trytond -c $(CONFIG) -d $(DB)

browser:
	@scripts/ensure-browser.sh

# PDF reports: ODT converted by LibreOffice (soffice --headless)
libreoffice:
	@scripts/ensure-libreoffice.sh

test: setup browser libreoffice
	$(BIN)/python scripts/run_tests.py

bench: setup
	$(BIN)/python scripts/bench/run.py

env:
	@echo "export TRYTOND_DATABASE__PATH=$(TRYTOND_DATABASE__PATH)"
	@echo "export TRYTOND_ATTACHMENT__PATH=$(TRYTOND_ATTACHMENT__PATH)"
	@echo "export TRYTOND_WEB__ROOT=$(TRYTOND_WEB__ROOT)"
	@echo "export TRYTOND_WEB__LISTEN=$(TRYTOND_WEB__LISTEN)"

clean:
	rm -rf var
