# Plateforme des contrats de ville — every command a contributor or CI needs.
# Quick start: `make demo` (serves the demo on http://127.0.0.1:8000) and `make test` (the whole suite).

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py
DEMO_MANAGE := DJANGO_SETTINGS_MODULE=config.settings.demo $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test quality fix schema benchmark clean audit

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock package.json package-lock.json | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed ## Install Python and npm dependencies (pinned by uv.lock and package-lock.json)

demo: install ## Build the SQLite demo and serve it on http://127.0.0.1:8000
	mkdir -p var
	$(DEMO_MANAGE) migrate --noinput -v0
	$(DEMO_MANAGE) load_demo
	@echo "Plateforme servie sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter) ; les documents sont produits par un worker (db_worker)"
	$(DEMO_MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_MANAGE) runserver --insecure $(HOST):$(PORT)

serve: install ## Serve the existing database without reloading the demo
	$(MANAGE) runserver $(HOST):$(PORT)

test: install ## Lint, type-check, check the app graph and run the whole suite on SQLite then PostgreSQL
	bash scripts/test.sh

quality: install ## Lint, format check, types and app graph only
	bash scripts/test.sh --quality-only

audit: install ## Audit the locked dependencies against PyPI's vulnerability database (needs it reachable: fails otherwise)
	$(UV) export --frozen --format requirements-txt --no-emit-project --output-file $(VENV)/audit-requirements.txt -q
	$(VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r $(VENV)/audit-requirements.txt \
	  || { echo "ÉCHEC de l'audit : vulnérabilité connue, ou base de vulnérabilités (API JSON de PyPI) injoignable — pip-audit dit alors « not found on PyPI ». Lancer make audit là où elle répond (docs/operations.md, Security)." >&2; exit 1; }

fix: install ## Format and auto-fix lint
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: install ## Export the OpenAPI schema to docs/openapi.json
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py export_openapi_schema --api config.api.api --indent 2 --output docs/openapi.json

benchmark: install ## Run the benchmarks of benchmarks/
	$(PY) benchmarks/run.py

.PHONY: benchmark-imports
benchmark-imports: install ## National EPCI workbook and whole-France reference load, SQLite and PostgreSQL (CODE_ROOT=… measures another checkout)
	$(PY) benchmarks/imports.py $(if $(DATABASES),--databases $(DATABASES),) $(if $(CODE_ROOT),--code-root $(CODE_ROOT),)

.PHONY: benchmark-dashboard
benchmark-dashboard: install ## The contract's dashboard under load: gunicorn 2 workers, autocannon, with and without the page cache
	$(PY) benchmarks/dashboard.py

.PHONY: benchmark-load
benchmark-load: install ## The platform under load: production settings, PostgreSQL, gunicorn 2 workers, autocannon 30 s per page and API endpoint
	$(PY) benchmarks/load.py $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL),)

.PHONY: benchmark-documents
benchmark-documents: install ## Generated documents: outline, DOCX and PDF of the contract document and of each yearly kind (DATABASE_URL=… reuses a base)
	$(PY) benchmarks/documents.py $(if $(DATABASE_URL),--database-url $(DATABASE_URL),)

.PHONY: benchmark-observation
benchmark-observation: install ## National-scale observation benchmark on SQLite and PostgreSQL (SCALE=0.05 for a quick run)
	$(PY) benchmarks/observation.py --scale $(if $(SCALE),$(SCALE),1.0) $(if $(DATABASES),--databases $(DATABASES),)

clean:
	rm -rf $(VENV) .tools node_modules var staticfiles
