# Tandem: the two commands a newcomer needs, and a few for developers.
#   make run    set up and start the app, worker and scheduler on embedded defaults
#   make test   the whole suite against throwaway PostgreSQL and Redis, in real Chromium
#   make test-fast   the same without the slow tests (browser, real workers, `make run`)
#   make lint   ruff, mypy and the import contract (.importlinter)
#   make screenshots   every form with its errors drawn at phone and desktop width

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Test processes run in parallel (pytest-xdist), one per CPU core; PYTEST_WORKERS=0 runs them
# all in this one process, which is handier with pdb. Each worker is sent its next test when it
# has two left (--maxschedchunk 1), not a quarter of the suite at the start: the slow tests
# come first (core/tests/running.py), and they are shared out as they finish, so no worker
# is left with a queue of them while the other has run out.
PYTEST_WORKERS ?= auto
PYTEST_SCHEDULE := --maxschedchunk 1

.PHONY: run test test-fast lint format screenshots bench-seed bench-flags bench-report bench-pdf bench-audit bench-import clean

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tandem needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/pyvenv.cfg
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@scripts/run

# Tests never see a real secret; they must still run with DEBUG off, as production does.
test test-fast: export SECRET_KEY := test-only-not-a-secret
test test-fast: export STATIC_ROOT := $(CURDIR)/var/test-static
# ...over plain HTTP, as scripts/with-services also says: no HTTPS redirect or HTTPS-only cookies.
test test-fast: export ALLOW_PLAIN_HTTP := true
test-fast: PYTEST_MARKS := -m "not slow"
test test-fast: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py collectstatic --noinput --verbosity 0 && $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_SCHEDULE) $(PYTEST_MARKS) $(PYTEST_ARGS)'

# Every form with its errors drawn at 390 and 1280 px into var/screenshots/forms/, for a person
# to look at (the same pages `make test` checks with axe-core, without drawing them).
screenshots: export SECRET_KEY := test-only-not-a-secret
screenshots: export STATIC_ROOT := $(CURDIR)/var/test-static
screenshots: export TANDEM_SCREENSHOTS := 1
screenshots: export ALLOW_PLAIN_HTTP := true
screenshots: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py collectstatic --noinput --verbosity 0 && $(PY) -m pytest -n $(PYTEST_WORKERS) -q core/tests/test_browser_form_screens.py'
	@echo "Screenshots: $(CURDIR)/var/screenshots/forms/"

# Benchmark: build the national-scale demo data on a throwaway PostgreSQL and print the time.
bench-seed: export SECRET_KEY := bench-only-not-a-secret
bench-seed: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) manage.py seed_demo --scale national'

# Benchmark: the watcher's sweep over the national-scale demo data (built first, as above).
bench-flags: export SECRET_KEY := bench-only-not-a-secret
bench-flags: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) manage.py seed_demo --scale national && $(PY) manage.py bench_flags'

# Benchmark: a one-year, all-schemes funder report as XLSX, PDF and CSV on the national-scale
# demo data, each format's time and peak memory printed beside its target (scripts/bench-report).
bench-report: export SECRET_KEY := bench-only-not-a-secret
bench-report: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) manage.py seed_demo --scale national && scripts/bench-report'

# Benchmark: the funder report's PDF (WeasyPrint) over every scheme for a year, for make run's
# demo data and then the national scale: time and peak memory (scripts/bench-report).
bench-pdf: export SECRET_KEY := bench-only-not-a-secret
bench-pdf: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) manage.py seed_demo && echo "demo data:" && FORMATS=pdf scripts/bench-report'
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) manage.py seed_demo --scale national && echo "national scale:" && FORMATS=pdf scripts/bench-report'

# Benchmark: a scheme's whole history (4,000 referrals, 40 mentors, 390 relationships, 1,100
# meetings) as one workbook, checked and imported as the worker does: the time and peak memory
# beside their targets (scripts/bench-import; IMPORT_SCALE=2 doubles every sheet).
bench-import: export SECRET_KEY := bench-only-not-a-secret
bench-import: $(VENV)/.installed-dev
	scripts/with-services bash -c '$(PY) manage.py migrate --verbosity 0 && $(PY) scripts/bench-import'

# Benchmark: the cost of writing audit events, and audit_verify over 100,000 (scripts/bench-audit).
bench-audit: export SECRET_KEY := bench-only-not-a-secret
bench-audit: $(VENV)/.installed-dev
	scripts/with-services scripts/bench-audit

lint: export SECRET_KEY := lint-only-not-a-secret
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var staticfiles db.sqlite3 test-results
