# Council Portal: `make run` serves the demo, `make test` runs the whole suite, `make test-fast`
# the quick part of it (no browser, no worker processes, nothing marked slow) while working.
# Both set everything up on a fresh machine (a local .venv; system packages when run as root).

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist processes (`auto`: one per core; each has its own test database). Whole test
# files go to one process (--dist loadfile): the matrices build their world once per file. Files
# are handed out in the suite's order, the longest first (tests/conftest.py LONGEST_FIRST), not
# reordered by their number of tests: a long file of one test last would leave a core idle.
TEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

.PHONY: run test test-fast install system-deps lint typecheck messages check clean worker

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c requirements.lock -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# WeasyPrint's libraries, fonts, poppler (PDF tests), gettext, and Chromium (browser tests).
system-deps:
	@bash .ci/system-deps

messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

# The demo is served as users see the portal: DEBUG off (styled error pages, no debug page),
# static files through WhiteNoise. DEMO=1 generates its secrets once into var/ and allows
# seed_demo; production refuses both (docs/operations.md).
run: export DEMO = 1
run: export DEBUG = 0
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@mkdir -p var
	@echo "Starting a background-job worker (no broker server needed) and the web server."
	$(VENV)/bin/celery -A councilportal worker -B -s var/celerybeat-schedule -Q default,documents --pool=solo --loglevel=INFO > var/worker.log 2>&1 & \
	  WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  echo "Demo ready at http://$(HOST):$(PORT)/ (log in with a login above; Ctrl+C stops it)"; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install system-deps messages
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@bash .ci/check-templates
	$(VENV)/bin/mypy .
	@bash .ci/check-translations
	$(VENV)/bin/pytest $(PYTEST_PARALLEL)

# Minutes, not a quarter of an hour: what `make test` runs but browsers, real Celery workers and
# the slow ones (faults, ops, hostile, the exhaustive crawls: the denouncer crawl, the access
# matrix of records and lists, the export matrix). CI (.ci/run) runs `make test`.
# It keeps its test databases between runs (--reuse-db: a run applies only new migrations;
# `make test` always builds them afresh), which saves the half minute of migrations per worker.
test-fast: install messages
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) --reuse-db -m "not browser and not workers and not slow"

lint: install
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && bash .ci/check-templates

typecheck: install
	$(VENV)/bin/mypy .

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
