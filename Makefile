# The one place that knows how to set up, run, test and measure the project.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT
# pytest-xdist workers for make test (each with its own databases, servers and browser)
TEST_WORKERS ?= 2

STAMP := $(VENV)/.installed
VENDOR := meetings/static/vendor/.installed
CATALOGS := $(patsubst %.po,%.mo,$(wildcard meetings/translations/*/LC_MESSAGES/messages.po))

.PHONY: demo test jstest lint fmt typecheck bench setup assets translations clean

setup: $(STAMP) $(VENDOR) $(CATALOGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,postgres,redis]'
	touch $@

# Browser libraries come from the npm registry at setup, never from the repo.
$(VENDOR): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	rm -rf meetings/static/vendor && mkdir -p meetings/static/vendor/swagger-ui
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js meetings/static/vendor/socket.io.esm.min.js
	cp node_modules/sortablejs/modular/sortable.esm.js meetings/static/vendor/sortable.esm.js
	cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	   node_modules/swagger-ui-dist/swagger-ui-standalone-preset.js meetings/static/vendor/swagger-ui/
	touch $@

%.mo: %.po | $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# Re-extract the English msgids (_, gettext, ngettext, _l, lazy_gettext; Jinja's trans blocks) and merge
# them into every catalog; then translate the new entries of vi/LC_MESSAGES/messages.po (tests check it).
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-comments=Translators: \
	   --project="Paperless Meetings" -o meetings/translations/messages.pot .
	$(BIN)/pybabel update -i meetings/translations/messages.pot -d meetings/translations --no-fuzzy-matching

demo: setup
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed-demo --if-empty
	$(BIN)/python wsgi.py

test: setup
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/mypy annotations
	node --test tests/js/
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The browser code's state modules (outbox, live ordering, annotation state, folding), in node
jstest:
	node --test tests/js/

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# annotations/ is checked strictly on every `make test`; the app is checked here, leniently
typecheck: setup
	$(BIN)/mypy annotations meetings

bench: setup
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/*.py; do $(BIN)/python $$b; done || echo "no benchmarks yet"

clean:
	rm -rf $(VENV) node_modules meetings/static/vendor instance
